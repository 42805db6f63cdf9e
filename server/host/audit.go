package host

import "github.com/mattermost/mattermost/server/public/model"

// serverAuditRecord is one entry for the server's own audit log (plugin API LogAuditRec): what the
// bundle decided to record, in the shape of model.AuditRecord's JSON, flattened for TypeScript.
// The host adds nothing but the conversion; the server adds the plugin's id as a parameter.
type serverAuditRecord struct {
	EventName     string         `json:"event_name"`
	Status        string         `json:"status"`
	UserID        string         `json:"user_id"`
	SessionID     string         `json:"session_id"`
	IPAddress     string         `json:"ip_address"`
	XForwardedFor string         `json:"x_forwarded_for"`
	Client        string         `json:"client"`
	ObjectType    string         `json:"object_type"`
	Parameters    map[string]any `json:"parameters"`
	PriorState    map[string]any `json:"prior_state,omitempty"`
	ResultState   map[string]any `json:"resulting_state,omitempty"`
	Meta          map[string]any `json:"meta"`
}

func (r serverAuditRecord) toModel() *model.AuditRecord {
	return &model.AuditRecord{
		EventName: r.EventName,
		Status:    r.Status,
		Actor: model.AuditEventActor{
			UserId:        r.UserID,
			SessionId:     r.SessionID,
			Client:        r.Client,
			IpAddress:     r.IPAddress,
			XForwardedFor: r.XForwardedFor,
		},
		EventData: model.AuditEventData{
			Parameters:  r.Parameters,
			PriorState:  r.PriorState,
			ResultState: r.ResultState,
			ObjectType:  r.ObjectType,
		},
		Meta: r.Meta,
	}
}

// requestOrigin is who sent an HTTP request as the server saw it (plugin.Context): the session, the
// client's address and user agent. The bundle records it with the audit entries the request causes.
type requestOrigin struct {
	SessionID string `json:"sessionId"`
	IPAddress string `json:"ipAddress"`
	UserAgent string `json:"userAgent"`
}

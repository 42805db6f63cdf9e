package host

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// The push-proxy probe binding: one GET to the push notification server this Mattermost server is
// configured with (EmailSettings.PushNotificationServer), on a route of mattermost-push-proxy that
// only reads. The bundle names the route, never the address: the host takes the origin from the
// saved config, as the server does when it sends (channels/app/notification_push.go appends
// /api/v1/send_push to the trimmed setting), so this cannot be pointed anywhere else. No credentials
// go out (user info in the setting is dropped, no cookies, no token), redirects are not followed,
// each call is bounded by pushProbeTimeout and the body by maxPushProbeResponse.

// pushProxyRoutes are the push proxy's read-only routes (mattermost-push-proxy server/server.go:
// GET /version answers {"version","hash"} (internal/version/version.go); GET / answers the fixed page
// "<html><body>Mattermost Push Proxy</body></html>", in every release).
var pushProxyRoutes = map[string]bool{"/version": true, "/": true}

const pushProbeTimeout = 5 * time.Second

// maxPushProbeResponse: both answers are a few dozen bytes; a larger one is not a push proxy's.
const maxPushProbeResponse = 64 << 10

var pushProbeClient = newBoundedClient(pushProbeTimeout, maxPushProbeResponse)

// pushProxyBase is the configured push server without user info, query or fragment, or why there is none.
func pushProxyBase(config *model.Config) (string, error) {
	if config == nil || config.EmailSettings.PushNotificationServer == nil {
		return "", errors.New("no push notification server is configured")
	}
	setting := strings.TrimSpace(*config.EmailSettings.PushNotificationServer)
	if setting == "" {
		return "", errors.New("no push notification server is configured")
	}
	parsed, err := url.Parse(setting)
	if err != nil || (parsed.Scheme != "http" && parsed.Scheme != "https") || parsed.Host == "" {
		return "", fmt.Errorf("the push notification server %q is not an http(s) URL", setting)
	}
	parsed.User, parsed.RawQuery, parsed.Fragment = nil, "", ""
	parsed.Path, parsed.RawPath = strings.TrimRight(parsed.Path, "/"), ""
	return parsed.String(), nil
}

// probePushProxy GETs one push-proxy route on the configured push server and answers what came back.
func (h *Host) probePushProxy(route string) (any, error) {
	if !pushProxyRoutes[route] {
		return nil, badArguments(
			"rest.probePushProxy: %q is not a push proxy route the host allows (pushProxyRoutes in server/host/push_probe.go)", route)
	}
	base, err := pushProxyBase(h.api.GetConfig())
	if err != nil {
		return probeResponse{Error: err.Error()}, nil
	}
	req, err := http.NewRequest(http.MethodGet, base+route, nil)
	if err != nil {
		return probeResponse{Error: err.Error()}, nil
	}
	return pushProbeClient.do(req), nil
}

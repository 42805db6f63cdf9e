package cockpit

// Hostile input on every route of the route table, as a system admin (the caller that gets furthest
// into each handler): malformed JSON, bodies just under and over 1 MiB, 10,000-level nesting, a
// wrong type in each top-level field, unicode-heavy strings (RTL override, zero-width, astral emoji,
// NUL, lone surrogate escapes), huge / negative / NaN-like numbers, odd path parameters and query
// strings with repeated, empty, malformed and huge parameters.
//
// Asserted for every request: no status ≥ 500; every error is {error:{id,message}}; the plugin's KV
// store is unchanged by every refused (4xx) request (no partial writes); the plugin still answers
// its ping afterwards.
//
// No request may change shared state, so write bodies that could be valid are only sent where the
// route has a path parameter other than the team (filled with an unknown id: the handler runs, then
// finds nothing); elsewhere each body also carries a field no strict schema accepts.

import (
	"bytes"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/contract"
	"github.com/onboarding-cockpit/onboarding-cockpit/e2e/mmserver"
)

// hostileStrings are the text values sent wherever a string is expected.
var hostileStrings = map[string]string{
	"rtl+zero-width":   "\u202eevil\u202c\u200b\u200c\u200d\u2060\ufeff",
	"astral emoji":     "😀🧑🏽‍🚀👨‍👩‍👧‍👦" + strings.Repeat("𝕏", 200),
	"nul and controls": "a\u0000b\u0001\u001f\u007f",
	"markup":           "<script>alert(1)</script>[x](javascript:alert(1)) =HYPERLINK(\"http://x\")",
	"long":             strings.Repeat("ø", 100_000),
}

// hostileNumbers are sent as raw JSON wherever a number is expected.
var hostileNumbers = map[string]string{
	"huge":          "1e308",
	"overflow":      "1e309", // JSON.parse makes it Infinity
	"2^53+1":        "9007199254740993",
	"negative":      "-1",
	"negative zero": "-0",
	"fraction":      "0.5",
	"NaN-like":      `"NaN"`,
}

type fuzzCase struct {
	name  string
	route string // relative to the plugin
	body  []byte
}

// fuzzCases builds the hostile requests for one route.
func fuzzCases(f *hardeningFixture, r routeEntry) []fuzzCase {
	filled := f.fillRoute(r)
	base := filled.url
	var cases []fuzzCase
	add := func(name, route string, body []byte) { cases = append(cases, fuzzCase{name, route, body}) }

	// Query strings: repeated, empty, malformed escapes, unicode, huge, NaN-like; on every route.
	withQuery := func(extra string) string {
		if strings.Contains(base, "?") {
			return base + "&" + extra
		}
		return base + "?" + extra
	}
	add(
		"query: repeated and numeric extremes",
		withQuery("page=-1&page=99999999999999999999&per_page=NaN&per_page=1e309&per_page=0&version=-0"),
		f.probeBody(r),
	)
	add("query: empty and bare keys", withQuery("&&=&page&per_page=&a[]=1&a[b]=2"), f.probeBody(r))
	add(
		"query: unicode and NUL",
		withQuery("q="+url.QueryEscape(hostileStrings["rtl+zero-width"]+hostileStrings["nul and controls"])+"&page="+url.QueryEscape("１")),
		f.probeBody(r),
	)
	add("query: malformed escape", withQuery("page=%ZZ&q=%"), f.probeBody(r))
	add("query: 50 KB value", withQuery("q="+strings.Repeat("x", 50_000)), f.probeBody(r))

	// Path parameters: traversal, unicode, NUL, very long (every other parameter stays unknown).
	if len(r.Params) > 0 {
		for name, value := range map[string]string{
			"dot-dot":  "..",
			"encoded":  "%2e%2e%2f%2e%2e",
			"unicode":  url.PathEscape("\u202e😀\u200b"),
			"NUL":      "%00",
			"4 KB id":  strings.Repeat("a", 4096),
			"negative": "-1",
		} {
			// The last parameter of the path gets the hostile value.
			segments := strings.Split(strings.SplitN(base, "?", 2)[0], "/")
			segments[lastParamIndex(r)] = value
			add("path param: "+name, strings.Join(segments, "/"), f.probeBody(r))
		}
	}

	if r.Body == nil {
		return cases
	}
	// A route whose handler would run on valid input for shared state gets a poison field.
	poison := !hasUnknownParam(r)
	object := func(fields map[string]any) []byte {
		m := map[string]any{}
		if in, name := r.teamSource(); in == "body" {
			m[name] = f.team.Id
		}
		maps.Copy(m, fields)
		if poison {
			m["__hardening_poison__"] = true
		}
		return mustJSONNoT(m)
	}

	// Malformed bodies; the two a lenient parser might read carry the poison field too.
	for name, body := range map[string]string{
		"unterminated object": `{"a":`,
		"trailing garbage":    `{"__hardening_poison__":true}{}`,
		"single quotes":       `{'a':1}`,
		"bare word":           `undefined`,
		"invalid UTF-8":       "{\"a\":\"\xff\xfe\"}",
		"lone surrogate":      `{"a":"\ud800"}`,
		"BOM":                 "\ufeff{\"__hardening_poison__\":true}",
		"NUL byte":            "{\x00}",
		"top-level array":     `[1,2,3]`,
		"top-level string":    `"x"`,
		"top-level null":      `null`,
		"top-level number":    `1e309`,
	} {
		add("body: "+name, base, []byte(body))
	}
	// Sizes: just under the host's 1 MiB limit (reaches JS, must be refused cleanly) and just over (413).
	under := `{"__big__":"` + strings.Repeat("x", (1<<20)-64) + `"}`
	add("body: just under 1 MiB", base, []byte(under))
	add("body: just over 1 MiB", base, []byte(`{"__big__":"`+strings.Repeat("x", (1<<20)+16)+`"}`))
	// 10,000 levels of nesting, bare and inside each top-level field.
	nestedArray := strings.Repeat("[", 10_000) + strings.Repeat("]", 10_000)
	nestedObject := strings.Repeat(`{"a":`, 10_000) + "1" + strings.Repeat("}", 10_000)
	add("body: 10,000 nested arrays", base, []byte(nestedArray))
	add("body: 10,000 nested objects", base, []byte(nestedObject))

	fields := sortedFields(r)
	for _, field := range fields {
		add(
			"body: 10,000 nested arrays in ."+field,
			base,
			[]byte(strings.Replace(string(object(map[string]any{field: "__NESTED__"})), `"__NESTED__"`, nestedArray, 1)),
		)
		// Wrong types: every JSON type other than the declared one.
		for _, wrong := range wrongValues(r.Body.Fields[field].Type) {
			add(
				fmt.Sprintf("body: .%s as %s", field, wrong.name),
				base,
				[]byte(strings.Replace(string(object(map[string]any{field: "__V__"})), `"__V__"`, wrong.json, 1)),
			)
		}
		switch r.Body.Fields[field].Type {
		case "string":
			for name, s := range hostileStrings {
				add(fmt.Sprintf("body: .%s %s", field, name), base, object(map[string]any{field: s}))
			}
		case "number", "int", "bigint":
			for name, n := range hostileNumbers {
				add(
					fmt.Sprintf("body: .%s %s", field, name),
					base,
					[]byte(strings.Replace(string(object(map[string]any{field: "__V__"})), `"__V__"`, n, 1)),
				)
			}
		}
	}
	// Every field at once with hostile text / numbers (the handler sees a plausible body).
	if len(fields) > 0 {
		all := map[string]any{}
		for _, field := range fields {
			switch r.Body.Fields[field].Type {
			case "string":
				all[field] = hostileStrings["rtl+zero-width"] + hostileStrings["markup"]
			case "number":
				all[field] = math.MaxInt32
			case "boolean":
				all[field] = true
			case "array":
				all[field] = []any{hostileStrings["nul and controls"]}
			}
		}
		add("body: every field hostile", base, object(all))
	}
	return cases
}

func lastParamIndex(r routeEntry) int {
	last := -1
	for i, s := range strings.Split(r.Path, "/") {
		if strings.HasPrefix(s, ":") {
			last = i
		}
	}
	return last
}

// hasUnknownParam says whether the route has a path parameter the fixture fills with an unknown id.
func hasUnknownParam(r routeEntry) bool {
	in, name := r.teamSource()
	for _, p := range r.Params {
		if in != "param" || p != name {
			return true
		}
	}
	return false
}

func sortedFields(r routeEntry) []string {
	if r.Body == nil || r.Body.Fields == nil {
		return nil
	}
	var out []string
	for k := range r.Body.Fields {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type wrongValue struct{ name, json string }

func wrongValues(declared string) []wrongValue {
	all := []wrongValue{
		{"string", `"wrong"`},
		{"number", `42`},
		{"boolean", `true`},
		{"null", `null`},
		{"array", `[1,"a",null]`},
		{"object", `{"x":{"y":[]}}`},
	}
	var out []wrongValue
	for _, w := range all {
		if w.name == declared || (declared == "int" && w.name == "number") || (declared == "record" && w.name == "object") {
			continue
		}
		out = append(out, w)
	}
	return out
}

func TestHardeningHostileInput(t *testing.T) {
	routes := loadRouteTable(t)
	f := hardeningCallers(t)
	tok := f.admin.token
	// The plan tests hold planMu while they change the plan; these requests must never see (or make)
	// a half-written plan either.
	lockPlan(t)

	var requests, refused, over int
	statuses := map[int]int{}
	for _, r := range routes {
		if r.Method == http.MethodDelete && !hasUnknownParam(r) {
			continue // a DELETE of a real record would delete shared state for real
		}
		for _, c := range fuzzCases(f, r) {
			label := fmt.Sprintf("%s %s [%s]", r.Method, r.Path, c.name)
			res, changed := unchangedAround(t, func() apiResult { return requestRoute(t, r.Method, c.route, tok, c.body) })
			requests++
			statuses[res.Status]++
			switch {
			case res.Status >= 500:
				over++
				t.Errorf("%s: %s", label, res)
			case res.Status >= 400:
				refused++
				// A hostile path may not reach the plugin at all (the server cleans or refuses it
				// with its own answer); everything the plugin answers carries its error shape.
				if !isErrorBody(res.Body) && !strings.HasPrefix(c.name, "path param") {
					t.Errorf("%s: error body is not {error:{id,message}}: %s", label, res)
				}
				if len(changed) > 0 {
					t.Errorf("%s: refused with %d but changed the KV store: %s", label, res.Status, strings.Join(changed, ", "))
				}
			case res.Status >= 300:
				// A redirect from the server's path cleaning: nothing ran.
				if len(changed) > 0 {
					t.Errorf("%s: changed the KV store: %s", label, strings.Join(changed, ", "))
				}
			default:
				// Nothing hostile should be accepted: every case is malformed, mistyped, poisoned
				// or aimed at an unknown id. Only GETs may answer 2xx (a query they ignore).
				if r.Method != http.MethodGet {
					t.Errorf("%s: accepted (%s); hostile input on a write must be refused", label, res)
				}
				if len(changed) > 0 {
					t.Errorf("%s: changed the KV store: %s", label, strings.Join(changed, ", "))
				}
			}
		}
		hostServes(t, tok)
	}
	t.Logf(
		"hostile input: %d requests over %d routes, %d refused (4xx), %d ≥ 500; statuses %s",
		requests,
		len(routes),
		refused,
		over,
		statusDistribution(statuses),
	)
	hostServes(t, tok)
}

// routesWithEffectsOutsideKV change something a KV restore cannot put back (server config, roles,
// tokens, channel moderation and memberships, posts): the schema-shaped pass does not send them
// bodies that could be accepted. Everything else is fair game: its state is the plugin's KV store,
// which the pass restores after every accepted request.
var routesWithEffectsOutsideKV = map[string]string{
	"POST /api/v1/branding/apply":                                                "writes the server config",
	"POST /api/v1/branding/rollback":                                             "writes the server config",
	"POST /api/v1/config/apply":                                                  "writes the server config",
	"POST /api/v1/bundle/apply":                                                  "writes the server config (its branding part)",
	"POST /api/v1/config/rollback":                                               "writes the server config",
	"POST /api/v1/templates/delegation":                                          "assigns system roles",
	"POST /api/v1/templates/credential/grant":                                    "creates a bot token and role",
	"POST /api/v1/templates/credential/revoke":                                   "revokes a bot token",
	"POST /api/v1/templates/proposals":                                           "DMs team admins",
	"POST /api/v1/templates/review/teams/:teamId/proposals/:proposalId/decide":   "applies channel moderation",
	"POST /api/v1/templates/review/teams/:teamId/proposals/:proposalId/rollback": "applies channel moderation",
	"POST /api/v1/templates/review/teams/:teamId/proposals/:proposalId/retry":    "applies channel moderation",
	"POST /api/v1/templates/actions":                                             "applies channel moderation, updates posts",
	"POST /api/v1/plan/task-actions":                                             "sends ephemeral posts to the clicking user",
	"POST /api/v1/waves/actions/feedback":                                        "updates posts, notifies the help desk",
	"POST /api/v1/waves/:waveId/start":                                           "adds users to teams and channels",
	"POST /api/v1/waves/:waveId/resume":                                          "adds users to teams and channels",
	"POST /api/v1/waves/:waveId/retry-failed":                                    "adds users to teams and channels",
	"POST /api/v1/waves/:waveId/tick":                                            "adds users to teams and channels",
	"POST /api/v1/waves/:waveId/welcome/test-send":                               "sends a DM",
}

// schemaSeeds build a body of the route's real shape (nested fields included) with v in every text
// leaf, so that hostile values reach the nested validators and, when valid, the handler. Versions
// are the current ones (read once; every accepted write is rolled back). Routes without a seed get a
// generic shape from the route table's top-level field types.
func schemaSeeds(t *testing.T, f *hardeningFixture, w *hardeningWorld) map[string]func(v any) map[string]any {
	t.Helper()
	tok := f.admin.token
	plan := getPlan(t)
	var adoption contract.AdoptionResponse
	decodeInto(t, call(t, http.MethodGet, "/api/v1/adoption", tok, nil), &adoption)
	var access contract.StakeholderAccessResponse
	decodeInto(t, call(t, http.MethodGet, "/api/v1/stakeholders/access", tok, nil), &access)
	var tpl struct {
		Version int `json:"version"`
	}
	r := call(t, http.MethodGet, "/api/v1/templates", tok, nil)
	var list contract.TemplateList
	decodeInto(t, r, &list)
	for _, x := range list.Templates {
		if x.ID == w.templateID {
			tpl.Version = x.Version
		}
	}
	tplDef := func(v any) map[string]any {
		return map[string]any{
			"name": v, "description": v,
			"moderation":     map[string]any{"create_post": map[string]any{"members": false, "guests": false}},
			"channel_admins": map[string]any{"user_ids": []any{}, "group_ids": []any{}, "channel_creator": true},
			"properties":     map[string]any{"header": v, "purpose": v},
		}
	}
	return map[string]func(v any) map[string]any{
		"POST /api/v1/waves": func(v any) map[string]any {
			return map[string]any{
				"name":     v,
				"cohort":   map[string]any{"team_ids": []any{f.team.Id}},
				"targets":  map[string]any{"teams": []any{map[string]any{"team_id": f.otherTeam.Id, "role": "member"}}},
				"welcome":  map[string]any{"enabled": true, "template": v, "help_link": ""},
				"feedback": map[string]any{"enabled": false},
			}
		},
		"PATCH /api/v1/waves/:waveId": func(v any) map[string]any {
			return map[string]any{
				"expected_version": w.waveVersion,
				"changes":          map[string]any{"name": v, "welcome": map[string]any{"enabled": true, "template": v, "help_link": v}},
			}
		},
		"POST /api/v1/waves/:waveId/csv": func(v any) map[string]any {
			return map[string]any{
				"expected_version": w.waveVersion,
				"rows":             []any{map[string]any{"line": 1, "kind": "username", "value": v}},
			}
		},
		"POST /api/v1/waves/:waveId/welcome/preview": func(v any) map[string]any {
			return map[string]any{
				"template":  v,
				"help_link": v,
				"name":      v,
				"targets":   map[string]any{"teams": []any{map[string]any{"team_id": v}}},
			}
		},
		"POST /api/v1/templates": tplDef,
		"PUT /api/v1/templates/:templateId": func(v any) map[string]any {
			return map[string]any{"expected_version": tpl.Version, "definition": tplDef(v)}
		},
		"PUT /api/v1/adoption/targets": func(v any) map[string]any {
			return map[string]any{
				"expected_version": adoption.TargetsVersion,
				"targets": []any{
					map[string]any{
						"id":        "fuzz",
						"label":     v,
						"metric":    "daily_active",
						"kind":      "count",
						"threshold": 5,
						"due":       "2030-01-01",
					},
				},
			}
		},
		"PUT /api/v1/stakeholders/access": func(v any) map[string]any {
			return map[string]any{"expected_version": access.Version, "usernames": []any{v}, "group_names": []any{v}}
		},
		"POST /api/v1/plan/phases": func(v any) map[string]any {
			return map[string]any{
				"expected_version": plan.Plan.Version,
				"phase":            map[string]any{"id": "fuzz-phase", "title": v, "description": v, "tasks": []any{}},
			}
		},
		"PATCH /api/v1/plan/phases/:phaseId": func(v any) map[string]any {
			return map[string]any{"expected_version": plan.Plan.Version, "changes": map[string]any{"title": v, "description": v}}
		},
		"POST /api/v1/plan/phases/:phaseId/tasks": func(v any) map[string]any {
			return map[string]any{
				"expected_version": plan.Plan.Version,
				"task":             map[string]any{"id": "fuzz-task", "title": v, "description": v},
			}
		},
		"PATCH /api/v1/plan/tasks/:taskId": func(v any) map[string]any {
			return map[string]any{"expected_version": plan.Plan.Version, "changes": map[string]any{"title": v, "description": v}}
		},
		"POST /api/v1/config/compare": func(v any) map[string]any {
			return map[string]any{"snapshot": map[string]any{"server": v, "settings": map[string]any{"TeamSettings.SiteName": v}}}
		},
	}
}

// genericShape is a body from the route table's top-level field types, with v in every text leaf
// and in nested objects under common field names.
func genericShape(f *hardeningFixture, r routeEntry, v any) map[string]any {
	nested := func() map[string]any {
		return map[string]any{"name": v, "title": v, "label": v, "id": v, "team_id": v, "channel_id": v, "user_id": v, "value": v}
	}
	body := map[string]any{}
	for name, field := range r.Body.Fields {
		switch field.Type {
		case "string":
			body[name] = v
		case "number", "int":
			body[name] = 1
		case "boolean":
			body[name] = true
		case "array":
			body[name] = []any{v, nested()}
		default: // object, record, union, pipe
			body[name] = nested()
		}
	}
	if in, name := r.teamSource(); in == "body" {
		body[name] = f.team.Id
	}
	return body
}

// hostileLeaves are the values put in every leaf: unicode-heavy and huge strings, deep nesting and
// every wrong JSON type.
func hostileLeaves() map[string]any {
	deep := any("x")
	for range 2000 {
		deep = map[string]any{"a": deep}
	}
	return map[string]any{
		"unicode":      hostileStrings["rtl+zero-width"] + "😀🧑🏽‍🚀👨‍👩‍👧‍👦𝕏",
		"controls":     hostileStrings["nul and controls"],
		"markup":       hostileStrings["markup"],
		"huge string":  strings.Repeat("ø", 30_000),
		"2,000 nested": deep,
		"number":       1e308,
		"negative":     -1,
		"boolean":      true,
		"null":         nil,
		"array":        []any{[]any{}, map[string]any{}, nil},
		"object":       map[string]any{"__proto__": map[string]any{"polluted": true}, "constructor": "x"},
	}
}

// kvRows is every plugin data key (not the cluster helpers' mutex_/cron_ keys) with its raw row.
type kvRow struct {
	value  []byte
	expire int64
}

func readKVRows(t *testing.T) map[string]kvRow {
	t.Helper()
	rows, err := env.s.DB().
		QueryContext(ctx(t), `SELECT PKey, COALESCE(PValue, ''::bytea), COALESCE(ExpireAt, 0) FROM PluginKeyValueStore WHERE `+
			`PluginId = $1 AND PKey NOT LIKE 'mutex\_%' AND PKey NOT LIKE 'cron\_%'`, mmserver.PluginID)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = rows.Close() }()
	out := map[string]kvRow{}
	for rows.Next() {
		var k string
		var r kvRow
		if err := rows.Scan(&k, &r.value, &r.expire); err != nil {
			t.Fatal(err)
		}
		out[k] = r
	}
	return out
}

// restoreKVRows puts the plugin's data keys back as they were in before: keys added since are
// deleted, changed or deleted ones rewritten. Returns the keys it touched.
func restoreKVRows(t *testing.T, before map[string]kvRow) []string {
	t.Helper()
	now := readKVRows(t)
	var touched []string
	db := env.s.DB()
	for k := range now {
		if _, ok := before[k]; !ok {
			if _, err := db.ExecContext(
				ctx(t),
				`DELETE FROM PluginKeyValueStore WHERE PluginId = $1 AND PKey = $2`,
				mmserver.PluginID,
				k,
			); err != nil {
				t.Fatal(err)
			}
			touched = append(touched, "-"+k)
		}
	}
	for k, r := range before {
		if cur, ok := now[k]; ok && bytes.Equal(cur.value, r.value) && cur.expire == r.expire {
			continue
		}
		if _, err := db.ExecContext(ctx(t), `INSERT INTO PluginKeyValueStore (PluginId, PKey, PValue, ExpireAt) VALUES ($1, $2, $3, $4)
			ON CONFLICT (PluginId, PKey) DO UPDATE SET PValue = EXCLUDED.PValue, ExpireAt = EXCLUDED.ExpireAt`,
			mmserver.PluginID, k, r.value, r.expire); err != nil {
			t.Fatal(err)
		}
		touched = append(touched, "~"+k)
	}
	sort.Strings(touched)
	return touched
}

// TestHardeningSchemaShapedHostileBodies sends write routes bodies of their real shape with a hostile
// value in every (nested) leaf: unicode-heavy, 30,000-character and 2,000-level nested values and
// every wrong JSON type, without the poison field TestHardeningHostileInput adds, so that the nested
// validators — and, for values that are valid, the handlers — see them. Path parameters are the
// world's real ids. Asserted: no status ≥ 500, every 4xx carries the error shape and leaves the KV
// store untouched (no partial write), and the plugin still serves. An accepted write is rolled back
// by restoring the KV store (routes whose effects reach beyond it are listed in
// routesWithEffectsOutsideKV and skipped).
func TestHardeningSchemaShapedHostileBodies(t *testing.T) {
	routes := loadRouteTable(t)
	f := hardeningCallers(t)
	w := hardeningWorldFor(t)
	lockPlan(t)
	tok := f.admin.token
	seeds := schemaSeeds(t, f, w)
	leaves := hostileLeaves()
	leafNames := make([]string, 0, len(leaves))
	for n := range leaves {
		leafNames = append(leafNames, n)
	}
	sort.Strings(leafNames)

	var requests, accepted, refused, over, seeded, skipped int
	statuses := map[int]int{}
	perRoute := map[string][]string{}
	for _, r := range routes {
		if r.Body == nil || r.Method == http.MethodGet || len(r.Body.Fields) == 0 {
			continue // a body without fields ({}) has no leaf to make hostile
		}
		if _, ok := routesWithEffectsOutsideKV[r.String()]; ok {
			skipped++
			continue
		}
		route, missing := w.fillRouteReal(f, r)
		if missing != "" {
			t.Errorf("%s: no real id for :%s; give hardening_world_test.go one", r, missing)
			continue
		}
		seed, ok := seeds[r.String()]
		if ok {
			seeded++
		} else {
			seed = func(v any) map[string]any { return genericShape(f, r, v) }
		}
		for _, leaf := range leafNames {
			label := fmt.Sprintf("%s [%s in every leaf]", r, leaf)
			body := mustJSONNoT(seed(leaves[leaf]))
			before := readKVRows(t)
			snap := takeKVSnapshot(t)
			res := requestRoute(t, r.Method, route, tok, body)
			after := takeKVSnapshot(t)
			requests++
			statuses[res.Status]++
			perRoute[r.String()] = append(perRoute[r.String()], fmt.Sprint(res.Status))
			switch {
			case res.Status >= 500:
				over++
				t.Errorf("%s: %s", label, res)
				restoreKVRows(t, before)
			case res.Status >= 400:
				refused++
				if !isErrorBody(res.Body) {
					t.Errorf("%s: error body is not {error:{id,message}}: %s", label, res)
				}
				if changed := snap.diff(after); len(changed) > 0 && !snap.jobRan(after) {
					t.Errorf("%s: refused with %d but changed the KV store: %s", label, res.Status, strings.Join(changed, ", "))
				}
				restoreKVRows(t, before)
			default:
				accepted++
				if touched := restoreKVRows(t, before); len(touched) > 0 {
					t.Logf("%s: accepted (%d); rolled back %s", label, res.Status, strings.Join(touched, ", "))
				}
			}
		}
		hostServes(t, tok)
	}
	if requests == 0 {
		t.Fatal("no schema-shaped request was sent")
	}
	var lines []string
	for route, got := range perRoute {
		lines = append(lines, route+": "+strings.Join(got, " "))
	}
	sort.Strings(lines)
	t.Logf("statuses per route (leaves in order %s):\n  %s", strings.Join(leafNames, ", "), strings.Join(lines, "\n  "))
	t.Logf(
		"schema-shaped hostile bodies: %d requests (%d routes with a real-shape seed, %d skipped for effects outside KV), %d "+
			"accepted and rolled back, %d refused, %d ≥ 500; statuses %s",
		requests,
		seeded,
		skipped,
		accepted,
		refused,
		over,
		statusDistribution(statuses),
	)
	hostServes(t, tok)
}

// statusDistribution renders a status → count map as "200×3 400×12", statuses in order.
func statusDistribution(statuses map[int]int) string {
	codes := make([]int, 0, len(statuses))
	for s := range statuses {
		codes = append(codes, s)
	}
	sort.Ints(codes)
	dist := make([]string, 0, len(codes))
	for _, s := range codes {
		dist = append(dist, fmt.Sprintf("%d×%d", s, statuses[s]))
	}
	return strings.Join(dist, " ")
}

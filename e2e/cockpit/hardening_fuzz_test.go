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
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
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
	add("query: repeated and numeric extremes", withQuery("page=-1&page=99999999999999999999&per_page=NaN&per_page=1e309&per_page=0&version=-0"), f.probeBody(r))
	add("query: empty and bare keys", withQuery("&&=&page&per_page=&a[]=1&a[b]=2"), f.probeBody(r))
	add("query: unicode and NUL", withQuery("q="+url.QueryEscape(hostileStrings["rtl+zero-width"]+hostileStrings["nul and controls"])+"&page="+url.QueryEscape("１")), f.probeBody(r))
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
		for k, v := range fields {
			m[k] = v
		}
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
		add("body: 10,000 nested arrays in ."+field, base, []byte(strings.Replace(string(object(map[string]any{field: "__NESTED__"})), `"__NESTED__"`, nestedArray, 1)))
		// Wrong types: every JSON type other than the declared one.
		for _, wrong := range wrongValues(r.Body.Fields[field].Type) {
			add(fmt.Sprintf("body: .%s as %s", field, wrong.name), base, []byte(strings.Replace(string(object(map[string]any{field: "__V__"})), `"__V__"`, wrong.json, 1)))
		}
		switch r.Body.Fields[field].Type {
		case "string":
			for name, s := range hostileStrings {
				add(fmt.Sprintf("body: .%s %s", field, name), base, object(map[string]any{field: s}))
			}
		case "number", "int", "bigint":
			for name, n := range hostileNumbers {
				add(fmt.Sprintf("body: .%s %s", field, name), base, []byte(strings.Replace(string(object(map[string]any{field: "__V__"})), `"__V__"`, n, 1)))
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
		if !(in == "param" && p == name) {
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
		{"string", `"wrong"`}, {"number", `42`}, {"boolean", `true`}, {"null", `null`},
		{"array", `[1,"a",null]`}, {"object", `{"x":{"y":[]}}`},
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
			continue // would delete shared state for real; nothing hostile to send in a bodiless DELETE
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
	codes := make([]int, 0, len(statuses))
	for s := range statuses {
		codes = append(codes, s)
	}
	sort.Ints(codes)
	var dist []string
	for _, s := range codes {
		dist = append(dist, fmt.Sprintf("%d×%d", s, statuses[s]))
	}
	t.Logf("hostile input: %d requests over %d routes, %d refused (4xx), %d ≥ 500; statuses %s", requests, len(routes), refused, over, strings.Join(dist, " "))
	hostServes(t, tok)
}

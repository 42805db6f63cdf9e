package cockpit

// The authorization matrix: every route of the route table × every kind of caller, against the
// real server, with the expected answer derived from the guard the route declares. Also: no GET
// changes the plugin's KV store, whoever calls it (a snapshot of every key around every GET).
//
// Requests never change shared state: write routes get a body the router cannot parse (so an
// allowed caller gets 400 before any handler runs), path parameters other than the team get unknown
// ids, and DELETE routes without a parameter to make unknown are not called by allowed callers.
// The table goes to e2e/artifacts/authz-matrix.md (AUTHZ_MATRIX_PATH overrides).

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// expectation of one cell: an exact status (401, 403), or "allowed" (past the guard) with the
// precise status the route answers an allowed caller (allowedStatus), or — only where a route has
// no single answer — any status that is neither 401/403 nor 5xx (status 0).
type expectation struct {
	allowed bool
	status  int
}

func (e expectation) String() string {
	if e.allowed {
		if e.status != 0 {
			return fmt.Sprintf("allowed (%d)", e.status)
		}
		return "allowed"
	}
	return fmt.Sprint(e.status)
}

func (e expectation) met(status int) bool {
	if e.allowed && e.status == 0 {
		return status != http.StatusUnauthorized && status != http.StatusForbidden && status < 500
	}
	return status == e.status
}

var (
	refused   = expectation{status: http.StatusForbidden}
	anonymous = expectation{status: http.StatusUnauthorized}
)

// allowedStatusOverrides are the routes whose answer to an allowed caller differs from the rule in
// allowedStatus, each with the reason. Keyed "METHOD path" as in routes.json.
var allowedStatusOverrides = map[string]struct {
	status int
	why    string
}{}

// allowedStatus is the precise status an allowed caller gets in the matrix (unknown ids, unparsable
// bodies) or, with realIDs, in the GET pass with real ids: any write → 400 (every write, DELETE
// included, declares a body and gets one the router cannot parse, so it refuses before looking
// anything up); a GET naming an unknown id → 404; any other GET → 200.
func allowedStatus(r routeEntry, realIDs bool) int {
	if o, ok := allowedStatusOverrides[r.String()]; ok && !realIDs {
		return o.status
	}
	switch {
	case r.Method != http.MethodGet:
		return http.StatusBadRequest
	case hasUnknownParam(r) && !realIDs:
		return http.StatusNotFound
	}
	return http.StatusOK
}

// expect derives what a caller should get from the route's declared access. A guard kind without a
// rule here fails the matrix: a new kind of guard needs a deliberate decision about every caller.
func expect(r routeEntry, c caller, realIDs bool) (expectation, error) {
	if c.role == roleAnonymous || c.role == roleDeactivated {
		return anonymous, nil
	}
	if r.Access == nil {
		return expectation{}, fmt.Errorf(
			"%s declares no access (guard %q): give its guard `access` (server/src/http/guards.ts)",
			r,
			r.Guard,
		)
	}
	ok := expectation{allowed: true, status: allowedStatus(r, realIDs)}
	switch r.Access.Kind {
	case "user", "actionCallback":
		return ok, nil
	case "systemAdmin":
		if c.role == roleSystemAdmin {
			return ok, nil
		}
		return refused, nil
	case "consoleReader":
		// Readers of System Console → Plugins (sysconsole_read_plugins): system admins and read-only admins.
		if c.role == roleSystemAdmin || c.role == roleReadOnlyAdmin {
			return ok, nil
		}
		return refused, nil
	case "teamAdmin":
		if c.role == roleSystemAdmin || c.role == roleTeamAdminOfTeam {
			return ok, nil
		}
		return refused, nil
	case "taskOwner":
		// The owner of the named task only, system admins included in "anyone else": the matrix's callers
		// are fresh users who own no task (owners_test.go covers an owner's own calls).
		return refused, nil
	case "listed":
		// The matrix's callers are fresh users nobody has listed.
		if c.role == roleSystemAdmin {
			return ok, nil
		}
		return refused, nil
	}
	return expectation{}, fmt.Errorf(
		"%s: no authorization-matrix rule for guard kind %q (%s): add one to expect() in hardening_authz_test.go",
		r,
		r.Access.Kind,
		r.Guard,
	)
}

type matrixCell struct {
	status int
	want   expectation
	ok     bool
	note   string
}

func TestHardeningAuthorizationMatrix(t *testing.T) {
	routes := loadRouteTable(t)
	f := hardeningCallers(t)

	cells := make([][]matrixCell, len(routes))
	var failures []string
	var getCalls, kvChecked int
	for i, r := range routes {
		cells[i] = make([]matrixCell, len(f.callers))
		for j, c := range f.callers {
			want, err := expect(r, c, false)
			if err != nil {
				cells[i][j] = matrixCell{note: "no rule"}
				failures = append(failures, err.Error())
				continue
			}
			filled := f.fillRoute(r)
			if want.allowed && r.Method == http.MethodDelete && len(r.Params) == 0 {
				// Nothing to make unknown: the call would really delete. Listed, not called.
				cells[i][j] = matrixCell{want: want, ok: true, note: "not called (would delete shared state)"}
				continue
			}
			send := func() apiResult { return requestRoute(t, r.Method, filled.url, c.token, f.probeBody(r)) }
			var res apiResult
			if r.Method == http.MethodGet {
				var changed []string
				res, changed = unchangedAround(t, send)
				getCalls++
				kvChecked++
				if len(changed) > 0 {
					failures = append(
						failures,
						fmt.Sprintf("GET %s as %s changed the KV store: %s", filled.url, c.name, strings.Join(changed, ", ")),
					)
				}
			} else {
				res = send()
			}
			cell := matrixCell{status: res.Status, want: want, ok: want.met(res.Status)}
			if res.Status >= 400 && !isErrorBody(res.Body) && c.role != roleDeactivated {
				cell.ok = false
				cell.note = "error body is not {error:{id,message}}"
			}
			if !cell.ok {
				failures = append(
					failures,
					fmt.Sprintf("%s %s as %s: %s, want %s%s", r.Method, filled.url, c.name, res, want, suffix(cell.note)),
				)
			}
			cells[i][j] = cell
		}
	}

	total, good := 0, 0
	for i := range cells {
		for j := range cells[i] {
			total++
			if cells[i][j].ok {
				good++
			}
		}
	}
	path := writeMatrix(t, routes, f.callers, cells, good, total)
	t.Logf(
		"authorization matrix: %d routes × %d callers = %d cells, %d as expected (%.1f %%); %d GET calls with a KV snapshot "+
			"around each; table in %s",
		len(routes),
		len(f.callers),
		total,
		good,
		100*float64(good)/float64(total),
		kvChecked,
		path,
	)
	for _, msg := range failures {
		t.Error(msg)
	}
	if getCalls == 0 {
		t.Error("no GET route was called: the KV check proved nothing")
	}
}

func suffix(note string) string {
	if note == "" {
		return ""
	}
	return " (" + note + ")"
}

func writeMatrix(t *testing.T, routes []routeEntry, callers []caller, cells [][]matrixCell, good, total int) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(
		&b,
		"# Authorization matrix\n\nGenerated by `TestHardeningAuthorizationMatrix` (e2e/cockpit/hardening_authz_test.go) "+
			"against the real server, from the route table `e2e/cockpit/testdata/routes.json`. "+
			"Each cell: the status the caller got, ✓ when it is the precise status expected from the route's guard and shape "+
			"(refused callers 401/403; allowed callers: writes 400 — an unparsable body, DELETEs included — so nothing runs; a "+
			"GET of an unknown id 404; other GETs 200). "+
			"Team-scoped routes are called for a real team; other path parameters are unknown ids. GET cells also had the "+
			"plugin's whole KV store compared before and after.\n\n"+
			"**%d / %d cells as expected (%.1f %%).**\n\n",
		good,
		total,
		100*float64(good)/float64(total),
	)
	b.WriteString("| route | guard |")
	for _, c := range callers {
		b.WriteString(" " + c.name + " |")
	}
	b.WriteString("\n|---|---|")
	for range callers {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for i, r := range routes {
		fmt.Fprintf(&b, "| `%s %s` | %s |", r.Method, r.Path, r.Guard)
		for j := range callers {
			c := cells[i][j]
			switch {
			case c.status == 0:
				fmt.Fprintf(&b, " — %s |", c.note)
			case c.ok:
				fmt.Fprintf(&b, " %d ✓ |", c.status)
			default:
				fmt.Fprintf(&b, " **%d ✗ want %s** |", c.status, c.want)
			}
		}
		b.WriteString("\n")
	}
	path := artifactPath("AUTHZ_MATRIX_PATH", "authz-matrix.md")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestHardeningGETWithRealIDsChangesNothing calls every GET route that takes a path parameter with
// REAL ids (a completed wave, a role-template proposal to the fixture's team, a branding version
// holding an image, a preset kind, …: hardening_world_test.go) as every caller, with the plugin's KV
// store snapshotted around each call: handlers that find their entity run to the end, and still
// change nothing. Allowed callers must get 200 (the entity exists); the others 401/403 as in the matrix.
func TestHardeningGETWithRealIDsChangesNothing(t *testing.T) {
	routes := loadRouteTable(t)
	f := hardeningCallers(t)
	w := hardeningWorldFor(t)

	var calls, routesCalled int
	for _, r := range routes {
		if r.Method != http.MethodGet || len(r.Params) == 0 {
			continue
		}
		route, missing := w.fillRouteReal(f, r)
		if missing != "" {
			t.Errorf("%s: no real id for :%s; give hardening_world_test.go one (w.ids[%q])", r, missing, missing)
			continue
		}
		routesCalled++
		for _, c := range f.callers {
			want, err := expect(r, c, true)
			if err != nil {
				t.Error(err)
				continue
			}
			res, changed := unchangedAround(t, func() apiResult { return requestRoute(t, http.MethodGet, route, c.token, nil) })
			calls++
			if len(changed) > 0 {
				t.Errorf("GET %s as %s changed the KV store: %s", route, c.name, strings.Join(changed, ", "))
			}
			if !want.met(res.Status) {
				t.Errorf("GET %s as %s: %s, want %s", route, c.name, res, want)
			}
		}
	}
	if routesCalled == 0 {
		t.Fatal("no parameterised GET route in the table: nothing was checked")
	}
	t.Logf("GET with real ids: %d routes × %d callers = %d calls, each with a KV snapshot around it", routesCalled, len(f.callers), calls)
}

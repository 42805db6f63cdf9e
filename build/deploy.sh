#!/usr/bin/env bash
# `make deploy`: installs a plugin bundle into an existing Mattermost server and enables it.
#   build/deploy.sh <bundle.tar.gz> <plugin-id>
# Two ways in, tried in this order:
#   1. MM_SERVICESETTINGS_SITEURL + MM_ADMIN_TOKEN (a system admin's personal access token): REST API.
#   2. Local mode: the server's unix socket, MM_LOCALSOCKETPATH (default /var/tmp/mattermost_local.socket;
#      needs ServiceSettings.EnableLocalMode — `make dev` enables it). No mmctl needed: curl --unix-socket.
set -euo pipefail

bundle=${1:?usage: build/deploy.sh <bundle.tar.gz> <plugin-id>}
id=${2:?usage: build/deploy.sh <bundle.tar.gz> <plugin-id>}
[ -f "$bundle" ] || { echo "deploy: $bundle not found (run make dist)" >&2; exit 1; }

site=${MM_SERVICESETTINGS_SITEURL:-}
token=${MM_ADMIN_TOKEN:-}
socket=${MM_LOCALSOCKETPATH:-/var/tmp/mattermost_local.socket}

if [ -n "$site" ] && [ -n "$token" ]; then
    base=${site%/}
    curl_args=(-H "Authorization: Bearer $token" -H "X-Requested-With: XMLHttpRequest")
    how="$base (token)"
elif [ -S "$socket" ]; then
    base=http://localhost
    curl_args=(--unix-socket "$socket")
    how="local mode ($socket)"
else
    echo "deploy: set MM_SERVICESETTINGS_SITEURL and MM_ADMIN_TOKEN, or run a server with local mode on $socket (MM_LOCALSOCKETPATH)" >&2
    exit 1
fi

call() { # method path [curl args...] -> prints body, fails on HTTP >= 400
    local method=$1 path=$2; shift 2
    local out code
    out=$(mktemp)
    code=$(curl -sS -o "$out" -w '%{http_code}' -X "$method" "${curl_args[@]}" "$@" "$base$path") || { rm -f "$out"; return 1; }
    if [ "$code" -ge 400 ]; then
        echo "deploy: $method $path -> HTTP $code: $(cat "$out")" >&2
        rm -f "$out"
        return 1
    fi
    cat "$out"; rm -f "$out"
}

echo "deploy: uploading $(basename "$bundle") to $how" >&2
call POST /api/v4/plugins -F "plugin=@$bundle" -F force=true >/dev/null
echo "deploy: enabling $id" >&2
call POST "/api/v4/plugins/$id/enable" >/dev/null

# GET /api/v4/plugins lists {"active":[…],"inactive":[…]} in both modes (local mode has no /plugins/statuses).
active() {
    call GET /api/v4/plugins 2>/dev/null | node -e '
        let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
            const r = JSON.parse(s); process.exit((r.active || []).some((m) => m.id === process.argv[1]) ? 0 : 1);
        });' "$id"
}
for _ in $(seq 1 30); do
    if active; then
        echo "deploy: $id is active" >&2
        exit 0
    fi
    sleep 1
done
echo "deploy: $id is not active after 30s; see the server log" >&2
exit 1

#!/usr/bin/env bash
# Makes sure a PostgreSQL (14+) answers on 127.0.0.1:5432 and lets user postgres in without a password
# over local TCP (what the e2e tests and `make dev` use: postgres://postgres@127.0.0.1:5432/postgres).
# If none answers: installs Debian's postgresql (apt-get), starts its cluster, and sets trust auth for
# 127.0.0.1/::1. Idempotent; CI (.ci/run) and build/dev.sh call it.
# With TEST_DATABASE_POSTGRESQL_DSN set, it only checks that the DSN is reachable.
set -euo pipefail

log() { echo "ensure-postgres: $*" >&2; }

if [ -n "${TEST_DATABASE_POSTGRESQL_DSN:-}" ]; then
    if command -v psql >/dev/null 2>&1; then
        psql "$TEST_DATABASE_POSTGRESQL_DSN" -Atqc 'select 1' >/dev/null || { log "TEST_DATABASE_POSTGRESQL_DSN is not reachable"; exit 1; }
    fi
    log "using TEST_DATABASE_POSTGRESQL_DSN"
    exit 0
fi

tcp_open() { (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null; }
can_login() { command -v psql >/dev/null 2>&1 && psql -h 127.0.0.1 -p 5432 -U postgres -d postgres -w -Atqc 'select 1' >/dev/null 2>&1; }

if tcp_open && can_login; then
    log "PostgreSQL answers on 127.0.0.1:5432 ($(psql -h 127.0.0.1 -U postgres -w -Atqc 'show server_version'))"
    exit 0
fi

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! ls /etc/postgresql/*/main/postgresql.conf >/dev/null 2>&1; then
    log "installing postgresql (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    as_root apt-get update -qq
    as_root apt-get install -y -qq --no-install-recommends postgresql postgresql-client
fi

version=$(ls /etc/postgresql | sort -V | tail -1)
conf_dir=/etc/postgresql/$version/main
hba=$conf_dir/pg_hba.conf

# Trust for local TCP (loopback only), ahead of any other host rule.
if ! as_root grep -q '^# cockpit-e2e trust' "$hba"; then
    log "setting trust auth for 127.0.0.1 and ::1 in $hba"
    tmp=$(mktemp)
    { echo '# cockpit-e2e trust: the e2e tests and make dev connect as postgres without a password'
      echo 'host all all 127.0.0.1/32 trust'
      echo 'host all all ::1/128 trust'
      as_root cat "$hba"; } > "$tmp"
    as_root cp "$tmp" "$hba"
    rm -f "$tmp"
fi
# Listen on loopback (Debian's default is localhost already).
as_root grep -q "^listen_addresses" "$conf_dir/postgresql.conf" || echo "listen_addresses = 'localhost'" | as_root tee -a "$conf_dir/postgresql.conf" >/dev/null

if tcp_open; then
    log "reloading PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload || true
else
    log "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
fi

for _ in $(seq 1 60); do
    if tcp_open && can_login; then
        log "PostgreSQL $version ready on 127.0.0.1:5432"
        exit 0
    fi
    sleep 0.5
done
log "PostgreSQL did not become reachable on 127.0.0.1:5432 as postgres without a password"
exit 1

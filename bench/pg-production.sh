# Sourced by bench/e2e-command.sh (not run): gives the benchmark a production-like PostgreSQL.
#
# Default: a PRIVATE PostgreSQL instance for this run only — Debian's initdb/pg_ctl, a data directory
# under a temporary directory, 127.0.0.1 on a free port, trust auth, autovacuum on with PostgreSQL's
# default thresholds, memory settings after Mattermost's PostgreSQL guidance scaled to this machine.
# It is stopped and its directory removed when the benchmark ends (pg_production_stop; the caller's
# EXIT trap). It exports TEST_DATABASE_POSTGRESQL_DSN (every e2e command and mmserver use it) and
# BENCH_PG_MODE=private. The shared instance on :5432 (CI uses it) is not touched.
#
# BENCH_SHARED_POSTGRES=1: the shared PostgreSQL as before (build/ensure-postgres.sh), BENCH_PG_MODE=shared;
# the benchmarks then ANALYZE after every bulk seed (nothing else refreshes the planner statistics there:
# its autovacuum is off).
#
# The benchmark itself prints which database it ran on and the settings read back from the running
# instance with SHOW (benchkit.PrintDatabase).

pg_production_log() { echo "pg-production: $*" >&2; }

# The settings. Mattermost's PostgreSQL guidance for its database servers (the high-availability /
# database tuning pages of docs.mattermost.com, as far as they could be looked up here; where they
# only say "scale to the server", PostgreSQL's well-known rules of thumb are used):
#   shared_buffers        25 % of RAM (the guidance for a server that also runs other things: "20 % or
#                         less"; PostgreSQL's rule: 25 %), capped at 4 GB — this machine also runs the
#                         Mattermost server, the plugin and the load client;
#   effective_cache_size  65 % of RAM (Mattermost: 65 % of memory; only a planner hint);
#   work_mem              16 MB (Mattermost: 16 MB for a single instance);
#   maintenance_work_mem  512 MB, or 5 % of RAM if smaller (Mattermost: 512 MB under 32 GB of RAM);
#   random_page_cost      1.1 (Mattermost: 1.1 unless on spinning disks);
#   max_connections       Mattermost says to match SqlSettings.MaxOpenConns (100 by default, what
#                         mmserver uses) with headroom: 300 (pool + admin connections + the bench's own);
#   autovacuum            on, every threshold at PostgreSQL's default (production does not tune
#                         these for a fresh database either).
pg_production_settings() {
    local mem_kb mem_mb shared_mb cache_mb maint_mb
    mem_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
    mem_mb=$((mem_kb / 1024))
    shared_mb=$((mem_mb / 4))
    [ "$shared_mb" -gt 4096 ] && shared_mb=4096
    [ "$shared_mb" -lt 128 ] && shared_mb=128
    cache_mb=$((mem_mb * 65 / 100))
    maint_mb=$((mem_mb / 20))
    [ "$maint_mb" -gt 512 ] && maint_mb=512
    [ "$maint_mb" -lt 64 ] && maint_mb=64
    cat <<EOF
listen_addresses = '127.0.0.1'
max_connections = 300
shared_buffers = ${shared_mb}MB
effective_cache_size = ${cache_mb}MB
work_mem = 16MB
maintenance_work_mem = ${maint_mb}MB
random_page_cost = 1.1
autovacuum = on
track_counts = on
dynamic_shared_memory_type = posix
log_min_messages = warning
logging_collector = off
EOF
}

pg_production_bin() {
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
        pg_production_log "installing postgresql (build/ensure-postgres.sh's package, apt-get)"
        local sudo=
        [ "$(id -u)" = 0 ] || sudo=sudo
        DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends postgresql postgresql-client >/dev/null
        bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    fi
    echo "$bin"
}

# Runs a command as the instance's owner: postgres refuses to run as root.
pg_production_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

pg_production_stop() {
    [ -n "${PG_PRODUCTION_DIR:-}" ] || return 0
    if [ -f "$PG_PRODUCTION_DIR/data/postmaster.pid" ]; then
        pg_production_as_owner "$PG_PRODUCTION_BIN/pg_ctl" -D "$PG_PRODUCTION_DIR/data" -m fast -w stop >/dev/null 2>&1 ||
            pg_production_as_owner "$PG_PRODUCTION_BIN/pg_ctl" -D "$PG_PRODUCTION_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$PG_PRODUCTION_DIR"
    pg_production_log "stopped the private instance and removed $PG_PRODUCTION_DIR"
    PG_PRODUCTION_DIR=
}

pg_production_start() {
    if [ "${BENCH_SHARED_POSTGRES:-}" = 1 ]; then
        bash build/ensure-postgres.sh
        export BENCH_PG_MODE=shared
        pg_production_log "BENCH_SHARED_POSTGRES=1: the shared PostgreSQL (${TEST_DATABASE_POSTGRESQL_DSN:-127.0.0.1:5432}), ANALYZE after every bulk seed"
        return 0
    fi
    PG_PRODUCTION_BIN=$(pg_production_bin)
    PG_PRODUCTION_DIR=$(mktemp -d /tmp/bench-pg.XXXXXX)
    chmod 755 "$PG_PRODUCTION_DIR"
    mkdir -p "$PG_PRODUCTION_DIR/data"
    [ "$(id -u)" = 0 ] && chown postgres: "$PG_PRODUCTION_DIR" "$PG_PRODUCTION_DIR/data"
    chmod 700 "$PG_PRODUCTION_DIR/data"
    pg_production_as_owner "$PG_PRODUCTION_BIN/initdb" -D "$PG_PRODUCTION_DIR/data" -U postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 >"$PG_PRODUCTION_DIR/initdb.log" 2>&1 ||
        { cat "$PG_PRODUCTION_DIR/initdb.log" >&2; return 1; }
    pg_production_settings | pg_production_as_owner tee -a "$PG_PRODUCTION_DIR/data/postgresql.conf" >/dev/null

    # A free loopback port: try random ones until the server starts on one (another process may take
    # a port between the check and the start).
    local port tries=0
    while :; do
        tries=$((tries + 1))
        port=$((20000 + RANDOM % 20000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            continue
        fi
        if pg_production_as_owner "$PG_PRODUCTION_BIN/pg_ctl" -D "$PG_PRODUCTION_DIR/data" -w -t 60 \
            -l "$PG_PRODUCTION_DIR/data/server.log" \
            -o "-p $port -k $PG_PRODUCTION_DIR/data" start >/dev/null; then
            break
        fi
        if [ "$tries" -ge 5 ]; then
            pg_production_log "the private instance did not start:"
            tail -20 "$PG_PRODUCTION_DIR/data/server.log" >&2 || true
            return 1
        fi
    done
    export TEST_DATABASE_POSTGRESQL_DSN="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
    export BENCH_PG_MODE=private
    pg_production_log "private PostgreSQL $("$PG_PRODUCTION_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $PG_PRODUCTION_DIR/data)"
}

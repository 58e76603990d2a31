#!/usr/bin/env bash
# A throwaway PostgreSQL server for the storage tests.
#
#   scripts/pg.sh         install (if needed), init and start it; print its URL on stdout
#   scripts/pg.sh stop    stop it
#
# Idempotent. Listens on 127.0.0.1 only. Logs go to stderr; stdout carries only the URL, so
#   export NEWSDESK_TEST_DATABASE_URL="$(scripts/pg.sh)"
# works. Tunables: NEWSDESK_PG_DIR (default /tmp/newsdesk-pg), NEWSDESK_PG_PORT (54329),
# NEWSDESK_PG_STOP_MODE (fast; immediate stops as a crash would, for restart tests),
# NEWSDESK_PG_START_TIMEOUT (300 s: a cluster that was not shut down cleanly replays its WAL
# first, which took over two minutes on a loaded machine).
set -euo pipefail

exec 3>&1 1>&2 # keep stdout for the URL alone
HERE="$(cd "$(dirname "$0")" && pwd)"

PG_DIR="$(realpath -m "${NEWSDESK_PG_DIR:-/tmp/newsdesk-pg}")"
PG_PORT="${NEWSDESK_PG_PORT:-54329}"
PG_DATA="$PG_DIR/data"
PG_LOG="$PG_DIR/server.log"
ROLE=newsdesk
PASSWORD=newsdesk
DATABASE=newsdesk_test

log() { printf 'pg.sh: %s\n' "$*" >&2; }

find_bin_dir() {
    local dir
    dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
    if [[ -z "$dir" ]] && command -v pg_ctl >/dev/null 2>&1; then
        dir="$(dirname "$(command -v pg_ctl)")"
    fi
    printf '%s' "$dir"
}

# initdb and postgres refuse to run as root: run them as the postgres OS user then.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

psql_admin() {
    as_owner "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U postgres \
        -d postgres "$@"
}

BIN="$(find_bin_dir)"
cd / # the postgres OS user may not be allowed into the caller's directory

if [[ "${1:-start}" == "stop" ]]; then
    if [[ -n "$BIN" && -f "$PG_DATA/PG_VERSION" ]] && as_owner "$BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
        as_owner "$BIN/pg_ctl" -D "$PG_DATA" -m "${NEWSDESK_PG_STOP_MODE:-fast}" -w stop
        log "stopped"
    else
        log "not running"
    fi
    exit 0
fi

if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
    "$HERE/system-deps.sh" test
    BIN="$(find_bin_dir)"
    if [[ -z "$BIN" || ! -x "$BIN/initdb" ]]; then
        log "PostgreSQL server binaries not found; install the 'postgresql' package."
        exit 1
    fi
fi
log "using $BIN"

mkdir -p "$PG_DIR"
if [[ "$(id -u)" == 0 ]]; then
    chown postgres: "$PG_DIR"
fi

# Two callers at once (two checkouts' test runs) would both try to start the one cluster and
# one of them would time out: the second waits for the first here.
exec 9>"$PG_DIR/pg.sh.lock"
flock 9

if [[ ! -f "$PG_DATA/PG_VERSION" ]]; then
    log "initialising cluster in $PG_DATA"
    as_owner "$BIN/initdb" -D "$PG_DATA" -U postgres --encoding=UTF8 --locale=C.UTF-8 \
        --auth-local=trust --auth-host=scram-sha-256 >&2
fi

if ! as_owner "$BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then
    log "starting on 127.0.0.1:$PG_PORT"
    # Durability is irrelevant for a throwaway test cluster; speed is not.
    if ! as_owner "$BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t "${NEWSDESK_PG_START_TIMEOUT:-300}" \
        -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start </dev/null >&2 3>&- 9>&-; then # the server inherits neither the URL's stdout nor the lock
        log "the server did not start; its log: $PG_LOG"
        exit 1
    fi
fi

if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'")" != 1 ]]; then
    log "creating role $ROLE"
    psql_admin -c "CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD'"
fi
if [[ "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'")" != 1 ]]; then
    log "creating database $DATABASE"
    psql_admin -c "CREATE DATABASE $DATABASE OWNER $ROLE"
fi

printf 'postgresql+psycopg://%s:%s@127.0.0.1:%s/%s\n' "$ROLE" "$PASSWORD" "$PG_PORT" "$DATABASE" >&3

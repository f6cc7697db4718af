#!/usr/bin/env bash
# Starts a local PostgreSQL for the database tests and prints its URL (the only line on stdout):
#
#   export TEST_DATABASE_URL="$(scripts/start-test-postgres.sh)"
#
# Uses the Debian cluster 15/main (any installed cluster when 15 is absent); installs the
# `postgresql` package first when PostgreSQL is missing and we are root. Creates the role and
# database `fleetdeck_test` (the role may create databases: each test run makes its own). The
# password is generated once and kept in the gitignored data dir. Safe to run repeatedly.
set -euo pipefail

log() { echo "[test-postgres] $*" >&2; }

ROLE=fleetdeck_test
DATABASE=fleetdeck_test
DATA_DIR="${FLEETDECK_DATA_DIR:-.data}"
PASSWORD_FILE="$DATA_DIR/test-postgres-password"

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    log "PostgreSQL is not installed and we are not root: install the 'postgresql' package, or set TEST_DATABASE_URL."
    exit 1
  fi
  log "installing PostgreSQL (apt-get install -y postgresql)…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q postgresql >&2 || { apt-get update -q >&2 && apt-get install -y -q postgresql >&2; }
fi

# Run a command as the postgres OS user, whoever we are.
as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"
  elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"
  else sudo -n -u postgres -- "$@"
  fi
}

# Pick cluster 15/main when it exists, else the first cluster listed.
read -r VERSION CLUSTER PORT STATUS < <(
  pg_lsclusters --no-header | awk '$1 == "15" && $2 == "main" { print $1, $2, $3, $4; found = 1; exit }
    END { if (!found) exit 1 }' || pg_lsclusters --no-header | awk 'NR == 1 { print $1, $2, $3, $4 }'
)
if [ -z "${VERSION:-}" ]; then
  if [ "$(id -u)" -ne 0 ]; then log "no PostgreSQL cluster exists; create one with pg_createcluster"; exit 1; fi
  log "no PostgreSQL cluster exists; creating 15/main"
  pg_createcluster 15 main >&2
  read -r VERSION CLUSTER PORT STATUS < <(pg_lsclusters --no-header | awk '$1 == "15" && $2 == "main" { print $1, $2, $3, $4 }')
fi

if [ "$STATUS" != online ]; then
  log "starting cluster $VERSION/$CLUSTER on port $PORT"
  # A parallel run may start it between our check and here; "already running" is fine.
  pg_ctlcluster "$VERSION" "$CLUSTER" start >&2 || pg_lsclusters --no-header | awk -v v="$VERSION" -v c="$CLUSTER" \
    '$1 == v && $2 == c && $4 == "online" { ok = 1 } END { exit ok ? 0 : 1 }'
fi

for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$PORT" && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p "$PORT" || { log "PostgreSQL on port $PORT did not become ready"; exit 1; }

mkdir -p "$DATA_DIR"
if [ ! -s "$PASSWORD_FILE" ]; then
  (umask 077 && od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$PASSWORD_FILE")
fi
PASSWORD="$(cat "$PASSWORD_FILE")"

as_postgres psql -q -X -v ON_ERROR_STOP=1 -p "$PORT" -d postgres -v role="$ROLE" -v password="$PASSWORD" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('ALTER ROLE %I LOGIN CREATEDB PASSWORD %L', :'role', :'password') \gexec
SQL
as_postgres psql -q -X -v ON_ERROR_STOP=1 -p "$PORT" -d postgres -v role="$ROLE" -v db="$DATABASE" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'role')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL

log "PostgreSQL $VERSION ready on 127.0.0.1:$PORT (database $DATABASE, role $ROLE)"
echo "postgresql://$ROLE:$PASSWORD@127.0.0.1:$PORT/$DATABASE"

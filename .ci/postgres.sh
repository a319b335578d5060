#!/usr/bin/env bash
# Installs (if needed) and starts a local PostgreSQL cluster, then makes sure the test role
# and database exist. Idempotent: safe to run on every CI run and on a developer machine.
#
# Settings (environment): NQL_TEST_PG_USER (default nql), NQL_TEST_PG_PASSWORD (default nql),
# NQL_TEST_PG_DB (default nql_test), NQL_TEST_PG_PORT (default 5432).
set -euo pipefail

PG_USER="${NQL_TEST_PG_USER:-nql}"
PG_PASSWORD="${NQL_TEST_PG_PASSWORD:-nql}"
PG_DB="${NQL_TEST_PG_DB:-nql_test}"
PG_PORT="${NQL_TEST_PG_PORT:-5432}"

log() { echo "[postgres.sh] $*" >&2; }

# Run a command as root: directly when we are root, through sudo when it is available.
as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo -n "$@"
  else
    log "need root or sudo to run: $*"
    return 1
  fi
}

# Run a command as the postgres superuser (peer authentication over the local socket).
as_postgres() {
  if [ "$(id -un)" = "postgres" ]; then
    "$@"
  elif [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    sudo -n -u postgres "$@"
  fi
}

if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! command -v psql >/dev/null 2>&1; then
  log "installing PostgreSQL with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql postgresql-client
fi

# Pick the cluster on the wanted port, else the newest installed cluster.
cluster="$(pg_lsclusters --no-header 2>/dev/null | awk -v p="$PG_PORT" '$3 == p {print $1, $2; exit}')"
if [ -z "$cluster" ]; then
  cluster="$(pg_lsclusters --no-header 2>/dev/null | sort -V -k1,1 | tail -n 1 | awk '{print $1, $2}')"
fi
if [ -z "$cluster" ]; then
  version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
  log "creating cluster $version main on port $PG_PORT"
  as_root pg_createcluster --port "$PG_PORT" "$version" main
  cluster="$version main"
fi
read -r version name <<<"$cluster"
port="$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {print $3}')"

status="$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1 == v && $2 == n {print $4}')"
if [ "$status" != "online" ]; then
  log "starting cluster $version $name (port $port)"
  as_root pg_ctlcluster "$version" "$name" start || true
fi

for _ in $(seq 1 60); do
  if as_postgres psql -p "$port" -d postgres -qtAc 'select 1' >/dev/null 2>&1; then
    break
  fi
  sleep 1
done
if ! as_postgres psql -p "$port" -d postgres -qtAc 'select 1' >/dev/null 2>&1; then
  log "cluster $version $name does not accept connections on port $port"
  exit 1
fi

psql_admin() { as_postgres psql -p "$port" -d postgres -v ON_ERROR_STOP=1 -qtA "$@"; }

if [ "$(psql_admin -c "select 1 from pg_roles where rolname = '$PG_USER'")" != "1" ]; then
  log "creating role $PG_USER"
  psql_admin -c "create role \"$PG_USER\" login password '$PG_PASSWORD'"
fi
# CREATEDB: the metrics readiness test gives a gateway a database of its own, whose connections it
# then cuts and refuses (ALTER DATABASE … ALLOW_CONNECTIONS false), and drops it afterwards.
if [ "$(psql_admin -c "select rolcreatedb from pg_roles where rolname = '$PG_USER'")" != "t" ]; then
  log "granting CREATEDB to role $PG_USER"
  psql_admin -c "alter role \"$PG_USER\" createdb"
fi
if [ "$(psql_admin -c "select 1 from pg_database where datname = '$PG_DB'")" != "1" ]; then
  log "creating database $PG_DB"
  psql_admin -c "create database \"$PG_DB\" owner \"$PG_USER\""
fi

log "PostgreSQL $version ready on port $port: database $PG_DB, role $PG_USER"

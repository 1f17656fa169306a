#!/usr/bin/env bash
# Starts Debian's PostgreSQL 15 cluster and creates the test role and database. Idempotent; installs nothing.
# Prints the DATABASE_URL to use as its last line of standard output (everything else goes to standard error).
set -euo pipefail

PG_VERSION="${PG_VERSION:-15}"
PG_CLUSTER="${PG_CLUSTER:-main}"
DB_ROLE="${NEXIS_PG_ROLE:-nexis}"
DB_PASSWORD="${NEXIS_PG_PASSWORD:-nexis}"
DB_NAME="${NEXIS_PG_DB:-nexis_test}"
PG_PORT="${PG_PORT:-5432}"

if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "ci-postgres: pg_ctlcluster not found; install Debian's postgresql package first" >&2
  exit 1
fi

as_postgres() {
  if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -c "$(printf '%q ' "$@")"; fi
}

if ! pg_lsclusters -h | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" '$1 == v && $2 == c && $4 == "online" { found = 1 } END { exit !found }'; then
  echo "ci-postgres: starting cluster $PG_VERSION/$PG_CLUSTER" >&2
  pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi

for _ in $(seq 1 30); do
  if as_postgres pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then break; fi
  sleep 1
done
as_postgres pg_isready -q -h 127.0.0.1 -p "$PG_PORT"

if [ "$(as_postgres psql -p "$PG_PORT" -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$DB_ROLE'")" != 1 ]; then
  echo "ci-postgres: creating role $DB_ROLE" >&2
  as_postgres psql -q -p "$PG_PORT" -c "CREATE ROLE \"$DB_ROLE\" LOGIN PASSWORD '$DB_PASSWORD' SUPERUSER"
fi
if [ "$(as_postgres psql -p "$PG_PORT" -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" != 1 ]; then
  echo "ci-postgres: creating database $DB_NAME" >&2
  as_postgres createdb -p "$PG_PORT" -O "$DB_ROLE" "$DB_NAME"
fi

echo "postgres://$DB_ROLE:$DB_PASSWORD@127.0.0.1:$PG_PORT/$DB_NAME"

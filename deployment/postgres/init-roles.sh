#!/bin/sh
# PostgreSQL image init step (docker-entrypoint-initdb.d, first start of an empty volume only): the API's
# least-privilege role, its password from the mounted secret. Later runs of roles.sql (after each migrate) are the
# operator's: docs/deployment.md.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password_file=/run/secrets/postgres-app-password \
  -f /etc/nexis/roles.sql

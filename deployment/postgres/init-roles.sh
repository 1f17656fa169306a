#!/bin/sh
# PostgreSQL image init step (docker-entrypoint-initdb.d, first start of an empty volume only), run as the image's
# superuser (POSTGRES_USER=postgres, reachable on the container's own socket only). It makes the schema owner
# nexis_owner (not a superuser: what `migrate`, backups and restores connect as) and, with roles.sql, the API's role
# nexis_app; each password from its mounted secret. Later runs of roles.sql (after each migrate or restore) are the
# DBA's: docs/deployment.md. NEXIS_SECRETS_DIR and NEXIS_ROLES_SQL move the files (the deployment test runs this
# script natively).
set -eu
secrets="${NEXIS_SECRETS_DIR:-/run/secrets}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_password_file="$secrets/postgres-owner-password" <<'SQL'
SET client_min_messages = warning;
SELECT 'CREATE ROLE nexis_owner' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nexis_owner') \gexec
ALTER ROLE nexis_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
\set owner_password `cat :'owner_password_file'`
SET log_statement = 'none';
SELECT format('ALTER ROLE nexis_owner PASSWORD %L', :'owner_password') \gexec
RESET log_statement;
\unset owner_password
SELECT format('ALTER DATABASE %I OWNER TO nexis_owner', current_database()) \gexec
ALTER SCHEMA public OWNER TO nexis_owner;
SQL
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner=nexis_owner -v app_password_file="$secrets/postgres-app-password" \
  -f "${NEXIS_ROLES_SQL:-/etc/nexis/roles.sql}"

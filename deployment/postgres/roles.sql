-- Least-privilege roles for the NEXIS central API (docs/deployment.md, "PostgreSQL hardening").
--
--   nexis_owner  owns the database and its schema; runs migrations (`migrate`) and backups; not a superuser.
--   nexis_app    what every API instance connects as: reads and writes rows, never changes the schema, never
--                rewrites or deletes the append-only records (the server's own audit chain and its checkpoints, the
--                countersigned checkpoints; the devices' audit entries may only have their attachment columns
--                cleared, by erasure, never be deleted or otherwise changed).
--
-- Run it as a superuser (the DBA's `postgres`) when the database is created (the compose file's init script does)
-- and again after every `migrate` and every restore (new tables get the default privileges below; the revocations
-- and column grants are re-applied; the roles' attributes are set again, so a role someone escalated is put back):
--   psql "$DBA_URL/nexis" -v app_password_file=/run/secrets/postgres-app-password -f deployment/postgres/roles.sql
-- psql reads the password from the file (never on a command line, where `ps` would show it), and the statement that
-- sets it is kept out of the server log. Without `app_password_file` the role keeps the password it has.
-- `-v owner=<role>` names another owning role (default nexis_owner): the role that runs `migrate`.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
\if :{?owner}
\else
\set owner nexis_owner
\endif

SELECT format('CREATE ROLE nexis_app LOGIN')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'nexis_app') \gexec
-- Every time, not only at creation: whatever someone granted the role since is taken back.
ALTER ROLE nexis_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS;
SELECT format('REVOKE %I FROM nexis_app', r.rolname)
FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid
WHERE m.member = (SELECT oid FROM pg_roles WHERE rolname = 'nexis_app') \gexec

\if :{?app_password_file}
\set app_password `cat :'app_password_file'`
-- The password would otherwise be in the log of any server that logs DDL.
SET log_statement = 'none';
SELECT format('ALTER ROLE nexis_app PASSWORD %L', :'app_password') \gexec
RESET log_statement;
\unset app_password
\endif

-- A connection budget per role, so a runaway pool cannot take the owner's (and the operators') connections.
ALTER ROLE nexis_app CONNECTION LIMIT 60;
-- A hung query is cut off rather than holding a pool connection for ever.
ALTER ROLE nexis_app SET statement_timeout = '30s';
ALTER ROLE nexis_app SET idle_in_transaction_session_timeout = '60s';

REVOKE ALL ON DATABASE :"DBNAME" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"DBNAME" TO nexis_app;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO nexis_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO nexis_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO nexis_app;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO nexis_app;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO nexis_app;

-- The migrations journal: instances read it to refuse a schema they do not match (NEXIS_MIGRATE=verify).
SELECT format('CREATE SCHEMA drizzle AUTHORIZATION %I', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle') \gexec
GRANT USAGE ON SCHEMA drizzle TO nexis_app;
GRANT SELECT ON ALL TABLES IN SCHEMA drizzle TO nexis_app;
ALTER DEFAULT PRIVILEGES FOR ROLE :"owner" IN SCHEMA drizzle GRANT SELECT ON TABLES TO nexis_app;

-- Append-only records (present once the first migration ran).
SELECT format('REVOKE UPDATE, DELETE, TRUNCATE ON %I FROM nexis_app', t)
FROM unnest(ARRAY['server_audit', 'server_audit_checkpoints', 'countersigned_checkpoints']) AS t
WHERE to_regclass(format('public.%I', t)) IS NOT NULL \gexec
-- Devices' audit entries: inserted by ingest, attachments cleared by erasure (server/sync/erasure.ts), nothing else.
SELECT 'REVOKE UPDATE, DELETE, TRUNCATE ON audit_entries FROM nexis_app'
WHERE to_regclass('public.audit_entries') IS NOT NULL \gexec
SELECT 'GRANT UPDATE (attachment, attachment_kind, attachment_sealed) ON audit_entries TO nexis_app'
WHERE to_regclass('public.audit_entries') IS NOT NULL \gexec

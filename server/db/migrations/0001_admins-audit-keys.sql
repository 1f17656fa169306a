CREATE TABLE "admin_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"admin_id" text NOT NULL,
	"kind" text NOT NULL,
	"pending_secret" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "admins" (
	"admin_id" text PRIMARY KEY NOT NULL,
	"username" text NOT NULL,
	"password_hash" text NOT NULL,
	"roles" jsonb NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"totp_secret" text,
	"totp_last_step" bigint DEFAULT 0 NOT NULL,
	"must_change_password" boolean DEFAULT true NOT NULL,
	"failed_attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text NOT NULL,
	"last_sign_in_at" timestamp with time zone,
	CONSTRAINT "admins_username_unique" UNIQUE("username")
);
--> statement-breakpoint
CREATE TABLE "proposals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"body" jsonb NOT NULL,
	"summary" jsonb NOT NULL,
	"proposed_by" text NOT NULL,
	"proposed_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"decided_by" text,
	"decided_at" timestamp with time zone,
	"decision_reason" text,
	"result" jsonb,
	"dedupe_key" text
);
--> statement-breakpoint
CREATE TABLE "applicant_keys" (
	"applicant_id" text PRIMARY KEY NOT NULL,
	"master_key_id" text NOT NULL,
	"wrapped_key" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_audit" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"ts" text NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"payload" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_audit_checkpoints" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"head_hash" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"signed_at" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_entries" ADD COLUMN "attachment_sealed" text;--> statement-breakpoint
ALTER TABLE "countersigned_checkpoints" ADD COLUMN "key_id" text DEFAULT 'cs-legacy' NOT NULL;--> statement-breakpoint
CREATE INDEX "admin_sessions_admin" ON "admin_sessions" USING btree ("admin_id");--> statement-breakpoint
CREATE INDEX "proposals_status" ON "proposals" USING btree ("status","id");--> statement-breakpoint
CREATE FUNCTION server_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the server audit chain is append-only';
END;
$$;--> statement-breakpoint
CREATE TRIGGER server_audit_no_update BEFORE UPDATE OR DELETE ON "server_audit" FOR EACH ROW EXECUTE FUNCTION server_audit_append_only();--> statement-breakpoint
CREATE TRIGGER server_audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON "server_audit_checkpoints" FOR EACH ROW EXECUTE FUNCTION server_audit_append_only();
--> statement-breakpoint
CREATE TRIGGER server_audit_no_truncate BEFORE TRUNCATE ON "server_audit" FOR EACH STATEMENT EXECUTE FUNCTION server_audit_append_only();--> statement-breakpoint
CREATE TRIGGER server_audit_checkpoints_no_truncate BEFORE TRUNCATE ON "server_audit_checkpoints" FOR EACH STATEMENT EXECUTE FUNCTION server_audit_append_only();

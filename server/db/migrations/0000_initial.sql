CREATE TABLE "auth_challenges" (
	"nonce" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"device_id" text PRIMARY KEY NOT NULL,
	"branch_id" text NOT NULL,
	"public_key" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_contact_at" timestamp with time zone,
	"acked_seq" bigint DEFAULT 0 NOT NULL,
	"acked_hash" text NOT NULL,
	"reported_head_seq" bigint DEFAULT 0 NOT NULL,
	"last_push_id" bigint DEFAULT 0 NOT NULL,
	"chain_status" text DEFAULT 'ok' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "enrolment_codes" (
	"code_hash" text PRIMARY KEY NOT NULL,
	"branch_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"used_by" text
);
--> statement-breakpoint
CREATE TABLE "audit_entries" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"ts" text NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"subject" text,
	"payload" text NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	"attachment_kind" text,
	"attachment" jsonb,
	"branch_id" text NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "audit_entries_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "chain_issues" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"kind" text NOT NULL,
	"seq" bigint NOT NULL,
	"detail" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "countersigned_checkpoints" (
	"device_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"head_hash" text NOT NULL,
	"device_signature" text NOT NULL,
	"server_signature" text NOT NULL,
	"countersigned_at" timestamp with time zone NOT NULL,
	CONSTRAINT "countersigned_checkpoints_device_id_seq_pk" PRIMARY KEY("device_id","seq")
);
--> statement-breakpoint
CREATE TABLE "failures" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"device_id" text,
	"route" text NOT NULL,
	"code" text NOT NULL,
	"detail" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "feed_items" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"branch_id" text,
	"origin_device_id" text,
	"dedupe_key" text,
	"body" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"kind" text NOT NULL,
	"version" text NOT NULL,
	"feed_item_id" bigint NOT NULL,
	"published_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "server_state" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "auth_challenges_expiry" ON "auth_challenges" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "devices_branch" ON "devices" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "audit_entries_branch_received" ON "audit_entries" USING btree ("branch_id","received_at");--> statement-breakpoint
CREATE INDEX "chain_issues_device" ON "chain_issues" USING btree ("device_id","id");--> statement-breakpoint
CREATE INDEX "failures_device" ON "failures" USING btree ("device_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "feed_items_dedupe" ON "feed_items" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "feed_items_branch" ON "feed_items" USING btree ("branch_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_kind_version" ON "releases" USING btree ("kind","version");
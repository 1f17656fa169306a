CREATE TABLE "app_releases" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel" text NOT NULL,
	"version" text NOT NULL,
	"serial" integer NOT NULL,
	"signed" jsonb NOT NULL,
	"rollout_percent" integer NOT NULL,
	"published_at" timestamp with time zone NOT NULL,
	"proposal_id" integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX "app_releases_channel" ON "app_releases" USING btree ("channel","id");--> statement-breakpoint
CREATE UNIQUE INDEX "app_releases_channel_proposal" ON "app_releases" USING btree ("channel","proposal_id");
ALTER TABLE "devices" ADD COLUMN "recovered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "enrolment_codes" ADD COLUMN "device_id" text;
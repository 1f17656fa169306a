CREATE TABLE "device_reports" (
	"device_id" text PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "releases" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "device_reports" ADD CONSTRAINT "device_reports_device_id_devices_device_id_fk" FOREIGN KEY ("device_id") REFERENCES "devices"("device_id") ON DELETE no action ON UPDATE no action;
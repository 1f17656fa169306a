CREATE TABLE "feature_bin_counts" (
	"device_id" text NOT NULL,
	"branch_id" text NOT NULL,
	"model_version" text NOT NULL,
	"month" text NOT NULL,
	"scores" integer NOT NULL,
	"features" jsonb NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	CONSTRAINT "feature_bin_counts_device_id_model_version_month_pk" PRIMARY KEY("device_id","model_version","month")
);
--> statement-breakpoint
ALTER TABLE "feature_bin_counts" ADD CONSTRAINT "feature_bin_counts_device_id_devices_device_id_fk" FOREIGN KEY ("device_id") REFERENCES "devices"("device_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "feature_bin_counts_version" ON "feature_bin_counts" USING btree ("model_version","month");
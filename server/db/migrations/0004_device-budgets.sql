CREATE TABLE "device_request_budgets" (
	"device_id" text NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"used" integer NOT NULL,
	CONSTRAINT "device_request_budgets_device_id_window_start_pk" PRIMARY KEY("device_id","window_start")
);

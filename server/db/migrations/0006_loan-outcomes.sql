CREATE TABLE "loan_outcomes" (
	"decision_id" text NOT NULL,
	"as_of" date NOT NULL,
	"status" text NOT NULL,
	"source" text NOT NULL,
	"import_id" text NOT NULL,
	"recorded_by" text NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	CONSTRAINT "loan_outcomes_decision_id_as_of_pk" PRIMARY KEY("decision_id","as_of")
);
--> statement-breakpoint
CREATE TABLE "outcome_imports" (
	"import_id" text PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"imported_by" text NOT NULL,
	"imported_at" timestamp with time zone NOT NULL,
	"body_sha256" text NOT NULL,
	"rows" integer NOT NULL,
	"imported" integer NOT NULL,
	"unchanged" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "loan_outcomes" ADD CONSTRAINT "loan_outcomes_import_id_outcome_imports_import_id_fk" FOREIGN KEY ("import_id") REFERENCES "outcome_imports"("import_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "loan_outcomes_import" ON "loan_outcomes" USING btree ("import_id");
CREATE TABLE `applicant_keys` (
	`applicant_id` text PRIMARY KEY NOT NULL,
	`wrapped_key` text NOT NULL,
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `applicant_pii` (
	`applicant_id` text NOT NULL,
	`field` text NOT NULL,
	`ciphertext` text NOT NULL,
	PRIMARY KEY(`applicant_id`, `field`),
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `applicant_search` (
	`token` text NOT NULL,
	`applicant_id` text NOT NULL,
	PRIMARY KEY(`token`, `applicant_id`),
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `applicant_search_applicant` ON `applicant_search` (`applicant_id`);--> statement-breakpoint
CREATE TABLE `applicants` (
	`id` text PRIMARY KEY NOT NULL,
	`status` text NOT NULL,
	`created_at` text NOT NULL,
	`created_by` text NOT NULL,
	`erased_at` text
);
--> statement-breakpoint
CREATE INDEX `applicants_created_at` ON `applicants` (`created_at`);--> statement-breakpoint
CREATE TABLE `behavioural_records` (
	`id` text PRIMARY KEY NOT NULL,
	`applicant_id` text NOT NULL,
	`captured_at` text NOT NULL,
	`officer_id` text NOT NULL,
	`source` text NOT NULL,
	`spec_id` text NOT NULL,
	`spec_version` text NOT NULL,
	`values` text NOT NULL,
	`import_summary` text,
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `behavioural_records_applicant` ON `behavioural_records` (`applicant_id`,`captured_at`);--> statement-breakpoint
CREATE TABLE `consent_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`receipt_id` text NOT NULL,
	`applicant_id` text NOT NULL,
	`purpose` text NOT NULL,
	`event` text NOT NULL,
	`at` text NOT NULL,
	`officer_id` text NOT NULL,
	FOREIGN KEY (`receipt_id`) REFERENCES `consent_receipts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consent_events_applicant` ON `consent_events` (`applicant_id`);--> statement-breakpoint
CREATE TABLE `consent_receipts` (
	`id` text PRIMARY KEY NOT NULL,
	`applicant_id` text NOT NULL,
	`created_at` text NOT NULL,
	`language` text NOT NULL,
	`receipt` text NOT NULL,
	`signature` text NOT NULL,
	`public_key` text NOT NULL,
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `consent_receipts_applicant` ON `consent_receipts` (`applicant_id`);--> statement-breakpoint
CREATE INDEX `audit_log_subject` ON `audit_log` (`subject`);
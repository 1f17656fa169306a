CREATE TABLE `decisions` (
	`id` text PRIMARY KEY NOT NULL,
	`score_id` text NOT NULL,
	`applicant_id` text NOT NULL,
	`created_at` text NOT NULL,
	`officer_id` text NOT NULL,
	`decision` text NOT NULL,
	`policy_outcome` text NOT NULL,
	`reason_codes` text NOT NULL,
	`override_reason` text,
	`supersedes` text,
	FOREIGN KEY (`score_id`) REFERENCES `scores`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `decisions_applicant` ON `decisions` (`applicant_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `decisions_supersedes` ON `decisions` (`supersedes`);--> statement-breakpoint
CREATE TABLE `scores` (
	`id` text PRIMARY KEY NOT NULL,
	`applicant_id` text NOT NULL,
	`behaviour_record_id` text NOT NULL,
	`created_at` text NOT NULL,
	`officer_id` text NOT NULL,
	`model_hash` text NOT NULL,
	`model_version` text NOT NULL,
	`policy_version` text NOT NULL,
	`spec_hash` text NOT NULL,
	`score` integer NOT NULL,
	`band` text NOT NULL,
	`outcome` text NOT NULL,
	`probability_of_default` real NOT NULL,
	`inputs` text NOT NULL,
	`explanation` text NOT NULL,
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `scores_applicant` ON `scores` (`applicant_id`,`created_at`);--> statement-breakpoint
CREATE TRIGGER `decisions_no_update` BEFORE UPDATE ON `decisions`
BEGIN SELECT RAISE(ABORT, 'decisions are immutable: record a new decision that supersedes this one'); END;
--> statement-breakpoint
CREATE TRIGGER `decisions_no_delete` BEFORE DELETE ON `decisions`
BEGIN SELECT RAISE(ABORT, 'decisions are immutable: record a new decision that supersedes this one'); END;

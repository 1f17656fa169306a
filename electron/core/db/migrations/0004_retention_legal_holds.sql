CREATE TABLE `legal_holds` (
	`id` text PRIMARY KEY NOT NULL,
	`applicant_id` text NOT NULL,
	`reason` text NOT NULL,
	`note` text NOT NULL,
	`set_at` text NOT NULL,
	`set_by` text NOT NULL,
	`released_at` text,
	`released_by` text,
	FOREIGN KEY (`applicant_id`) REFERENCES `applicants`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `legal_holds_applicant` ON `legal_holds` (`applicant_id`);--> statement-breakpoint
ALTER TABLE `consent_receipts` ADD `retention_months` integer;--> statement-breakpoint
-- The term of receipts written before this column existed is the one their consent.captured audit entry recorded.
UPDATE `consent_receipts` SET `retention_months` = (
	SELECT CAST(json_extract(`audit_log`.`payload`, '$.retentionMonths') AS integer) FROM `audit_log`
	WHERE `audit_log`.`action` = 'consent.captured'
		AND json_extract(`audit_log`.`payload`, '$.receiptId') = `consent_receipts`.`id`
	LIMIT 1
) WHERE `retention_months` IS NULL;

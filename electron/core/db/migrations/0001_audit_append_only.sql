-- The audit chain is append-only: refuse UPDATE and DELETE through SQL. (Someone holding the key can drop
-- these triggers; the hash chain and signed checkpoints still reveal any change, see docs/audit-format.md.)
CREATE TRIGGER `audit_log_no_update` BEFORE UPDATE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log`
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_checkpoints_no_update` BEFORE UPDATE ON `audit_checkpoints`
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `audit_checkpoints_no_delete` BEFORE DELETE ON `audit_checkpoints`
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;

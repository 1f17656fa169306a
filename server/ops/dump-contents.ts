/**
 * The table of contents a NEXIS dump may have. pg_restore runs whatever a custom-format archive holds, as the role
 * that restores it: a function, trigger, rule or policy in a dump would run later with that role's rights. So a
 * restore accepts only the entries the shipped migrations create, each by type, schema and name, and refuses anything
 * else before the target is touched. The list is a dump of a freshly migrated database (the drill in
 * server/ops/drill.test.ts compares the two, so a new migration that creates something fails it until it is added).
 */
import { OpsError } from './pg-tools';

/**
 * Every entry `pg_dump` writes for the shipped schema, as `TYPE schema tag` (the `pg_restore --list` line without its
 * ids and owner). A dump of an older schema holds a subset: migrations only add.
 */
export const SHIPPED_DUMP_ENTRIES: readonly string[] = [
  'CONSTRAINT drizzle __drizzle_migrations __drizzle_migrations_pkey',
  'CONSTRAINT public admin_sessions admin_sessions_pkey',
  'CONSTRAINT public admins admins_pkey',
  'CONSTRAINT public admins admins_username_unique',
  'CONSTRAINT public app_releases app_releases_pkey',
  'CONSTRAINT public applicant_keys applicant_keys_pkey',
  'CONSTRAINT public audit_entries audit_entries_device_id_seq_pk',
  'CONSTRAINT public auth_challenges auth_challenges_pkey',
  'CONSTRAINT public chain_issues chain_issues_pkey',
  'CONSTRAINT public countersigned_checkpoints countersigned_checkpoints_device_id_seq_pk',
  'CONSTRAINT public device_reports device_reports_pkey',
  'CONSTRAINT public device_request_budgets device_request_budgets_device_id_window_start_pk',
  'CONSTRAINT public devices devices_pkey',
  'CONSTRAINT public enrolment_codes enrolment_codes_pkey',
  'CONSTRAINT public failures failures_pkey',
  'CONSTRAINT public feature_bin_counts feature_bin_counts_device_id_model_version_month_pk',
  'CONSTRAINT public feed_items feed_items_pkey',
  'CONSTRAINT public loan_outcomes loan_outcomes_decision_id_as_of_pk',
  'CONSTRAINT public outcome_imports outcome_imports_pkey',
  'CONSTRAINT public proposals proposals_pkey',
  'CONSTRAINT public server_audit server_audit_pkey',
  'CONSTRAINT public server_audit_checkpoints server_audit_checkpoints_pkey',
  'CONSTRAINT public server_state server_state_pkey',
  'DEFAULT drizzle __drizzle_migrations id',
  'DEFAULT public app_releases id',
  'DEFAULT public chain_issues id',
  'DEFAULT public failures id',
  'DEFAULT public feed_items id',
  'DEFAULT public proposals id',
  'FK CONSTRAINT public device_reports device_reports_device_id_devices_device_id_fk',
  'FK CONSTRAINT public feature_bin_counts feature_bin_counts_device_id_devices_device_id_fk',
  'FK CONSTRAINT public loan_outcomes loan_outcomes_import_id_outcome_imports_import_id_fk',
  'FUNCTION public server_audit_append_only()',
  'INDEX public admin_sessions_admin',
  'INDEX public app_releases_channel',
  'INDEX public app_releases_channel_proposal',
  'INDEX public audit_entries_branch_received',
  'INDEX public auth_challenges_expiry',
  'INDEX public chain_issues_device',
  'INDEX public devices_branch',
  'INDEX public failures_device',
  'INDEX public feature_bin_counts_version',
  'INDEX public feed_items_branch',
  'INDEX public feed_items_dedupe',
  'INDEX public loan_outcomes_import',
  'INDEX public proposals_status',
  'INDEX public releases_kind_version',
  'SCHEMA - drizzle',
  'SEQUENCE OWNED BY drizzle __drizzle_migrations_id_seq',
  'SEQUENCE OWNED BY public app_releases_id_seq',
  'SEQUENCE OWNED BY public chain_issues_id_seq',
  'SEQUENCE OWNED BY public failures_id_seq',
  'SEQUENCE OWNED BY public feed_items_id_seq',
  'SEQUENCE OWNED BY public proposals_id_seq',
  'SEQUENCE SET drizzle __drizzle_migrations_id_seq',
  'SEQUENCE SET public app_releases_id_seq',
  'SEQUENCE SET public chain_issues_id_seq',
  'SEQUENCE SET public failures_id_seq',
  'SEQUENCE SET public feed_items_id_seq',
  'SEQUENCE SET public proposals_id_seq',
  'SEQUENCE drizzle __drizzle_migrations_id_seq',
  'SEQUENCE public app_releases_id_seq',
  'SEQUENCE public chain_issues_id_seq',
  'SEQUENCE public failures_id_seq',
  'SEQUENCE public feed_items_id_seq',
  'SEQUENCE public proposals_id_seq',
  'TABLE DATA drizzle __drizzle_migrations',
  'TABLE DATA public admin_sessions',
  'TABLE DATA public admins',
  'TABLE DATA public app_releases',
  'TABLE DATA public applicant_keys',
  'TABLE DATA public audit_entries',
  'TABLE DATA public auth_challenges',
  'TABLE DATA public chain_issues',
  'TABLE DATA public countersigned_checkpoints',
  'TABLE DATA public device_reports',
  'TABLE DATA public device_request_budgets',
  'TABLE DATA public devices',
  'TABLE DATA public enrolment_codes',
  'TABLE DATA public failures',
  'TABLE DATA public feature_bin_counts',
  'TABLE DATA public feed_items',
  'TABLE DATA public loan_outcomes',
  'TABLE DATA public outcome_imports',
  'TABLE DATA public proposals',
  'TABLE DATA public releases',
  'TABLE DATA public server_audit',
  'TABLE DATA public server_audit_checkpoints',
  'TABLE DATA public server_state',
  'TABLE drizzle __drizzle_migrations',
  'TABLE public admin_sessions',
  'TABLE public admins',
  'TABLE public app_releases',
  'TABLE public applicant_keys',
  'TABLE public audit_entries',
  'TABLE public auth_challenges',
  'TABLE public chain_issues',
  'TABLE public countersigned_checkpoints',
  'TABLE public device_reports',
  'TABLE public device_request_budgets',
  'TABLE public devices',
  'TABLE public enrolment_codes',
  'TABLE public failures',
  'TABLE public feature_bin_counts',
  'TABLE public feed_items',
  'TABLE public loan_outcomes',
  'TABLE public outcome_imports',
  'TABLE public proposals',
  'TABLE public releases',
  'TABLE public server_audit',
  'TABLE public server_audit_checkpoints',
  'TABLE public server_state',
  'TRIGGER public server_audit server_audit_no_truncate',
  'TRIGGER public server_audit server_audit_no_update',
  'TRIGGER public server_audit_checkpoints server_audit_checkpoints_no_truncate',
  'TRIGGER public server_audit_checkpoints server_audit_checkpoints_no_update',
];

/**
 * Grants: a hardened deployment's roles.sql leaves them in every dump. They are never restored (the restore passes
 * --no-privileges and leaves them out of its list; roles.sql is run again afterwards), so any are accepted.
 */
const GRANT_TYPES = ['ACL', 'DEFAULT ACL'] as const;

/** Entry types pg_dump writes, longest first, so that the type of a refused entry can be named. */
const KNOWN_TYPES = [
  'MATERIALIZED VIEW DATA',
  'SEQUENCE OWNED BY',
  'TEXT SEARCH CONFIGURATION',
  'TEXT SEARCH DICTIONARY',
  'TEXT SEARCH TEMPLATE',
  'TEXT SEARCH PARSER',
  'FOREIGN DATA WRAPPER',
  'PUBLICATION TABLE',
  'PUBLICATION TABLES IN SCHEMA',
  'MATERIALIZED VIEW',
  'LARGE OBJECT',
  'SECURITY LABEL',
  'EVENT TRIGGER',
  'FK CONSTRAINT',
  'FOREIGN TABLE',
  'DEFAULT ACL',
  'INDEX ATTACH',
  'TABLE ATTACH',
  'SEQUENCE SET',
  'ROW SECURITY',
  'OPERATOR CLASS',
  'OPERATOR FAMILY',
  'USER MAPPING',
  'ACCESS METHOD',
  'TABLE DATA',
  'BLOB METADATA',
  'CONSTRAINT',
  'CONVERSION',
  'PUBLICATION',
  'SUBSCRIPTION',
  'STATISTICS',
  'EXTENSION',
  'AGGREGATE',
  'COLLATION',
  'PROCEDURE',
  'TRANSFORM',
  'DATABASE',
  'FUNCTION',
  'OPERATOR',
  'SEQUENCE',
  'ENCODING',
  'SCHEMA',
  'SERVER',
  'DOMAIN',
  'COMMENT',
  'TRIGGER',
  'DEFAULT',
  'POLICY',
  'BLOBS',
  'INDEX',
  'TABLE',
  'RULE',
  'TYPE',
  'VIEW',
  'CAST',
  'BLOB',
  'ACL',
] as const;

export interface DumpEntry {
  /** The `pg_restore --list` line as printed: what `--use-list` takes back. */
  readonly line: string;
  readonly type: string;
  /** `TYPE schema tag`: what the allow-list holds. */
  readonly key: string;
  readonly schema: string;
  /** The object's name; for constraints, defaults and triggers `table name`. */
  readonly tag: string;
}

// `215; 0 16390 TABLE DATA public devices nexis`: dump id; catalog oid, object oid, then type, schema, tag, owner.
const LINE = /^(\d+); (\d+) (\d+) (.+)$/;

/** Parses a `pg_restore --list` output; a line that is neither a comment nor an entry means it is not an archive. */
export function parseDumpList(listing: string): DumpEntry[] {
  const entries: DumpEntry[] = [];
  for (const line of listing.split('\n')) {
    if (line.trim() === '' || line.startsWith(';')) {
      continue;
    }
    const rest = LINE.exec(line)?.[4];
    if (rest === undefined) {
      throw new OpsError('OPS_DUMP_INVALID', 'The dump has a table of contents pg_restore does not print as expected.');
    }
    // The owner is the last word; a dump taken with --no-owner leaves it empty (the line ends in a space).
    const key = rest.slice(0, Math.max(rest.lastIndexOf(' '), 0));
    const type = KNOWN_TYPES.find((t) => key.startsWith(`${t} `)) ?? key.split(' ')[0] ?? '';
    const afterType = key.slice(type.length + 1);
    const space = afterType.indexOf(' ');
    entries.push({
      line,
      type,
      key,
      schema: space < 0 ? afterType : afterType.slice(0, space),
      tag: space < 0 ? '' : afterType.slice(space + 1),
    });
  }
  return entries;
}

const SHIPPED = new Set(SHIPPED_DUMP_ENTRIES);

function isGrant(entry: DumpEntry): boolean {
  return (GRANT_TYPES as readonly string[]).includes(entry.type);
}

/**
 * Refuses a dump with any entry the shipped schema does not have; returns the `--use-list` for pg_restore: the
 * accepted entries without the grants, so that what runs is exactly what was checked.
 */
export function allowedRestoreList(entries: readonly DumpEntry[], file: string): string {
  const unexpected = entries.filter((entry) => !SHIPPED.has(entry.key) && !isGrant(entry));
  if (unexpected.length > 0) {
    // Names only: a table of contents carries types and object names, never rows.
    const named = unexpected.slice(0, 5).map((entry) => `${entry.type} ${entry.schema} ${entry.tag}`.trim());
    throw new OpsError(
      'OPS_DUMP_UNEXPECTED',
      `${file} holds ${unexpected.length} entr${unexpected.length === 1 ? 'y' : 'ies'} the NEXIS schema does not ` +
        `create (${named.join('; ')}${unexpected.length > 5 ? '; …' : ''}): nothing was restored. A backup taken ` +
        'by `backup` or `migrate --backup-dir` never has them; this dump was altered or is of another database.',
    );
  }
  return `${entries
    .filter((entry) => !isGrant(entry))
    .map((entry) => entry.line)
    .join('\n')}\n`;
}

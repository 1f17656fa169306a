/**
 * Which cached reads a successful write makes stale. Declared once, here, instead of screens passing refresh
 * callbacks down: after a mutation succeeds, every cached query of the listed channels is refetched (if on screen)
 * or marked stale (if not). Keys and values are checked against the IPC contract, and `satisfies` below makes adding
 * a write channel to the contract without deciding what it invalidates a type error.
 */
import type { Channel } from '../../../shared/ipc/contract';

/**
 * Channels a screen may read through the query cache. The auth channels are not here: the auth provider owns the
 * session state, and sign-in, unlock and sign-out change which screen exists at all.
 */
export const QUERY_CHANNELS = [
  'applicants:list',
  'applicants:get',
  'applicants:duplicates',
  'applicants:previewStatement',
  'consent:notice',
  'consent:receipt',
  'audit:list',
  'officers:list',
  'scoring:whatIf',
  'scoring:latest',
  'scoring:progress',
  'decisions:list',
  'decisions:pendingReviews',
  'decisions:pendingOverrides',
  'decisions:replay',
  'model:status',
  'sync:status',
  'console:connection',
  'console:overview',
  'console:proposals',
  'console:serverAudit',
  'console:appReleases',
  'console:monitoring',
  'system:getOrganisation',
  'system:status',
  'system:getSettings',
  'recovery:status',
] as const satisfies readonly Channel[];

export type QueryChannel = (typeof QUERY_CHANNELS)[number];

/** Calls that change nothing a screen reads through the cache (the auth provider re-reads auth itself). */
type UncachedChannel =
  | 'auth:status'
  | 'auth:setup'
  | 'auth:signIn'
  | 'auth:signOut'
  | 'auth:lock'
  | 'auth:activity'
  | 'auth:unlock'
  | 'auth:changePassword'
  | 'letters:applicant'
  | 'letters:bankCopy';

export type MutationChannel = Exclude<Channel, QueryChannel | UncachedChannel>;

/** Every audited write adds an entry to the trail, so the audit screen is stale after it. */
const AUDIT: readonly QueryChannel[] = ['audit:list'];
const APPLICANT: readonly QueryChannel[] = ['applicants:get', 'applicants:list', 'applicants:duplicates'];
const DECISIONS: readonly QueryChannel[] = ['decisions:list', 'decisions:pendingReviews', 'decisions:pendingOverrides'];
const SCORES: readonly QueryChannel[] = ['scoring:latest', 'scoring:progress'];
const CONSOLE: readonly QueryChannel[] = ['console:overview', 'console:proposals', 'console:serverAudit'];
const WORKSTATION: readonly QueryChannel[] = ['sync:status', 'model:status', 'system:status'];

export const INVALIDATES = {
  // Run on demand (a button), and the check itself is recorded in the trail.
  'audit:verify': AUDIT,
  'applicants:register': [...APPLICANT, ...AUDIT],
  // The timeline shows every audited access, so the applicant's page is read again.
  'applicants:reveal': ['applicants:get', ...AUDIT],
  // The plan's progress is measured against the applicant's current data, which these writes change.
  'applicants:saveFeatures': [...APPLICANT, ...SCORES, ...AUDIT],
  'applicants:importStatement': [...APPLICANT, ...SCORES, ...AUDIT],
  'applicants:export': ['applicants:get', ...AUDIT],
  'applicants:erase': [...APPLICANT, ...SCORES, ...DECISIONS, 'consent:receipt', ...AUDIT],
  'applicants:setLegalHold': ['applicants:get', ...AUDIT],
  'applicants:releaseLegalHold': ['applicants:get', ...AUDIT],
  'consent:withdraw': [...APPLICANT, 'consent:receipt', ...SCORES, ...AUDIT],
  'scoring:score': [...APPLICANT, ...SCORES, ...AUDIT],
  'scoring:batch': AUDIT,
  'decisions:record': [...APPLICANT, ...DECISIONS, ...AUDIT],
  'decisions:correct': [...APPLICANT, ...DECISIONS, ...AUDIT],
  'decisions:review': [...APPLICANT, ...DECISIONS, ...AUDIT],
  'decisions:approveOverride': [...APPLICANT, ...DECISIONS, ...AUDIT],
  'decisions:rejectOverride': [...APPLICANT, ...DECISIONS, ...AUDIT],
  'officers:create': ['officers:list', ...AUDIT],
  'officers:setStatus': ['officers:list', ...AUDIT],
  'officers:resetPassword': ['officers:list', ...AUDIT],
  'model:reload': [...WORKSTATION, ...AUDIT],
  'sync:enrol': [...WORKSTATION, ...AUDIT],
  // A sync can pull a policy or model release and applicants' withdrawals and erasures from other branches.
  'sync:now': [...WORKSTATION, ...APPLICANT, ...SCORES, 'consent:receipt', ...AUDIT],
  'sync:rollbackModel': [...WORKSTATION, ...AUDIT],
  'console:signIn': ['console:connection', ...CONSOLE],
  'console:enrolTotp': ['console:connection', ...CONSOLE],
  // Not the console's reads: refetched after a sign-out they could only fail (not connected), each failure a
  // notification, while the screen is already swapping to the sign-in card. The next sign-in refetches them.
  'console:disconnect': ['console:connection'],
  'console:decide': CONSOLE,
  'console:createEnrolmentCode': CONSOLE,
  'console:revokeDevice': CONSOLE,
  'console:publishPolicy': CONSOLE,
  'console:publishModel': CONSOLE,
  'console:requestErasure': CONSOLE,
  'console:requestWithdrawal': CONSOLE,
  'console:withdrawModel': CONSOLE,
  'console:promoteChallenger': CONSOLE,
  'console:publishAppRelease': [...CONSOLE, 'console:appReleases'],
  'console:changeRollout': [...CONSOLE, 'console:appReleases'],
  'console:importOutcomes': [...CONSOLE, 'console:monitoring'],
  'system:updateOrganisation': ['system:getOrganisation', 'system:status', ...AUDIT],
  'system:updateSettings': ['system:getSettings', 'system:status', ...AUDIT],
  'system:backup': ['system:status', ...AUDIT],
  'recovery:setFolder': ['recovery:status', ...AUDIT],
  'recovery:clearFolder': ['recovery:status', ...AUDIT],
  // A failed run is recorded in the status and the trail as well.
  'recovery:runNow': ['recovery:status', ...AUDIT],
  // Counted for the fleet view and written to the log file; nothing a screen reads from the cache.
  'system:reportError': [],
  // Building the "Report a problem" file is audited.
  'system:diagnosticsBundle': AUDIT,
} as const satisfies Record<MutationChannel, readonly QueryChannel[]>;

/** The query channels a successful call of `channel` makes stale (none for reads and auth calls). */
export function invalidatedBy(channel: Channel): readonly QueryChannel[] {
  return Object.hasOwn(INVALIDATES, channel) ? INVALIDATES[channel as MutationChannel] : [];
}

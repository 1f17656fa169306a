/**
 * Pull handlers wired to the core services: withdrawals and erasures raised at another branch are applied through
 * the same service methods an officer uses (so each is audited, actor `system`); model releases go through
 * releases.ts. Bank-signed policy releases and officer grants are refused here: only the workstation's handlers
 * (workstation-handlers.ts), which verify the bank's signature, apply them.
 */
import type { ApplicantService } from '../applicants/applicant-service';
import type { ConsentService } from '../consent/consent-service';
import { isNexisError } from '../errors';
import { applyModelWithdrawal, installModelRelease, type VerifyModelPackage } from './releases';
import type { PullHandlers, PullOutcome, SyncStateStore } from './types';

export interface CoreHandlerDeps {
  readonly consent: ConsentService;
  readonly applicants: ApplicantService;
  readonly state: SyncStateStore;
  readonly modelsDir: string;
  readonly verifyModel: VerifyModelPackage;
}

const UNVERIFIED: PullOutcome = { rejected: 'no release key to verify the bank signature with' };

export const SYSTEM_ACTOR = 'system';

/** Already done, or not known on this workstation: nothing to do. Anything else is a passing failure (retried). */
function idempotent(work: () => unknown): PullOutcome {
  try {
    work();
    return 'applied';
  } catch (error) {
    if (isNexisError(error) && (error.code === 'CONFLICT' || error.code === 'NOT_FOUND')) {
      return 'ignored';
    }
    throw error;
  }
}

export function coreSyncHandlers(deps: CoreHandlerDeps): PullHandlers {
  return {
    'officer.upsert': () => UNVERIFIED,
    'policy.release': () => UNVERIFIED,
    'model.release': (item) =>
      installModelRelease(item.body, { modelsDir: deps.modelsDir, state: deps.state, verify: deps.verifyModel }),
    'model.withdrawal': (item) => {
      applyModelWithdrawal(deps.modelsDir, deps.state, item.body.version);
      return 'applied';
    },
    'consent.withdrawal': (item) =>
      idempotent(() => deps.consent.withdraw(SYSTEM_ACTOR, item.body.applicantId, item.body.purpose)),
    'applicant.erasure': (item) =>
      idempotent(() => deps.applicants.erase(SYSTEM_ACTOR, item.body.applicantId, 'central-erasure-request')),
  };
}

/**
 * The pull handlers as the workstation runs them: the core handlers (withdrawals, erasures, officers), with policy and
 * model releases installed, verified, put in force and audited here (docs/sync-protocol.md §7).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { PolicyRelease } from '../../../shared/sync/pull';
import type { SignedOfficerGrant, SignedPolicyRelease } from '../../../shared/sync/signed-release';
import type { PolicyDefaults } from '../../../models/scoring/scaling';
import { verifyRelease } from '../../../models/package/release-signing';
import { verifyPackageBytes } from '../../../models/package/signing';
import { coreSyncHandlers } from './core-handlers';
import {
  RELEASE_KEYS,
  WITHDRAWN_REFUSAL,
  activateModelRelease,
  applyModelWithdrawal,
  withdrawnModelReleases,
  installPolicyRelease,
  recordRejectedRelease,
  stageModelRelease,
  type VerifyModelPackage,
} from './releases';
import type { PullHandlers, PullOutcome, SyncStateStore } from './types';
import type { WorkstationSyncOptions } from './workstation-sync';
import { cutoffProblems } from '../../../shared/rules/policy-cutoffs';

export interface WorkstationHandlerContext {
  readonly options: WorkstationSyncOptions;
  readonly stateStore: SyncStateStore;
  readonly modelsDir: string;
  /** The folder of the release in use (or the shipped package). */
  modelDir(): string;
  /** The branch this workstation is enrolled for (officer grants for another branch are refused). */
  branchId(): string | undefined;
}

export function workstationPullHandlers(ctx: WorkstationHandlerContext): PullHandlers {
  const o = ctx.options;
  const verifyModel: VerifyModelPackage = (files) => {
    const verified = verifyPackageBytes(files, o.trustedModelKey);
    return verified.ok ? { ok: true } : { ok: false, reason: verified.error.message };
  };
  const core = coreSyncHandlers({
    consent: o.consent,
    applicants: o.applicants,
    state: ctx.stateStore,
    modelsDir: ctx.modelsDir,
    verifyModel,
  });
  const audit = (action: string, payload: Record<string, string | number | null>): void => {
    o.store.transaction(() => o.store.audit.append({ actor: 'system', action, payload }));
  };
  return {
    ...core,
    'officer.upsert': async (item) => {
      const grant = item.body;
      const refused = refuseOfficerGrant(grant, ctx.stateStore, o.trustedModelKey, ctx.branchId());
      if (refused !== null) {
        audit('officer.grant_refused', { officerId: grant.release.officerId, serial: grant.serial, reason: refused });
        return { rejected: refused };
      }
      const { branchId: _branch, ...officer } = grant.release;
      const outcome = await o.officers.upsertFromCentral(officer);
      if (outcome !== 'rejected') {
        ctx.stateStore.set(`${RELEASE_KEYS.officerSerialPrefix}${officer.officerId}`, String(grant.serial));
      }
      if (outcome === 'applied' && officer.status === 'disabled') {
        o.endSessionsOf(officer.officerId);
      }
      return outcome;
    },
    'policy.release': async (item) => {
      const signed = item.body;
      const verdict = refusePolicyRelease(signed, ctx.stateStore, o);
      if (verdict === 'ignored') {
        return 'ignored';
      }
      if (typeof verdict === 'string') {
        audit('policy.release_refused', { version: signed.release.version, serial: signed.serial, reason: verdict });
        return { rejected: verdict };
      }
      const { largeMove: _declared, ...release } = signed.release;
      const outcome = o.store.transaction(() => {
        const installed = installPolicyRelease(release, ctx.stateStore);
        if (installed === 'applied') {
          ctx.stateStore.set(RELEASE_KEYS.policySerial, String(signed.serial));
          o.store.audit.append({
            actor: 'system',
            action: 'policy.release_installed',
            payload: { version: release.version, serial: signed.serial, keyId: signed.keyId },
          });
        }
        return installed;
      });
      if (outcome === 'applied') {
        o.applyPolicy(verdict.cutoffs);
      }
      return outcome;
    },
    'model.release': async (item) => {
      const version = item.body.version;
      const current = ctx.stateStore.get(RELEASE_KEYS.modelCurrent);
      const dir = join(ctx.modelsDir, version);
      const inUse = o.modelStatus();
      if (current === version && inUse.state === 'verified' && inUse.source === dir) {
        return 'ignored';
      }
      const refuse = async (reason: string, staged: boolean): Promise<PullOutcome> => {
        if (staged && current !== version) {
          rmSync(dir, { recursive: true, force: true });
        }
        if (current === version) {
          ctx.stateStore.set(RELEASE_KEYS.modelCurrent, '');
        }
        await o.loadModel(ctx.modelDir());
        o.store.transaction(() => {
          recordRejectedRelease(ctx.stateStore, version, reason);
          o.store.audit.append({ actor: 'system', action: 'model.release_refused', payload: { version } });
        });
        return 'rejected';
      };
      if (withdrawnModelReleases(ctx.stateStore).includes(version)) {
        return refuse(WITHDRAWN_REFUSAL, false);
      }
      const staged = stageModelRelease(item.body, { modelsDir: ctx.modelsDir, verify: verifyModel });
      if (!staged.ok) {
        return refuse(staged.reason, false);
      }
      // Verified bytes on disk; the model service verifies them again as it loads them (spec, runtime). Only a
      // verified load makes the release current, in the same transaction as its audit entry: a crash or a failed
      // load before that leaves the item to be retried, never a release marked current but unused.
      const loaded = await o.loadModel(dir);
      if (loaded.state !== 'verified' || loaded.source !== dir) {
        return refuse(loaded.state === 'verified' ? 'superseded by another load' : loaded.detail, true);
      }
      o.store.transaction(() => {
        activateModelRelease(ctx.stateStore, version);
        o.store.audit.append({
          actor: 'system',
          action: 'model.release_installed',
          payload: { version, modelHash: loaded.modelHash },
        });
      });
      return 'applied';
    },
    'model.withdrawal': async (item): Promise<PullOutcome> => {
      const version = item.body.version;
      const change = o.store.transaction(() => applyModelWithdrawal(ctx.modelsDir, ctx.stateStore, version));
      if (change.from === null) {
        o.store.transaction(() =>
          o.store.audit.append({
            actor: 'system',
            action: 'model.release_withdrawn',
            payload: { version, from: null, to: change.to, modelHash: null },
          }),
        );
        return 'applied';
      }
      // Fall back to the previous release; if the model service refuses it, to the package shipped with the app.
      let loaded = await o.loadModel(ctx.modelDir());
      let to = change.to;
      if (loaded.state !== 'verified' && to !== null) {
        ctx.stateStore.set(RELEASE_KEYS.modelCurrent, '');
        to = null;
        loaded = await o.loadModel(ctx.modelDir());
      }
      o.store.transaction(() =>
        o.store.audit.append({
          actor: 'system',
          action: 'model.release_withdrawn',
          payload: { version, from: change.from, to, modelHash: loaded.state === 'verified' ? loaded.modelHash : null },
        }),
      );
      return 'applied';
    },
  };
}

/** Default largest move of a cut-off (score points) a policy release may make without declaring `largeMove`. */
export const DEFAULT_MAX_CUTOFF_STEP = 50;

/**
 * Why a signed policy release must not be applied here, `ignored` when it is the release in force already, or its
 * cut-offs. Checked in this order: the bank's signature, the serial (never older), the cut-offs (ordered, on the
 * model's scale), the size of the move from the cut-offs in force.
 */
export function refusePolicyRelease(
  signed: SignedPolicyRelease,
  state: SyncStateStore,
  o: Pick<WorkstationSyncOptions, 'trustedModelKey' | 'scoreRange' | 'policyInForce' | 'maxCutoffStep'>,
): string | 'ignored' | { cutoffs: PolicyDefaults } {
  const verdict = verifyRelease(signed, o.trustedModelKey);
  if (!verdict.ok) {
    return verdict.reason;
  }
  const inForce = Number(state.get(RELEASE_KEYS.policySerial) ?? '0');
  if (signed.serial < inForce) {
    return `older than the policy in force (serial ${signed.serial}; serial ${inForce} is in force)`;
  }
  if (signed.serial === inForce) {
    const current = state.get(RELEASE_KEYS.policyCurrent);
    const same = current !== undefined && (JSON.parse(current) as PolicyRelease).version === signed.release.version;
    return same ? 'ignored' : `serial ${signed.serial} is already in force with another release`;
  }
  const cutoffs = policyCutoffs(signed.release, o.scoreRange());
  if (cutoffs === null) {
    return "cut-offs missing, out of order (refer must be below approve) or off the model's score scale";
  }
  const before = o.policyInForce();
  const step = o.maxCutoffStep ?? DEFAULT_MAX_CUTOFF_STEP;
  if (before !== undefined && signed.release.largeMove !== true) {
    const moved = Math.max(
      Math.abs(cutoffs.approveAtOrAbove - before.approveAtOrAbove),
      Math.abs(cutoffs.declineBelow - before.declineBelow),
    );
    if (moved > step) {
      return `moves a cut-off by ${moved} points (more than ${step}) without declaring largeMove`;
    }
  }
  return { cutoffs };
}

/** Why a signed officer grant must not be applied here, or null: signature, branch, serial. */
export function refuseOfficerGrant(
  grant: SignedOfficerGrant,
  state: SyncStateStore,
  trusted: WorkstationSyncOptions['trustedModelKey'],
  branchId: string | undefined,
): string | null {
  const verdict = verifyRelease(grant, trusted);
  if (!verdict.ok) {
    return verdict.reason;
  }
  if (grant.release.branchId !== undefined && grant.release.branchId !== branchId) {
    return `granted for branch ${grant.release.branchId}, not this one`;
  }
  const last = Number(state.get(`${RELEASE_KEYS.officerSerialPrefix}${grant.release.officerId}`) ?? '0');
  if (grant.serial <= last) {
    return `older than the grant in force for this officer (serial ${grant.serial}; serial ${last} is in force)`;
  }
  return null;
}

/**
 * A policy release's cut-offs as the scoring policy: `approve` (approve at or above) and `refer` (refer at or above,
 * decline below) are required, finite and ordered; anything else is refused, never half applied.
 */
export function policyCutoffs(
  release: PolicyRelease,
  scoreRange?: { readonly min: number; readonly max: number },
): PolicyDefaults | null {
  const approve = release.cutoffs.approve;
  const refer = release.cutoffs.refer;
  // The rule is shared with the console's release form (shared/rules/policy-cutoffs.ts): whole points, refer below
  // approve, both on the loaded model's scale (cut-offs outside it would approve or decline everyone by accident).
  if (
    approve === undefined ||
    refer === undefined ||
    Object.keys(cutoffProblems({ approve, refer }, scoreRange)).length > 0
  ) {
    return null;
  }
  return { version: release.version, approveAtOrAbove: approve, declineBelow: refer };
}

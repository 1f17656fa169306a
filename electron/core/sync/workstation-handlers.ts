/**
 * The pull handlers as the workstation runs them: the core handlers (withdrawals, erasures, officers), with policy and
 * model releases installed, verified, put in force and audited here (docs/sync-protocol.md §7).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { OfficerUpsert, PolicyRelease } from '../../../shared/sync/pull';
import type { PolicyDefaults } from '../../../models/scoring/scaling';
import { verifyPackageBytes } from '../../../models/package/signing';
import { coreSyncHandlers } from './core-handlers';
import {
  RELEASE_KEYS,
  activateModelRelease,
  installPolicyRelease,
  recordRejectedRelease,
  stageModelRelease,
  type VerifyModelPackage,
} from './releases';
import type { PullHandlers, PullOutcome, SyncStateStore } from './types';
import type { WorkstationSyncOptions } from './workstation-sync';

export interface WorkstationHandlerContext {
  readonly options: WorkstationSyncOptions;
  readonly stateStore: SyncStateStore;
  readonly modelsDir: string;
  /** The folder of the release in use (or the shipped package). */
  modelDir(): string;
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
    upsertOfficer: async (officer: OfficerUpsert) => {
      const outcome = await o.officers.upsertFromCentral(officer);
      if (outcome === 'applied' && officer.status === 'disabled') {
        o.endSessionsOf(officer.officerId);
      }
      return outcome;
    },
  });
  const audit = (action: string, payload: Record<string, string | null>): void => {
    o.store.transaction(() => o.store.audit.append({ actor: 'system', action, payload }));
  };
  return {
    ...core,
    'policy.release': async (item) => {
      const cutoffs = policyCutoffs(item.body, o.scoreRange());
      if (cutoffs === null) {
        audit('policy.release_refused', { version: item.body.version });
        return 'rejected';
      }
      const outcome = o.store.transaction(() => {
        const installed = installPolicyRelease(item.body, ctx.stateStore);
        if (installed === 'applied') {
          o.store.audit.append({
            actor: 'system',
            action: 'policy.release_installed',
            payload: { version: item.body.version },
          });
        }
        return installed;
      });
      if (outcome === 'applied') {
        o.applyPolicy(cutoffs);
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
  };
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
  if (approve === undefined || refer === undefined || refer > approve) {
    return null;
  }
  // Against the loaded model's scale: cut-offs outside it would approve or decline everyone by accident. (Exactly
  // one above the top still means "approve no one", a deliberate freeze.)
  if (scoreRange !== undefined && (refer < scoreRange.min || approve > scoreRange.max + 1)) {
    return null;
  }
  return { version: release.version, approveAtOrAbove: approve, declineBelow: refer };
}

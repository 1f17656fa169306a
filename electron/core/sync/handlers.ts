/**
 * IPC handlers of the sync and console channels: thin calls into WorkstationSync and CentralConsole. Spread into
 * `createHandlers` (electron/core/ipc/handlers.ts); access rules live in shared/ipc/sync.ts.
 */
import type { consoleChannels, syncChannels } from '../../../shared/ipc/sync';
import { NexisError } from '../errors';
import type { HandlerContext } from '../ipc/handlers';
import type { HandlersOf } from '../ipc/handler-types';
import type { CentralConsole, ConsoleSession } from './central-console';
import type { WorkstationSync } from './workstation-sync';

export interface SyncServices {
  readonly sync: WorkstationSync;
  readonly centralConsole: CentralConsole;
}

export type SyncHandlers = HandlersOf<typeof syncChannels> & HandlersOf<typeof consoleChannels>;

function sessionOf(ctx: HandlerContext): ConsoleSession {
  if (!ctx.officer || !ctx.session) {
    throw new NexisError('NOT_SIGNED_IN', 'Sign in first.');
  }
  return { id: ctx.session.id, officerId: ctx.officer.id, signedInAt: ctx.session.signedInAt };
}

export function createSyncHandlers(s: SyncServices): SyncHandlers {
  return {
    'sync:status': () => s.sync.status(),
    'sync:enrol': (ctx, input) => s.sync.enrol(sessionOf(ctx).officerId, input.serverUrl, input.code),
    'sync:now': () => s.sync.syncNow(),
    'sync:rollbackModel': (ctx) => s.sync.rollbackModel(sessionOf(ctx).officerId),
    'console:connection': (ctx) => s.centralConsole.connection(sessionOf(ctx)),
    'console:signIn': (ctx, input) => s.centralConsole.signIn(sessionOf(ctx), input),
    'console:enrolTotp': (ctx, input) => s.centralConsole.enrolTotp(sessionOf(ctx), input),
    'console:proposals': (ctx, input) => s.centralConsole.proposals(sessionOf(ctx), input.status),
    'console:decide': (ctx, input) =>
      s.centralConsole.decide(sessionOf(ctx), input.proposalId, input.decision, input.reason),
    'console:serverAudit': (ctx, input) => s.centralConsole.serverAudit(sessionOf(ctx), input),
    'console:disconnect': (ctx) => {
      const session = sessionOf(ctx);
      s.centralConsole.forget(session.id);
      return s.centralConsole.connection(session);
    },
    'console:overview': (ctx) => s.centralConsole.overview(sessionOf(ctx)),
    'console:createEnrolmentCode': (ctx, input) =>
      s.centralConsole.createEnrolmentCode(sessionOf(ctx), input.branchId, input.ttlMinutes),
    'console:revokeDevice': async (ctx, input) => ({
      proposal: await s.centralConsole.revokeDevice(sessionOf(ctx), input.deviceId),
    }),
    'console:publishPolicy': async (ctx, input) => ({
      proposal: await s.centralConsole.publishPolicy(sessionOf(ctx), input),
    }),
    'console:publishModel': (ctx, input) =>
      s.centralConsole.publishModel(sessionOf(ctx), input.version, input.packageDir, input.challengerDir),
    'console:promoteChallenger': async (ctx, input) => ({
      proposal: await s.centralConsole.promoteChallenger(sessionOf(ctx), input),
    }),
    'console:appReleases': (ctx) => s.centralConsole.appReleases(sessionOf(ctx)),
    'console:monitoring': (ctx, input) => s.centralConsole.monitoring(sessionOf(ctx), input.performanceMonths),
    'console:importOutcomes': (ctx, input) => s.centralConsole.importOutcomes(sessionOf(ctx), input.csv),
    'console:publishAppRelease': async (ctx, input) => ({
      proposal: await s.centralConsole.publishAppRelease(sessionOf(ctx), input),
    }),
    'console:changeRollout': async (ctx, input) => ({
      proposal: await s.centralConsole.changeRollout(sessionOf(ctx), input),
    }),
    'console:requestErasure': async (ctx, input) => ({
      proposal: await s.centralConsole.requestErasure(sessionOf(ctx), input.applicantId),
    }),
    'console:withdrawModel': async (ctx, input) => ({
      proposal: await s.centralConsole.withdrawModel(sessionOf(ctx), input),
    }),
    'console:requestWithdrawal': (ctx, input) =>
      s.centralConsole.requestWithdrawal(sessionOf(ctx), input.applicantId, input.purpose),
  };
}

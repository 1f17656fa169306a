/** One handler per IPC channel: thin calls into the core services. Access rules live in the contract. */
import type { z } from 'zod';
import type { Channel, ChannelOutput, Contract } from '../../../shared/ipc/contract';
import type { SessionView } from '../../../shared/ipc/auth';
import { NexisError } from '../errors';
import type { Session } from '../sessions/session-manager';
import type { OfficerRow } from '../officers/officer-service';
import { toOfficerView } from '../officers/officer-service';
import type { WorkstationServices } from '../workstation-services';
import { registerWithBehaviour } from '../applicants/intake';
import { createScoringHandlers } from '../scoring/handlers';
import { createSyncHandlers } from '../sync/handlers';

export interface HandlerContext {
  /** The transport's connection (window or WebSocket); sessions are keyed by it. */
  readonly connectionId: string;
  /** Present for every access level but `public`. */
  readonly session: Session | undefined;
  readonly officer: OfficerRow | undefined;
}

export type Handler<C extends Channel> = (
  ctx: HandlerContext,
  input: z.output<Contract[C]['input']>,
) => Promise<ChannelOutput<C>> | ChannelOutput<C>;

export type Handlers = { [C in Channel]: Handler<C> };

function requireOfficer(ctx: HandlerContext): OfficerRow {
  if (!ctx.officer || !ctx.session) {
    throw new NexisError('NOT_SIGNED_IN', 'Sign in first.');
  }
  return ctx.officer;
}

export function createHandlers(ws: WorkstationServices): Handlers {
  const sessionView = (session: Session, officer: OfficerRow): SessionView => ({
    officer: toOfficerView(officer),
    locked: session.locked,
    idleTimeoutMs: ws.settings.get().idleTimeoutMinutes * 60_000,
    signedInAt: session.signedInAt,
  });

  return {
    'auth:status': (ctx) => ({
      setupRequired: ws.officers.count() === 0,
      deviceId: ws.deviceKey.deviceId,
      session: ctx.session && ctx.officer ? sessionView(ctx.session, ctx.officer) : null,
    }),
    'auth:setup': async (ctx, input) => {
      const officer = await ws.officers.setupFirstAdmin(input);
      return sessionView(ws.sessions.start(ctx.connectionId, officer.id), officer);
    },
    'auth:signIn': async (ctx, input) => {
      if (ws.sync.recoveryPending !== null) {
        // Every sign-in is an audit entry, and one written before the rejoin would fork the chain at the centre.
        throw new NexisError(
          'CONFLICT',
          'This workstation was restored from a recovery bundle and has not rejoined the central API yet. Bank IT ' +
            'finishes the recovery with `recovery:rejoin` (docs/data-lifecycle.md); sign-in opens after that.',
        );
      }
      const previous = ws.sessions.end(ctx.connectionId);
      ws.centralConsole.forget(ctx.connectionId);
      if (previous) {
        ws.recordSignOut(previous.officerId, 'replaced');
      }
      const officer = await ws.officers.authenticate(input.username, input.password);
      return sessionView(ws.sessions.start(ctx.connectionId, officer.id), officer);
    },
    'auth:signOut': (ctx) => {
      const officer = requireOfficer(ctx);
      ws.sessions.end(ctx.connectionId);
      ws.centralConsole.forget(ctx.connectionId);
      ws.recordSignOut(officer.id, 'signed-out');
      return null;
    },
    'auth:lock': (ctx) => {
      requireOfficer(ctx);
      if (ctx.session) {
        ws.sessions.lock(ctx.session, 'manual');
      }
      return null;
    },
    'auth:activity': (ctx) => {
      requireOfficer(ctx);
      // The dispatcher already counted this call as activity (unless the session is locked).
      return { locked: ctx.session?.locked ?? true };
    },
    'auth:unlock': async (ctx, input) => {
      const officer = requireOfficer(ctx);
      const session = ctx.session;
      if (!session) {
        throw new NexisError('NOT_SIGNED_IN', 'Sign in first.');
      }
      try {
        const checked = await ws.officers.checkPassword(officer.id, input.password, 'session.unlocked');
        ws.sessions.unlock(session);
        return sessionView(session, checked);
      } catch (error) {
        if (error instanceof NexisError && (error.code === 'ACCOUNT_LOCKED' || error.code === 'ACCOUNT_DISABLED')) {
          ws.sessions.end(ctx.connectionId);
        }
        throw error;
      }
    },
    'auth:changePassword': async (ctx, input) => {
      const officer = requireOfficer(ctx);
      if (ctx.session?.locked) {
        throw new NexisError('SESSION_LOCKED', 'Unlock the session first.');
      }
      const updated = await ws.officers.changePassword(officer.id, input.currentPassword, input.newPassword);
      return sessionView(ctx.session as Session, updated);
    },
    'officers:list': () => ws.officers.list(),
    'officers:create': (ctx, input) => ws.officers.create(requireOfficer(ctx).id, input),
    'officers:setStatus': (ctx, input) => {
      const view = ws.officers.setStatus(requireOfficer(ctx).id, input.officerId, input.status);
      if (input.status === 'disabled') {
        ws.endSessionsOf(input.officerId, 'account-disabled');
      }
      return view;
    },
    'officers:resetPassword': (ctx, input) =>
      ws.officers.resetPassword(requireOfficer(ctx).id, input.officerId, input.newPassword),
    'audit:list': (_ctx, input) => ws.audit.list(input),
    'audit:verify': (ctx) => ws.audit.verify(requireOfficer(ctx).id),
    'system:status': () => ws.status(),
    'system:backup': (ctx) => ws.backup(requireOfficer(ctx).id),
    'system:diagnosticsBundle': (ctx) => {
      const officer = requireOfficer(ctx);
      const bundle = ws.diagnostics.bundle(ws);
      ws.store.transaction(() =>
        ws.store.audit.append({
          actor: officer.id,
          action: 'diagnostics.bundle_created',
          payload: { bytes: bundle.json.length },
        }),
      );
      return bundle;
    },
    'system:reportError': (_ctx, input) => {
      ws.diagnostics.rendererError(input);
      return {};
    },
    'system:getSettings': () => ws.settings.get(),
    'system:getOrganisation': () => ws.settings.organisation(),
    'system:updateOrganisation': (ctx, input) => ws.settings.updateOrganisation(requireOfficer(ctx).id, input),
    'applicants:register': (ctx, input) => {
      const officerId = requireOfficer(ctx).id;
      const values = input.values;
      return values === undefined
        ? ws.applicants.register(officerId, input.personal, input.consent)
        : registerWithBehaviour(ws, officerId, input.personal, input.consent, values);
    },
    'applicants:duplicates': (_ctx, input) => ws.applicants.possibleDuplicates(input),
    'applicants:list': (ctx, input) =>
      ws.applicants.list(input.query, input.page, input.pageSize, input.mine ? requireOfficer(ctx).id : undefined),
    'applicants:get': (_ctx, input) => ws.applicantDetail(input.applicantId),
    'applicants:reveal': (ctx, input) => ({
      field: input.field,
      value: ws.applicants.reveal(requireOfficer(ctx).id, input.applicantId, input.field),
    }),
    'applicants:saveFeatures': (ctx, input) =>
      ws.behaviour.saveForm(requireOfficer(ctx).id, input.applicantId, input.values),
    'applicants:previewStatement': (_ctx, input) => ws.behaviour.preview(input.applicantId, input.csv),
    'applicants:importStatement': (ctx, input) =>
      ws.behaviour.importStatement(requireOfficer(ctx).id, input.applicantId, input.csv),
    'applicants:export': (ctx, input) => ws.exportApplicant(requireOfficer(ctx).id, input.applicantId),
    'applicants:erase': (ctx, input) => ws.applicants.erase(requireOfficer(ctx).id, input.applicantId, input.reason),
    'applicants:setLegalHold': (ctx, input) =>
      ws.retention.setHold(requireOfficer(ctx).id, input.applicantId, input.reason, input.note),
    'applicants:releaseLegalHold': (ctx, input) => ws.retention.releaseHold(requireOfficer(ctx).id, input.holdId),
    'consent:notice': (_ctx, input) => ws.consent.notices.current(input.language),
    'consent:receipt': (_ctx, input) => ws.consent.receipt(input.receiptId),
    'consent:withdraw': (ctx, input) => ws.consent.withdraw(requireOfficer(ctx).id, input.applicantId, input.purpose),
    'system:updateSettings': (ctx, input) => ws.settings.update(requireOfficer(ctx).id, input),
    'recovery:status': () => ws.recovery.status(),
    'recovery:setFolder': (ctx, input) => ws.recovery.setFolder(requireOfficer(ctx).id, input.folder),
    'recovery:clearFolder': (ctx) => ws.recovery.clearFolder(requireOfficer(ctx).id),
    'recovery:runNow': (ctx) => ws.recovery.runNow(requireOfficer(ctx).id),
    ...createScoringHandlers(ws),
    ...createSyncHandlers(ws),
  };
}

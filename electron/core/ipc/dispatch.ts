/**
 * The one entry point for every IPC request, used by the Electron main process and by the browser harness alike:
 * channel allow-list, strict input parsing, session and role checks, then the handler; every outcome becomes an
 * IpcResult. Nothing throws across the bridge.
 */
import type { z } from 'zod';
import { contract, isChannel } from '../../../shared/ipc/contract';
import type { Access, ChannelSpec } from '../../../shared/ipc/define';
import { fail, ok, type IpcResult } from '../../../shared/ipc/result';
import { isNexisError, NexisError } from '../errors';
import type { Logger } from '../log';
import type { Handlers, HandlerContext } from './handlers';
import type { WorkstationServices } from '../workstation-services';

export type Dispatch = (connectionId: string, channel: unknown, input: unknown) => Promise<IpcResult<unknown>>;

/** Describes what was wrong without echoing the values (which may be personal data or passwords). */
export function describeIssues(error: z.ZodError): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
    return `${path}: ${issue.message}`;
  });
  const more = error.issues.length > 5 ? ` (and ${error.issues.length - 5} more)` : '';
  return `Invalid input — ${parts.join('; ')}${more}`;
}

export function createDispatch(ws: WorkstationServices, handlers: Handlers, log: Logger): Dispatch {
  return async (connectionId, channel, input) => {
    if (!isChannel(channel)) {
      return fail('UNKNOWN_CHANNEL', 'Unknown request.');
    }
    const spec: ChannelSpec = contract[channel];
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      return fail('INVALID_INPUT', describeIssues(parsed.error));
    }
    try {
      const ctx = authorize(ws, connectionId, spec.access);
      if (ctx.session && channel !== 'auth:status' && spec.polled !== true) {
        ws.sessions.touch(ctx.session);
      }
      const handler = handlers[channel] as (ctx: HandlerContext, input: unknown) => unknown;
      const value = await handler(ctx, parsed.data);
      const checked = spec.output.safeParse(value);
      if (!checked.success) {
        log.error('ipc.output_invalid', { channel, issues: checked.error.issues.length });
        return fail('INTERNAL', 'The workstation produced an invalid answer; the error was logged.');
      }
      return ok(checked.data);
    } catch (error) {
      if (isNexisError(error)) {
        if (error.code === 'INTERNAL' || error.code === 'DB_CORRUPT' || error.code === 'IO_ERROR') {
          log.error('ipc.failed', { channel, code: error.code, message: error.message });
        }
        return fail(error.code, error.message);
      }
      const ref = Math.random().toString(36).slice(2, 10).toUpperCase();
      log.error('ipc.unexpected', { channel, ref, error: error instanceof Error ? error.name : typeof error });
      return fail('INTERNAL', `Unexpected error (reference ${ref}). Nothing was changed.`);
    }
  };
}

const SESSION_CHANNELS_ALLOWED_WITH_TEMPORARY_PASSWORD: ReadonlySet<Access> = new Set(['public', 'session']);

function authorize(ws: WorkstationServices, connectionId: string, access: Access): HandlerContext {
  const session = ws.sessions.get(connectionId);
  const officer = session ? ws.officers.get(session.officerId) : undefined;
  const ctx: HandlerContext = { connectionId, session, officer };
  if (access === 'public') {
    return ctx;
  }
  if (!session || !officer) {
    throw new NexisError('NOT_SIGNED_IN', 'Sign in first.');
  }
  if (officer.status !== 'active') {
    ws.sessions.end(connectionId);
    throw new NexisError('ACCOUNT_DISABLED', 'This account is disabled. Ask an administrator.');
  }
  if (access === 'session') {
    return ctx;
  }
  if (session.locked) {
    throw new NexisError('SESSION_LOCKED', 'The session is locked. Enter your password to continue.');
  }
  if (officer.mustChangePassword && !SESSION_CHANNELS_ALLOWED_WITH_TEMPORARY_PASSWORD.has(access)) {
    throw new NexisError('FORBIDDEN', 'Change your temporary password first.');
  }
  if (access !== 'signedIn' && !access.includes(officer.role)) {
    throw new NexisError('FORBIDDEN', `Your role (${officer.role}) may not do this.`);
  }
  return ctx;
}

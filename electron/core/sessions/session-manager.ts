/**
 * Signed-in sessions, one per window (desktop) or WebSocket connection (browser harness). Held in memory only:
 * restarting the app signs everyone out. Idle sessions lock; a locked session needs its officer's password.
 */
import { randomBytes } from 'node:crypto';
import type { EventName, EventPayload } from '../../../shared/ipc/events';
import type { Clock } from '../clock';

export interface Session {
  readonly id: string;
  readonly officerId: string;
  readonly signedInAt: string;
  lastActivityMs: number;
  locked: boolean;
}

export type EventSink = <E extends EventName>(sessionId: string, event: E, payload: EventPayload<E>) => void;

export type LockListener = (session: Session, reason: 'idle' | 'manual') => void;

export class SessionManager {
  readonly #sessions = new Map<string, Session>();
  readonly #clock: Clock;
  readonly #idleTimeoutMs: () => number;
  readonly #onLock: LockListener;

  constructor(clock: Clock, idleTimeoutMs: () => number, onLock: LockListener) {
    this.#clock = clock;
    this.#idleTimeoutMs = idleTimeoutMs;
    this.#onLock = onLock;
  }

  static newConnectionId(): string {
    return randomBytes(16).toString('hex');
  }

  /** Starts a session on a connection, replacing whatever session the connection had. */
  start(connectionId: string, officerId: string): Session {
    const now = this.#clock.now();
    const session: Session = {
      id: connectionId,
      officerId,
      signedInAt: now.toISOString(),
      lastActivityMs: now.getTime(),
      locked: false,
    };
    this.#sessions.set(connectionId, session);
    return session;
  }

  /** The connection's session, locking it first if it has been idle too long. */
  get(connectionId: string): Session | undefined {
    const session = this.#sessions.get(connectionId);
    if (session) {
      this.#lockIfIdle(session);
    }
    return session;
  }

  touch(session: Session): void {
    if (!session.locked) {
      session.lastActivityMs = this.#clock.now().getTime();
    }
  }

  lock(session: Session, reason: 'idle' | 'manual'): void {
    if (!session.locked) {
      session.locked = true;
      this.#onLock(session, reason);
    }
  }

  unlock(session: Session): void {
    session.locked = false;
    session.lastActivityMs = this.#clock.now().getTime();
  }

  end(connectionId: string): Session | undefined {
    const session = this.#sessions.get(connectionId);
    this.#sessions.delete(connectionId);
    return session;
  }

  /** Sessions of an officer (to end them when the account is disabled). */
  /** How many sessions are open on this workstation (signed in or locked). */
  get openCount(): number {
    return this.#sessions.size;
  }

  ofOfficer(officerId: string): Session[] {
    return [...this.#sessions.values()].filter((s) => s.officerId === officerId);
  }

  /** Locks every idle session; the transports call this on a timer so the UI locks without a request. */
  sweep(): void {
    for (const session of this.#sessions.values()) {
      this.#lockIfIdle(session);
    }
  }

  #lockIfIdle(session: Session): void {
    if (!session.locked && this.#clock.now().getTime() - session.lastActivityMs >= this.#idleTimeoutMs()) {
      this.lock(session, 'idle');
    }
  }
}

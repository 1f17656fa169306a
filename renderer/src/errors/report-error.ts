/**
 * Tells the core that a screen failed to render (`system:reportError`), for the workstation's log and error counters.
 * Only codes leave the renderer: the screen id, the error's class name and the file:line:column of the first stack
 * frame. Never the message, nor a full path: an error message can quote an applicant's data, and a file:// path the
 * Windows account name.
 */
import { call } from '../api/nexis';

const SCREEN = /^[a-z-]{1,40}$/;
const IDENTIFIER = /^[A-Za-z_$][\w$]{0,59}$/;

/** The error's class name, when it is a plain identifier (a custom `name` could carry anything). */
export function errorNameOf(error: unknown): string {
  if (error instanceof Error) {
    return IDENTIFIER.test(error.name) ? error.name : 'Error';
  }
  return 'NotAnError';
}

/**
 * `file.js:line:column` of the first frame of a V8 (`    at fn (url:1:2)`, `    at url:1:2`) or Firefox/Safari
 * (`fn@url:1:2`) stack; '' when there is none (e.g. a chunk that failed to load has no frame of ours). V8 starts the
 * stack with the message, which may span lines: it is cut off first, so no line of it is read as a frame.
 */
export function firstFrameLocation(error: unknown): string {
  if (!(error instanceof Error) || typeof error.stack !== 'string') {
    return '';
  }
  const header = `${error.name}: ${error.message}`;
  const frames = error.stack.startsWith(header) ? error.stack.slice(header.length) : error.stack;
  for (const line of frames.split('\n')) {
    const v8 = /^\s*at (?:.*\()?(.+?):(\d+):(\d+)\)?\s*$/.exec(line);
    const other = v8 ? null : /^[^@\s]*@(.+?):(\d+):(\d+)\s*$/.exec(line);
    const match = v8 ?? other;
    if (match?.[1] !== undefined) {
      const file = match[1].split(/[?#]/)[0]?.split(/[/\\]/).at(-1) ?? '';
      return `${file}:${match[2] ?? ''}:${match[3] ?? ''}`.slice(0, 200);
    }
  }
  return '';
}

/** Sends the report and forgets it: a failing report must never make the recovery view fail too. */
export function reportRendererError(screen: string, error: unknown): void {
  try {
    void call('system:reportError', {
      screen: SCREEN.test(screen) ? screen : 'unknown',
      errorName: errorNameOf(error),
      where: firstFrameLocation(error),
    }).catch(() => undefined);
  } catch {
    // No bridge (window.nexis missing): nothing to report to.
  }
}

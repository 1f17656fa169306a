/**
 * The registry of unsaved input: every form with edits the officer has not saved registers here, so the app can keep
 * them (drafts survive a tab switch or a trip to the list) and anything that would lose them (a sign-out, an update
 * install) can ask first. Drafts live in memory only, for the session that typed them: a new sign-in, or another
 * officer, never sees them. Nothing here is persisted or logged, because drafts can hold applicant data.
 */
import { useCallback, useEffect, useSyncExternalStore } from 'react';

export interface UnsavedEntry<T = unknown> {
  /** What the officer would lose, as a screen names it ("Behavioural data of NEX-…"). */
  readonly label: string;
  /** The values as typed, when the form keeps a draft; undefined for forms that only ask before leaving. */
  readonly draft: T | undefined;
}

const entries = new Map<string, UnsavedEntry>();
const listeners = new Set<() => void>();
let scope: string | null = null;
let snapshot: readonly string[] = [];

function changed(): void {
  snapshot = [...entries.values()].map((e) => e.label);
  for (const listener of listeners) {
    listener();
  }
}

/** Drafts belong to one session; when the session changes, the old session's drafts are dropped. */
export function setUnsavedScope(next: string | null): void {
  if (next !== scope) {
    scope = next;
    if (entries.size > 0) {
      entries.clear();
      changed();
    }
  }
}

export function markUnsaved<T>(key: string, label: string, draft?: T): void {
  entries.set(key, { label, draft });
  changed();
}

export function clearUnsaved(key: string): void {
  if (entries.delete(key)) {
    changed();
  }
}

export function unsavedDraft<T>(key: string): T | undefined {
  return entries.get(key)?.draft as T | undefined;
}

/** True while any form holds unsaved input (for "never install while an intake or decision form has unsaved input"). */
export function hasUnsavedInput(): boolean {
  return entries.size > 0;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** What would be lost, live: the labels of every form with unsaved input. */
export function useUnsavedInputs(): readonly string[] {
  return useSyncExternalStore(subscribe, () => snapshot);
}

/** Whether one key holds unsaved input, live (e.g. a dot on a tab). */
export function useIsUnsaved(key: string): boolean {
  return useSyncExternalStore(subscribe, () => entries.has(key));
}

/**
 * Registers a form while it is dirty and unmounted drafts alike. With `draft`, the values outlive the component
 * (restore them with `unsavedDraft`); without it, the entry goes when the form unmounts.
 */
export function useUnsavedInput<T>(key: string, label: string, dirty: boolean, draft?: T): { discard(): void } {
  useEffect(() => {
    if (dirty) {
      markUnsaved(key, label, draft);
    } else {
      clearUnsaved(key);
    }
  }, [key, label, dirty, draft]);
  useEffect(
    () => () => {
      if (entries.get(key)?.draft === undefined) {
        clearUnsaved(key);
      }
    },
    [key],
  );
  const discard = useCallback(() => clearUnsaved(key), [key]);
  return { discard };
}

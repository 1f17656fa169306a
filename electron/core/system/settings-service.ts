import { Settings } from '../../../shared/ipc/system';
import type { Store } from '../store';
import { getMeta, setMeta } from './meta-store';

const SETTINGS_KEY = 'settings';
export const DEFAULT_SETTINGS: Settings = { idleTimeoutMinutes: 10 };

export class SettingsService {
  readonly #store: Store;
  #cached: Settings | null = null;

  constructor(store: Store) {
    this.#store = store;
  }

  get(): Settings {
    if (this.#cached === null) {
      const raw = this.#store.read(() => getMeta(this.#store.db, SETTINGS_KEY));
      const parsed = raw === undefined ? null : Settings.safeParse(JSON.parse(raw));
      this.#cached = parsed?.success === true ? parsed.data : DEFAULT_SETTINGS;
    }
    return this.#cached;
  }

  update(actorId: string, next: Settings): Settings {
    const before = this.get();
    this.#store.transaction(() => {
      setMeta(this.#store.db, SETTINGS_KEY, JSON.stringify(next));
      this.#store.audit.append({
        actor: actorId,
        action: 'settings.updated',
        payload: { idleTimeoutMinutes: { from: before.idleTimeoutMinutes, to: next.idleTimeoutMinutes } },
      });
    });
    this.#cached = next;
    return next;
  }
}

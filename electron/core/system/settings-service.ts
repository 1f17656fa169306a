import { Organisation, Settings } from '../../../shared/ipc/system';
import type { Store } from '../store';
import { getMeta, setMeta } from './meta-store';

const SETTINGS_KEY = 'settings';
const ORGANISATION_KEY = 'organisation';
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

  /** The controller named on consent receipts; null until an administrator sets it. */
  organisation(): Organisation | null {
    const raw = this.#store.read(() => getMeta(this.#store.db, ORGANISATION_KEY));
    if (raw === undefined) {
      return null;
    }
    const parsed = Organisation.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  updateOrganisation(actorId: string, next: Organisation): Organisation {
    this.#store.transaction(() => {
      setMeta(this.#store.db, ORGANISATION_KEY, JSON.stringify(next));
      this.#store.audit.append({
        actor: actorId,
        action: 'settings.organisation_updated',
        payload: { jurisdiction: next.jurisdiction },
      });
    });
    return next;
  }
}

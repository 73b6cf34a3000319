/**
 * localStorage that never throws: private mode, full quota or disabled storage only lose persistence, never the
 * page. Every key the client writes starts with `dialogue-board:` so a device can be cleaned by prefix.
 */
export const PREFIX = 'dialogue-board:';

export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** The browser's localStorage, or undefined where there is none (tests, storage blocked). */
export function browserStore(): KeyValueStore | undefined {
  try {
    return globalThis.localStorage ?? undefined;
  } catch {
    return undefined;
  }
}

export function readJson<T>(key: string, store = browserStore()): T | undefined {
  try {
    const raw = store?.getItem(PREFIX + key);
    return raw == null ? undefined : (JSON.parse(raw) as T);
  } catch {
    return undefined;
  }
}

/** Returns false when the value could not be stored (quota, blocked). */
export function writeJson(key: string, value: unknown, store = browserStore()): boolean {
  try {
    if (!store) return false;
    store.setItem(PREFIX + key, JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function removeKey(key: string, store = browserStore()): void {
  try {
    store?.removeItem(PREFIX + key);
  } catch {
    // nothing to do
  }
}

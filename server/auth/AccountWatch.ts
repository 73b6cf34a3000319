/**
 * Authority that follows the account (OWASP ASVS V3.3): the connections staff accounts hold open on this node —
 * socket.io sockets and minutes connections — end as soon as the account changes, not when their token expires.
 *
 * Every staff token carries the account's version (`ver`); disabling an account or changing its role, fields or
 * password bumps it (UserService). The change is announced to every node (in-process, and over Redis pub/sub in
 * scale-out: server/scale/accountChanges.ts); each node closes the connections it tracks for that account with an
 * older version and remembers the new version, so a connection that was being opened with a token read from the store
 * just before the change is refused too. Staff commands are checked against the store itself (`verify`), so not even
 * one sent in the moment the announcement travels gets through.
 * A periodic sweep compares the tracked accounts with the store, for an announcement lost while Redis was away.
 */

export interface AccountChanges {
  /** Tells every node (this one included) that `username` is now at `version`; resolves once it is sent. */
  publish(username: string, version: number): Promise<void>;
  /** Returns the unsubscribe function. */
  subscribe(listener: (username: string, version: number) => void): () => void;
  close(): Promise<void>;
}

/** Embedded mode: one node, so an announcement is a function call. */
export function localAccountChanges(): AccountChanges {
  const listeners = new Set<(username: string, version: number) => void>();
  return {
    async publish(username, version) {
      for (const listener of [...listeners]) listener(username, version);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}

export interface AccountWatchOptions {
  /** The account's current version, or null when it is gone or disabled (read from the store). */
  lookup(username: string): Promise<number | null>;
  /** How often tracked accounts are compared with the store (default 10 s; 0 turns the sweep off). */
  sweepMs?: number;
  logger?: {
    info(o: object, msg?: string): void;
    error(o: object, msg?: string): void;
  };
}

interface Tracked {
  version: number;
  close(): void;
}

export class AccountWatch {
  readonly #options: AccountWatchOptions;
  readonly #open = new Map<string, Set<Tracked>>();
  /** The newest version heard of per account (a few dozen staff accounts: never pruned). */
  readonly #latest = new Map<string, number>();
  readonly #timer: ReturnType<typeof setInterval> | undefined;

  constructor(options: AccountWatchOptions) {
    this.#options = options;
    const sweepMs = options.sweepMs ?? 10_000;
    if (sweepMs > 0) {
      this.#timer = setInterval(() => {
        this.sweep().catch((err: unknown) => options.logger?.error({ err }, 'account sweep failed'));
      }, sweepMs);
      this.#timer.unref();
    }
  }

  /**
   * Watches one connection of `username` opened with a token of `version`: `close` is called (once) when the account
   * changes — at once, if it already has. Returns the function to call when the connection ends by itself.
   */
  track(username: string, version: number, close: () => void): () => void {
    const tracked: Tracked = { version, close };
    if (!this.isCurrent(username, version)) {
      close();
      return () => {};
    }
    let set = this.#open.get(username);
    if (!set) this.#open.set(username, (set = new Set()));
    set.add(tracked);
    return () => this.#forget(username, tracked);
  }

  /** False when this node has heard of a newer version of the account than `version`. */
  isCurrent(username: string, version: number): boolean {
    return (this.#latest.get(username) ?? version) <= version;
  }

  /**
   * Asks the store (the authority, whatever the announcements said so far) whether a token of `version` is still
   * good for `username`; when not, closes its stale connections on this node too. For what must never slip through
   * in the moment an announcement is on its way — a staff command.
   */
  async verify(username: string, version: number): Promise<boolean> {
    if (!this.isCurrent(username, version)) return false;
    const current = await this.#options.lookup(username);
    if (current === version) return true;
    if (current === null) this.#closeWhere(username, () => true);
    else this.changed(username, current);
    return false;
  }

  /** The account is now at `version`: connections opened with an older one are closed. */
  changed(username: string, version: number): void {
    if ((this.#latest.get(username) ?? -1) < version) this.#latest.set(username, version);
    this.#closeWhere(username, (t) => t.version < version);
  }

  /** Compares every tracked account with the store (also called by the timer). */
  async sweep(): Promise<void> {
    for (const username of [...this.#open.keys()]) {
      const version = await this.#options.lookup(username);
      if (version === null) this.#closeWhere(username, () => true);
      else this.changed(username, version);
    }
  }

  close(): void {
    clearInterval(this.#timer);
  }

  #closeWhere(username: string, stale: (t: Tracked) => boolean): void {
    const set = this.#open.get(username);
    if (!set) return;
    const closing = [...set].filter(stale);
    for (const tracked of closing) this.#forget(username, tracked);
    if (closing.length > 0)
      this.#options.logger?.info(
        { username, connections: closing.length },
        'account changed: connections closed',
      );
    for (const tracked of closing) tracked.close();
  }

  #forget(username: string, tracked: Tracked): void {
    const set = this.#open.get(username);
    if (!set?.delete(tracked)) return;
    if (set.size === 0) this.#open.delete(username);
  }
}

/**
 * Updates this node holds through the relay and the store may not: each node stores only what its own clients sent
 * (the relay delivers the rest to everyone), so an update relayed and not yet stored dies with its node if that node
 * is SIGKILLed — the writers and the surviving nodes keep it, a node started again reads it from the relay's last
 * 30 s, and so no writer ever sends it again. The nodes that received it therefore owe it to the store until its
 * node says it is stored (a RELAY_STORED frame: every update of that room up to a number is durable); one that was
 * not confirmed within `takeOverAfterMs` is written by this node if the store lacks it (DocPersistence.storeMissing),
 * so an update that was stored after all is not stored again.
 *
 * The origin that was only slow (paused, or waiting for Redis) looks its late batch up the same way
 * (DocPersistence `lateAfterMs`), so a takeover and the origin's own write do not store an item twice.
 */
import type { MinutesLogger } from './types.ts';

/** How often `settle` looks whether the word it waits for came. */
const SETTLE_POLL_MS = 50;

interface Owed {
  origin: string;
  seq: number;
  update: Uint8Array;
  /** When it arrived, or when a takeover of it last failed (ms). */
  at: number;
}

export interface OwedOptions {
  takeOverAfterMs: number;
  logger: MinutesLogger;
  sessionId: string;
}

export class OwedUpdates {
  readonly #options: OwedOptions;
  #owed: Owed[] = [];
  /** The highest number each origin said it stored. */
  readonly #stored = new Map<string, number>();
  /** Writes those of the updates the store lacks. */
  #storeMissing: ((updates: Uint8Array[]) => Promise<number>) | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(options: OwedOptions) {
    this.#options = options;
  }

  /** An update relayed from room `origin`, its `seq`-th. */
  add(origin: string, seq: number, update: Uint8Array): void {
    if (this.#stopped || seq <= (this.#stored.get(origin) ?? 0)) return;
    this.#owed.push({ origin, seq, update, at: Date.now() });
    this.#schedule();
  }

  /** Room `origin` stored its updates up to the `seq`-th. */
  confirm(origin: string, seq: number): void {
    if (seq <= (this.#stored.get(origin) ?? 0)) return;
    this.#stored.set(origin, seq);
    this.#owed = this.#owed.filter((owed) => owed.origin !== origin || owed.seq > seq);
  }

  /** From now on, what is not confirmed in time is written with `storeMissing` (set once the document is loaded). */
  start(storeMissing: (updates: Uint8Array[]) => Promise<number>): void {
    this.#storeMissing = storeMissing;
    this.#schedule();
  }

  /**
   * Before the room leaves memory: waits for the word still due (until the last update is due, at most `maxWaitMs`),
   * then writes those the store lacks of what is left. Nothing is owed once this resolves, unless the store failed.
   */
  async settle(maxWaitMs = Number.POSITIVE_INFINITY): Promise<void> {
    if (this.#owed.length === 0) return;
    const due = Math.max(...this.#owed.map((owed) => owed.at)) + this.#options.takeOverAfterMs;
    const deadline = Math.min(due, Date.now() + maxWaitMs);
    while (this.#owed.length > 0 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
    await this.#running;
    await this.#takeOver(Number.POSITIVE_INFINITY);
  }

  stop(): void {
    this.#stopped = true;
    this.#owed = [];
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    if (
      this.#timer !== null ||
      this.#running ||
      this.#owed.length === 0 ||
      !this.#storeMissing ||
      this.#stopped
    )
      return;
    const first = Math.min(...this.#owed.map((owed) => owed.at));
    const wait = Math.max(0, first + this.#options.takeOverAfterMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#takeOver(Date.now() - this.#options.takeOverAfterMs).finally(() => {
        this.#running = null;
        this.#schedule();
      });
    }, wait);
  }

  /** Writes what the store lacks of the updates that arrived before `before` and are still not confirmed. */
  async #takeOver(before: number): Promise<void> {
    const storeMissing = this.#storeMissing;
    const due = this.#owed.filter((owed) => owed.at <= before);
    if (!storeMissing || due.length === 0 || this.#stopped) return;
    let written: number;
    try {
      written = await storeMissing(due.map((owed) => owed.update));
    } catch (error) {
      // The store refuses (e.g. a failover): tried again after another `takeOverAfterMs`.
      this.#options.logger.warn(
        { err: error, sessionId: this.#options.sessionId },
        'minutes relayed edits not stored yet',
      );
      const now = Date.now();
      for (const owed of due) owed.at = now;
      return;
    }
    const done = new Set(due);
    this.#owed = this.#owed.filter((owed) => !done.has(owed));
    if (written > 0)
      this.#options.logger.warn(
        { sessionId: this.#options.sessionId, updates: written },
        'minutes relayed edits whose node did not say it stored them: stored here',
      );
  }
}

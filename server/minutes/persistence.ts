/**
 * Durable storage of one document's updates in the project's YDocStore.
 *
 * Accepted updates are batched for at most `flushDelayMs` (a throttle, not a debounce: continuous typing cannot
 * postpone the write) and appended as one merged row, so a crash loses at most that window. Writes are serialised on
 * one promise chain, so rows keep their order and compaction never interleaves with an append of this node.
 * Compaction merges exactly the rows it read — not the in-memory doc — so it stays correct when other nodes append
 * to the same document concurrently (they only ever append after the rows we read).
 *
 * Each push gets a number (1, 2, …) and `onStored` hears the highest one that is durable, so the other nodes, which
 * hold these updates through the relay, know they need not store them (OwedUpdates). A node that takes too long
 * may find that another node stored its updates for it (it looked dead): the updates of a batch older than
 * `lateAfterMs` are first looked up in the store, and only those it lacks are written (as `storeMissing` does for
 * the updates another node relayed), so no item is stored twice.
 */
import * as Y from 'yjs';
import { DocumentSealedError, type YDocStore } from '../store/EventStore.ts';
import type { MinutesLogger } from './types.ts';
import { storedItems, storedShare } from './storedItems.ts';

export interface PersistenceOptions {
  flushDelayMs: number;
  compactAfter: number;
  logger?: MinutesLogger | undefined;
  /**
   * The store refused a write because the document is sealed (approved, maybe on another node): the edits are
   * dropped — they came after the approval and can never be stored — and the owner is told.
   */
  onSealed?: (() => void) | undefined;
  /** Every push up to the `seq`-th (numbered from 1 by `push`) is durable. */
  onStored?: ((seq: number) => void) | undefined;
  /** A batch waiting longer than this is written as what the store lacks of it (see the top). Default: never. */
  lateAfterMs?: number | undefined;
}

/** Longest wait between retries of a failing store; the edits stay in memory meanwhile. */
const MAX_RETRY_DELAY_MS = 5_000;

export class DocPersistence {
  readonly #store: YDocStore;
  readonly #name: string;
  readonly #options: PersistenceOptions;
  #pending: Uint8Array[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  /** Never rejects: each flush hangs its own (possibly failing) write on it and swallows the failure here. */
  #chain: Promise<void> = Promise.resolve();
  /** Rows in the store as far as this node knows; drives compaction, so being approximate only shifts its timing. */
  #rows = 0;
  #failures = 0;
  /** Pushes so far; the number of the last one. */
  #pushed = 0;
  /** When the oldest update not yet written was pushed (null: none waiting). */
  #pendingSince: number | null = null;
  /** A pushed update that may repeat stored items (its number): compact once it is written. */
  #compactAt: number | null = null;
  #closed = false;

  constructor(store: YDocStore, name: string, options: PersistenceOptions) {
    this.#store = store;
    this.#name = name;
    this.#options = options;
  }

  get rows(): number {
    return this.#rows;
  }

  /** Applies every stored row to `doc`; returns how many there were (0: the document was never stored). */
  async load(doc: Y.Doc): Promise<number> {
    const rows = await this.#store.loadUpdates(this.#name);
    this.#rows = rows.length;
    if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows));
    return rows.length;
  }

  /**
   * Queues an accepted update; it is written within `flushDelayMs`. Returns its number (see `onStored`). `compact`:
   * it may hold items another node stores too; the rows are merged once it is written, so each is kept once.
   */
  push(update: Uint8Array, options: { compact?: boolean } = {}): number {
    if (this.#closed) return this.#pushed;
    this.#queue(update);
    if (options.compact) this.#compactAt = this.#pushed;
    if (this.#timer === null) this.#schedule(this.#options.flushDelayMs);
    return this.#pushed;
  }

  /** Queues `update` and writes it now; resolves when it is durable. */
  writeNow(update: Uint8Array): Promise<void> {
    this.#queue(update);
    return this.flush();
  }

  /**
   * Writes those of `updates` (accepted by another node, which may never have stored them) that the store lacks,
   * after this node's own writes so far.
   */
  storeMissing(updates: Uint8Array[]): Promise<number> {
    const run = this.#chain.then(async () => {
      try {
        return await this.#writeMissing(updates);
      } catch (error) {
        if (!(error instanceof DocumentSealedError)) throw error;
        this.#options.onSealed?.(); // approved meanwhile: nothing more is stored, by anybody
        return 0;
      }
    });
    this.#chain = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves once everything pushed before the call is durable; rejects if the store failed (a retry is scheduled). */
  flush(): Promise<void> {
    this.#clearTimer();
    const run = this.#chain.then(() => this.#writePending());
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** Merges all stored rows into one, if there is more than one. Failures are logged: the rows stay valid. */
  compact(): Promise<void> {
    const run = this.#chain.then(() => this.#compact());
    this.#chain = run;
    return run;
  }

  /** Stops timers and retries; later pushes are ignored. Call after the last flush. */
  close(): void {
    this.#closed = true;
    this.#clearTimer();
  }

  #queue(update: Uint8Array): void {
    this.#pending.push(update);
    this.#pushed++;
    this.#pendingSince ??= Date.now();
  }

  async #writePending(): Promise<void> {
    if (this.#pending.length === 0) return;
    const through = this.#pushed;
    const since = this.#pendingSince ?? Date.now();
    const batch = this.#pending.splice(0);
    this.#pendingSince = null;
    const merged = batch.length === 1 && batch[0] !== undefined ? batch[0] : Y.mergeUpdates(batch);
    try {
      const lateAfterMs = this.#options.lateAfterMs;
      if (lateAfterMs !== undefined && Date.now() - since > lateAfterMs) {
        // Another node may have stored some of it meanwhile (see the top).
        await this.#writeMissing(batch);
      } else {
        await this.#append(merged);
      }
    } catch (error) {
      if (error instanceof DocumentSealedError) {
        this.#options.logger?.warn({ doc: this.#name }, 'minutes edits after the approval dropped');
        this.#options.onSealed?.();
        return;
      }
      // Keep the edits, in order, and retry: a full disk should cost durability for a while, not content.
      this.#pending.unshift(...batch); // one by one: a late retry looks each up in the store
      this.#pendingSince = since;
      this.#failures++;
      this.#options.logger?.error(
        { err: error, doc: this.#name, failures: this.#failures },
        'minutes write failed',
      );
      if (!this.#closed)
        this.#schedule(Math.min(this.#options.flushDelayMs * 2 ** this.#failures, MAX_RETRY_DELAY_MS));
      throw error;
    }
    this.#failures = 0;
    this.#options.onStored?.(through);
    const repeats = this.#compactAt !== null && this.#compactAt <= through;
    if (repeats) this.#compactAt = null;
    if (this.#rows >= this.#options.compactAfter || repeats) await this.#compact();
  }

  async #append(update: Uint8Array): Promise<void> {
    await this.#store.appendUpdate(this.#name, update);
    this.#rows++;
  }

  /**
   * Writes those of `updates` the store does not hold wholly (see storedItems.ts); returns how many. One it holds in
   * part (a writer's sync that also carries edits another node stored) is written whole and the rows are folded
   * after it, so that each item is kept once.
   */
  async #writeMissing(updates: Uint8Array[]): Promise<number> {
    const rows = await this.#store.loadUpdates(this.#name);
    this.#rows = rows.length;
    const stored = storedItems(rows);
    const shares = updates.map((update) => storedShare(stored, update));
    const missing = updates.filter((_, i) => shares[i] !== 'all');
    if (missing.length === 0) return 0;
    await this.#append(Y.mergeUpdates(missing));
    if (shares.includes('some')) await this.#compact();
    return missing.length;
  }

  async #compact(): Promise<void> {
    try {
      const rows = await this.#store.loadUpdates(this.#name);
      this.#rows = rows.length;
      if (rows.length <= 1) return;
      // Through a doc rather than Y.mergeUpdates: the doc garbage-collects deleted text, mergeUpdates keeps it.
      const doc = new Y.Doc();
      try {
        Y.applyUpdate(doc, Y.mergeUpdates(rows));
        await this.#store.compact(this.#name, Y.encodeStateAsUpdate(doc), rows.length);
      } finally {
        doc.destroy();
      }
      this.#rows = 1;
    } catch (error) {
      this.#options.logger?.warn({ err: error, doc: this.#name }, 'minutes compaction failed');
    }
  }

  #schedule(delayMs: number): void {
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      // A failed write logs and reschedules itself; nothing to do with the rejection here.
      this.flush().catch(() => undefined);
    }, delayMs);
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

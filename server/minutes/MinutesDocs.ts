/**
 * The documents in memory: one MinutesRoom per session, with its persistence and relay subscription.
 *
 *  - loaded once even when several clients connect at the same moment (one promise per session), from the store
 *    before anyone is joined — so before the first sync message goes out;
 *  - pre-filled with the template only when the store has nothing for the session, and the template is stored before
 *    any client can see it;
 *  - held by connections and by getDoc/approve calls; after the last holder lets go the room is flushed (and
 *    compacted) and leaves memory, unless someone took it again meanwhile;
 *  - reloaded from the store when the room failed to apply an update (its connections are closed with 4503 and
 *    reconnect to a fresh copy), never left running on a document it can no longer store;
 *  - caught up from the store when a relayed update builds on one this node never received (MinutesRoom `behind`):
 *    the relay is fast but may lose a frame in a Redis failover, the store has every update its node accepted. The
 *    missing one may not be written yet (its node flushes within `flushDelayMs`, and retries while Redis refuses),
 *    so the store is read again, less and less often, until nothing is missing or the room is gone;
 *  - owing the store what the relay brought until its node says it is stored (OwedUpdates): a node SIGKILLed between
 *    relaying an edit and storing it leaves the edit only in memory elsewhere, so a node that holds it and heard no
 *    word within `takeOverAfterMs` stores what the store lacks of it. A room leaving memory first settles that.
 *
 * Approval (`approve`): this node locks its room and writes what it holds, then the store seals the document — from
 * then on every append is refused, on every node (YDocStore.seal) — and the relay tells the other nodes (a node
 * that hears it, or whose write the store refuses, reloads its room from the store, locked). The hash is computed
 * from the stored document after the seal, so it is the hash of what is kept; exports of a sealed document read the
 * store too. A session approved before seals existed is sealed when its document is next opened.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import type { MinutesLogger, MinutesServerOptions } from './types.ts';
import { contentHash } from './hash.ts';
import { DocPersistence } from './persistence.ts';
import {
  decodeRelayFrame,
  encodeRelayStored,
  encodeRelayUpdate,
  encodeUpdate,
  RELAY_SEALED,
} from './protocol.ts';
import { MinutesRoom } from './MinutesRoom.ts';
import { OwedUpdates } from './OwedUpdates.ts';
import { META_TEMPLATED, MINUTES_META } from '../../shared/minutes/schema.ts';
import { MinutesCloseCode } from '../../shared/minutes/closeCodes.ts';
import { buildTemplateUpdate } from './template.ts';

/** Attempts at the final write of a document leaving memory; clients resend what is missing when they reconnect. */
const FINAL_FLUSH_ATTEMPTS = 3;
/**
 * At shutdown, how long a room waits for other nodes to say they stored what they relayed to it, before it stores
 * what the store lacks of it itself (a node stops within 10 s; docs/operations.md).
 */
const CLOSE_SETTLE_MS = 2_000;
/** Relay frames kept while the document loads; a relay flooding a loading room beyond this is dropped. */
const MAX_EARLY_FRAMES = 1_000;
/** Longest pause between two reads of the store by a room waiting for an update the relay lost. */
const MAX_CATCH_UP_DELAY_MS = 5_000;

/** The store's document name: namespaced, so other features can keep Yjs documents in the same store. */
export function minutesDocName(sessionId: string): string {
  return `minutes:${sessionId}`;
}

export interface Loaded {
  room: MinutesRoom;
  persistence: DocPersistence;
  /** Relayed updates this node holds and their nodes have not said they stored. */
  owed: OwedUpdates;
  unsubscribe: () => void;
}

interface Entry {
  ready: Promise<Loaded>;
  loaded: Loaded | null;
  /** Connections and in-flight getDoc/approve calls; counted before awaiting `ready`, so eviction cannot race. */
  holders: number;
}

export interface Holder {
  loaded: Loaded;
  /** Idempotent. */
  release(): void;
}

export class MinutesDocs {
  readonly #options: MinutesServerOptions;
  readonly #logger: MinutesLogger;
  readonly #entries = new Map<string, Entry>();
  /** Sessions this node knows to be approved: it approved them, or heard the seal from another node. */
  readonly #locked = new Set<string>();
  /** Rooms being written out after a reload: the next load of the session waits for them. */
  readonly #draining = new Map<string, Promise<void>>();
  /** Rooms reading the store for updates the relay lost (one reader each). */
  readonly #catchingUp = new WeakSet<MinutesRoom>();
  #closing: Promise<void> | null = null;

  constructor(options: MinutesServerOptions, logger: MinutesLogger) {
    this.#options = options;
    this.#logger = logger;
  }

  get size(): number {
    return this.#entries.size;
  }

  async acquire(sessionId: string): Promise<Holder> {
    if (this.#closing) throw new Error('minutes server is closing');
    const entry = this.#entry(sessionId);
    entry.holders++;
    let loaded: Loaded;
    try {
      loaded = await entry.ready;
    } catch (error) {
      entry.holders--;
      throw error;
    }
    let released = false;
    return {
      loaded,
      release: () => {
        if (released) return;
        released = true;
        entry.holders--;
        if (entry.holders === 0) void this.#unload(sessionId, entry);
      },
    };
  }

  /**
   * The chair's approval: locks and seals the document (see the top of this file) and returns the hash of the stored
   * content. Idempotent: approving a sealed document again returns the same hash.
   */
  async approve(sessionId: string): Promise<string> {
    const holder = await this.acquire(sessionId); // loads (and pre-fills) the document, so there is one to seal
    try {
      const { room, persistence } = holder.loaded;
      this.#locked.add(sessionId);
      room.lock();
      await persistence.flush();
      await this.#options.ydocs.seal(minutesDocName(sessionId));
      this.#options.relay?.publish(sessionId, RELAY_SEALED);
      const stored = await this.#loadStored(sessionId);
      try {
        const hash = contentHash(stored);
        // Edits relayed from another node that it could not store before the seal: this copy shows too much.
        if (contentHash(room.doc) !== hash) this.#reloadRoom(sessionId, room);
        return hash;
      } finally {
        stored.destroy();
      }
    } finally {
      holder.release();
    }
  }

  /**
   * A change the server makes itself, written before this resolves; false when the document is approved (nothing
   * changes then).
   */
  async edit(sessionId: string, change: (doc: Y.Doc) => void): Promise<boolean> {
    if (this.#locked.has(sessionId) || (await this.#options.ydocs.isSealed(minutesDocName(sessionId))))
      return false;
    const holder = await this.acquire(sessionId);
    try {
      const { room, persistence } = holder.loaded;
      if (!room.edit(change)) return false;
      await persistence.flush();
      return true;
    } finally {
      holder.release();
    }
  }

  /** A copy of the document: the live one (with edits not yet written), or once approved exactly what is stored. */
  async getDoc(sessionId: string): Promise<Y.Doc> {
    if (await this.#options.ydocs.isSealed(minutesDocName(sessionId))) return this.#loadStored(sessionId);
    const holder = await this.acquire(sessionId);
    try {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(holder.loaded.room.doc));
      return copy;
    } finally {
      holder.release();
    }
  }

  async #loadStored(sessionId: string): Promise<Y.Doc> {
    const doc = new Y.Doc();
    const rows = await this.#options.ydocs.loadUpdates(minutesDocName(sessionId));
    if (rows.length > 0) Y.applyUpdate(doc, Y.mergeUpdates(rows));
    return doc;
  }

  /** Another node approved the document, or the store refused a write of this node because it is sealed. */
  #onSealed(sessionId: string): void {
    this.#locked.add(sessionId);
    const entry = this.#entries.get(sessionId);
    if (!entry) return;
    if (!entry.loaded) {
      // Still loading: decided once it is ready (a load that began before the seal may lack the last edits).
      entry.ready.then(() => this.#onSealed(sessionId)).catch(() => undefined);
      return;
    }
    const { room } = entry.loaded;
    if (!room.locked) this.#reloadRoom(sessionId, room);
  }

  /**
   * Takes `room` out of service: its connections are closed with 4503 (the stock client reconnects), what it
   * accepted before is written out, and the next connection loads the document from the store again.
   */
  #reloadRoom(sessionId: string, room: MinutesRoom): void {
    const entry = this.#entries.get(sessionId);
    const loaded = entry?.loaded;
    if (!entry || loaded?.room !== room) return; // reloaded already
    this.#entries.delete(sessionId);
    room.retire(MinutesCloseCode.Reloading);
    const drained = this.#flushFinal(sessionId, loaded).then(() => this.#dispose(loaded));
    this.#draining.set(sessionId, drained);
    void drained.finally(() => {
      if (this.#draining.get(sessionId) === drained) this.#draining.delete(sessionId);
    });
    this.#logger.info({ sessionId }, 'minutes reloaded from the store');
  }

  /** Flushes and disposes every room; later acquires fail. */
  close(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  #entry(sessionId: string): Entry {
    const existing = this.#entries.get(sessionId);
    if (existing) return existing;
    const entry: Entry = { ready: this.#open(sessionId), loaded: null, holders: 0 };
    this.#entries.set(sessionId, entry);
    entry.ready.then(
      (loaded) => {
        entry.loaded = loaded;
      },
      (error: unknown) => {
        // Forget the failed load so that the next connection tries again.
        if (this.#entries.get(sessionId) === entry) this.#entries.delete(sessionId);
        this.#logger.error({ err: error, sessionId }, 'minutes load failed');
      },
    );
    return entry;
  }

  async #open(sessionId: string): Promise<Loaded> {
    const relay = this.#options.relay;
    const flushDelayMs = this.#options.flushDelayMs ?? 200;
    const takeOverAfterMs = this.#options.takeOverAfterMs ?? 10_000;
    let doc = new Y.Doc();
    let room: MinutesRoom | null = null;
    const early: Uint8Array[] = [];
    const deliver = (bytes: Uint8Array) => {
      if (room) room.applyRemote(bytes);
      else if (early.length < MAX_EARLY_FRAMES) early.push(bytes);
    };
    /** This room's name on the relay: its updates and its word that they are stored carry it. */
    const origin = randomUUID();
    const owed = new OwedUpdates({ takeOverAfterMs, logger: this.#logger, sessionId });
    // Subscribed before loading, so an update another node publishes meanwhile is applied, not missed.
    const unsubscribe =
      relay?.subscribe(sessionId, (bytes) => {
        const frame = decodeRelayFrame(bytes);
        if (frame?.type === 'sealed') this.#onSealed(sessionId);
        else if (frame?.type === 'stored') owed.confirm(frame.origin, frame.seq);
        else if (frame?.type === 'update') {
          owed.add(frame.origin, frame.seq, frame.update);
          deliver(encodeUpdate(frame.update));
        } else if (frame) deliver(frame.bytes);
      }) ?? (() => {});
    try {
      // The previous room of this session, reloaded, may still be writing what it accepted.
      await this.#draining.get(sessionId);
      const ydocs = this.#options.ydocs;
      const name = minutesDocName(sessionId);
      const persistence = new DocPersistence(ydocs, name, {
        flushDelayMs,
        compactAfter: this.#options.compactAfter ?? 100,
        logger: this.#logger,
        onSealed: () => this.#onSealed(sessionId),
        onStored: (seq) => relay?.publish(sessionId, encodeRelayStored(origin, seq)),
        // Well within the others' patience (see takeOverAfterMs): an older batch may have been stored by another node.
        lateAfterMs: Math.min(5 * flushDelayMs, takeOverAfterMs / 2),
      });
      // Asked before loading: if sealed already, what the load returns is final.
      const sealed = await ydocs.isSealed(name);
      let rows = await persistence.load(doc);
      const empty = !sealed && rows === 0 && doc.getMap(MINUTES_META).get(META_TEMPLATED) !== true;
      // Once per session: loads are serialised per session on this node, and stored content is never re-filled.
      // Across nodes two can both find the store empty here; the relay's claim lets one of them fill it.
      if (empty && (relay?.claimTemplate ? await relay.claimTemplate(sessionId) : true)) {
        const update = buildTemplateUpdate(await this.#options.context(sessionId));
        Y.applyUpdate(doc, update);
        // Stored before any client sees it: a client holding a template the store lost would merge it back next to
        // a second one after a restart.
        await persistence.writeNow(update);
        relay?.publish(sessionId, encodeUpdate(update));
      }
      const locked = sealed || (await this.#options.isLocked(sessionId));
      if (locked && !sealed) {
        // Approved before the store had seals: seal now, then read what is final.
        await ydocs.seal(name);
        doc.destroy();
        doc = new Y.Doc();
        rows = await persistence.load(doc);
      }
      const created: MinutesRoom = new MinutesRoom(
        sessionId,
        doc,
        {
          accepted: (update, repeats) => {
            const seq = persistence.push(update, { compact: repeats });
            relay?.publish(sessionId, encodeRelayUpdate(origin, seq, update));
          },
          ...(relay ? { publish: (bytes: Uint8Array) => relay.publish(sessionId, bytes) } : {}),
          failed: (error) => {
            this.#logger.error({ err: error, sessionId }, 'minutes update failed to apply; reloading');
            this.#reloadRoom(sessionId, created);
          },
          behind: () => void this.#catchUp(sessionId, created),
        },
        locked,
      );
      room = created;
      for (const bytes of early.splice(0)) created.applyRemote(bytes);
      owed.start((updates) => persistence.storeMissing(updates));
      this.#logger.info({ sessionId, rows, locked: created.locked }, 'minutes opened');
      return { room: created, persistence, owed, unsubscribe };
    } catch (error) {
      owed.stop();
      unsubscribe();
      doc.destroy();
      throw error;
    }
  }

  /** Brings what `room` lacks from the store until nothing is missing (see the top of this file). */
  async #catchUp(sessionId: string, room: MinutesRoom): Promise<void> {
    if (this.#catchingUp.has(room)) return;
    this.#catchingUp.add(room);
    const flushDelayMs = this.#options.flushDelayMs ?? 200;
    try {
      for (let attempt = 1; room.behind && !room.stopped && !this.#closing; attempt++) {
        await new Promise((resolve) =>
          setTimeout(resolve, Math.min(flushDelayMs * 2 ** attempt, MAX_CATCH_UP_DELAY_MS)),
        );
        if (room.stopped) return;
        const stored = await this.#loadStored(sessionId).catch((error: unknown) => {
          this.#logger.warn({ err: error, sessionId }, 'minutes catch-up read failed');
          return null;
        });
        if (!stored) continue;
        try {
          const missing = Y.encodeStateAsUpdate(stored, Y.encodeStateVector(room.doc));
          room.applyRemote(encodeUpdate(missing));
        } finally {
          stored.destroy();
        }
        if (!room.behind) this.#logger.info({ sessionId, attempt }, 'minutes caught up from the store');
      }
    } finally {
      this.#catchingUp.delete(room);
    }
  }

  async #unload(sessionId: string, entry: Entry): Promise<void> {
    if (this.#closing) return; // close() flushes and disposes every room itself
    const loaded = await entry.ready.catch(() => null);
    if (!loaded) return;
    await this.#flushFinal(sessionId, loaded);
    // Someone took the room while we were writing, or close() took over: keep it (or leave it to close()).
    if (entry.holders > 0 || this.#entries.get(sessionId) !== entry) return;
    this.#entries.delete(sessionId);
    this.#dispose(loaded);
    this.#logger.info({ sessionId }, 'minutes closed');
  }

  async #flushFinal(sessionId: string, loaded: Loaded, settleMs?: number): Promise<void> {
    await loaded.owed.settle(settleMs);
    for (let attempt = 1; attempt <= FINAL_FLUSH_ATTEMPTS; attempt++) {
      try {
        await loaded.persistence.flush();
        if (loaded.persistence.rows > 1) await loaded.persistence.compact();
        return;
      } catch (error) {
        if (attempt === FINAL_FLUSH_ATTEMPTS) {
          this.#logger.error(
            { err: error, sessionId },
            'minutes final write failed; clients resend on reconnect',
          );
        } else {
          await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        }
      }
    }
  }

  #dispose(loaded: Loaded): void {
    loaded.owed.stop();
    loaded.unsubscribe();
    loaded.persistence.close();
    loaded.room.destroy();
  }

  async #closeAll(): Promise<void> {
    const entries = Array.from(this.#entries);
    this.#entries.clear();
    await Promise.all(this.#draining.values());
    await Promise.all(
      entries.map(async ([sessionId, entry]) => {
        const loaded = await entry.ready.catch(() => null);
        if (!loaded) return;
        await this.#flushFinal(sessionId, loaded, CLOSE_SETTLE_MS);
        this.#dispose(loaded);
      }),
    );
  }
}

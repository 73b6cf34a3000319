/**
 * The documents in memory: one MinutesRoom per session, with its persistence and relay subscription.
 *
 *  - loaded once even when several clients connect at the same moment (one promise per session), from the store
 *    before anyone is joined — so before the first sync message goes out;
 *  - pre-filled with the template only when the store has nothing for the session, and the template is stored before
 *    any client can see it;
 *  - held by connections and by getDoc/contentHash calls; after the last holder lets go the room is flushed (and
 *    compacted) and leaves memory, unless someone took it again meanwhile.
 */
import * as Y from 'yjs';
import type { MinutesLogger, MinutesServerOptions } from './types.ts';
import { contentHash } from './hash.ts';
import { DocPersistence } from './persistence.ts';
import { encodeUpdate } from './protocol.ts';
import { MinutesRoom } from './MinutesRoom.ts';
import { META_TEMPLATED, MINUTES_META } from './schema.ts';
import { buildTemplateUpdate } from './template.ts';

/** Attempts at the final write of a document leaving memory; clients resend what is missing when they reconnect. */
const FINAL_FLUSH_ATTEMPTS = 3;
/** Relay frames kept while the document loads; a relay flooding a loading room beyond this is dropped. */
const MAX_EARLY_FRAMES = 1_000;

/** The store's document name: namespaced, so other features can keep Yjs documents in the same store. */
export function minutesDocName(sessionId: string): string {
  return `minutes:${sessionId}`;
}

export interface Loaded {
  room: MinutesRoom;
  persistence: DocPersistence;
  unsubscribe: () => void;
}

interface Entry {
  ready: Promise<Loaded>;
  loaded: Loaded | null;
  /** Connections and in-flight getDoc/contentHash calls; counted before awaiting `ready`, so eviction cannot race. */
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
  readonly #locked = new Set<string>();
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

  lock(sessionId: string): void {
    this.#locked.add(sessionId);
    this.#entries.get(sessionId)?.loaded?.room.lock();
  }

  async getDoc(sessionId: string): Promise<Y.Doc> {
    const holder = await this.acquire(sessionId);
    try {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(holder.loaded.room.doc));
      return copy;
    } finally {
      holder.release();
    }
  }

  async contentHash(sessionId: string): Promise<string> {
    const holder = await this.acquire(sessionId);
    try {
      await holder.loaded.persistence.flush();
      return contentHash(holder.loaded.room.doc);
    } finally {
      holder.release();
    }
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
    const doc = new Y.Doc();
    let room: MinutesRoom | null = null;
    const early: Uint8Array[] = [];
    // Subscribed before loading, so an update another node publishes meanwhile is applied, not missed.
    const unsubscribe =
      relay?.subscribe(sessionId, (bytes) => {
        if (room) room.applyRemote(bytes);
        else if (early.length < MAX_EARLY_FRAMES) early.push(bytes);
      }) ?? (() => {});
    try {
      const persistence = new DocPersistence(this.#options.ydocs, minutesDocName(sessionId), {
        flushDelayMs: this.#options.flushDelayMs ?? 200,
        compactAfter: this.#options.compactAfter ?? 100,
        logger: this.#logger,
      });
      const rows = await persistence.load(doc);
      const empty = rows === 0 && doc.getMap(MINUTES_META).get(META_TEMPLATED) !== true;
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
      const locked = this.#locked.has(sessionId) || (await this.#options.isLocked(sessionId));
      const created = new MinutesRoom(
        sessionId,
        doc,
        {
          persist: (update) => persistence.push(update),
          ...(relay ? { publish: (bytes: Uint8Array) => relay.publish(sessionId, bytes) } : {}),
        },
        // lock() may have been called while isLocked was pending.
        locked || this.#locked.has(sessionId),
      );
      room = created;
      for (const bytes of early.splice(0)) created.applyRemote(bytes);
      this.#logger.info({ sessionId, rows, locked: created.locked }, 'minutes opened');
      return { room: created, persistence, unsubscribe };
    } catch (error) {
      unsubscribe();
      doc.destroy();
      throw error;
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

  async #flushFinal(sessionId: string, loaded: Loaded): Promise<void> {
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
    loaded.unsubscribe();
    loaded.persistence.close();
    loaded.room.destroy();
  }

  async #closeAll(): Promise<void> {
    const entries = Array.from(this.#entries);
    this.#entries.clear();
    await Promise.all(
      entries.map(async ([sessionId, entry]) => {
        const loaded = await entry.ready.catch(() => null);
        if (!loaded) return;
        await this.#flushFinal(sessionId, loaded);
        this.#dispose(loaded);
      }),
    );
  }
}

/**
 * The minutes endpoint: `/yjs/<sessionId>?token=…` on the app's HTTP server, speaking the y-websocket protocol.
 *
 * Upgrade handling: the upgrade is completed at once (synchronously, before any await), then the token is checked and
 * a refusal is a close frame with a 44xx code. Completing at once also keeps engine.io from destroying the socket:
 * with its default `destroyUpgrade: true`, socket.io ends any foreign upgrade that has written nothing after 1 s.
 * Frames arriving while the token is checked and the document loads are queued and handled in order after the join.
 *
 * Documents: one room per session, loaded once even when several clients connect at the same moment (a promise per
 * session), from the store before the first sync message goes out; pre-filled with the template only when the store
 * has nothing for it. A room leaves memory after its last connection closed and its updates are flushed.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import * as Y from 'yjs';
import { MINUTES_CLOSE_REASONS, MinutesCloseCode } from './closeCodes.ts';
import { contentHash } from './hash.ts';
import { DocPersistence } from './persistence.ts';
import { KEEPALIVE_MESSAGE, encodeUpdate } from './protocol.ts';
import { MinutesRoom } from './MinutesRoom.ts';
import type { MinutesConnection } from './MinutesRoom.ts';
import { META_TEMPLATED, MINUTES_META } from './schema.ts';
import { buildTemplateUpdate } from './template.ts';
import type { MinutesLogger, MinutesServerOptions } from './types.ts';

export const MINUTES_PATH_PREFIX = '/yjs/';
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
/** A client this far behind on reading is not keeping up; dropping it beats buffering without bound. */
const MAX_BUFFERED_BYTES = 16 << 20;
/** Frames accepted before the join (the client's step1, awareness, maybe an early update); more means misbehaviour. */
const MAX_QUEUED_FRAMES = 256;
/** Attempts at the final write of a document leaving memory; clients resend what is missing when they reconnect. */
const FINAL_FLUSH_ATTEMPTS = 3;
/** How long `close()` waits for clients to answer the close frame before cutting them off. */
const CLOSE_GRACE_MS = 2_000;

const silentLogger: MinutesLogger = { info() {}, warn() {}, error() {} };

/** The store's document name: namespaced, so other features can keep Yjs documents in the same store. */
export function minutesDocName(sessionId: string): string {
  return `minutes:${sessionId}`;
}

export interface MinutesServerHandle {
  /** Closes every socket (1001, clients reconnect), flushes every document, stops listening for upgrades. */
  close(): Promise<void>;
  /** A copy of the current document (loaded from memory, or from the store and pre-filled), e.g. for export. */
  getDoc(sessionId: string): Promise<Y.Doc>;
  /** From now on every write to this session's minutes is dropped (after the chair's approval). */
  lock(sessionId: string): void;
  /** Flushes pending writes, then hashes the content (see hash.ts): call after `lock` to record the approval. */
  contentHash(sessionId: string): Promise<string>;
  /** The upgrade listener, in case the caller routes upgrades itself; returns false for paths it does not own. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
}

interface Loaded {
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

interface Holder {
  loaded: Loaded;
  release(): void;
}

interface SocketState {
  alive: boolean;
  joined: boolean;
}

export function createMinutesServer(httpServer: HttpServer, options: MinutesServerOptions): MinutesServerHandle {
  const server = new MinutesServer(options);
  httpServer.on('upgrade', server.onUpgrade);
  return {
    async close() {
      httpServer.off('upgrade', server.onUpgrade);
      await server.close();
    },
    getDoc: (sessionId) => server.getDoc(sessionId),
    lock: (sessionId) => server.lock(sessionId),
    contentHash: (sessionId) => server.contentHash(sessionId),
    handleUpgrade: (req, socket, head) => server.handleUpgrade(req, socket, head),
  };
}

export class MinutesServer {
  readonly #options: MinutesServerOptions;
  readonly #logger: MinutesLogger;
  readonly #maxMessageBytes: number;
  readonly #wss: WebSocketServer;
  readonly #entries = new Map<string, Entry>();
  readonly #sockets = new Map<WebSocket, SocketState>();
  readonly #locked = new Set<string>();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #closing: Promise<void> | null = null;

  constructor(options: MinutesServerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    // ws's own limit is a memory guard only (it closes with 1009, which the stock client retries): frames between
    // the two limits get the permanent 4413 from us, so a client does not resend an oversized update forever.
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.#maxMessageBytes * 4 });
    this.#heartbeat = setInterval(() => this.#tick(), options.heartbeatMs ?? 15_000);
    this.#heartbeat.unref();
  }

  readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.handleUpgrade(req, socket, head);
  };

  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(MINUTES_PATH_PREFIX)) return false;
    if (this.#closing) {
      socket.destroy();
      return true;
    }
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      void this.#onSocket(ws, url);
    });
    return true;
  }

  async getDoc(sessionId: string): Promise<Y.Doc> {
    const holder = await this.#acquire(sessionId);
    try {
      const copy = new Y.Doc();
      Y.applyUpdate(copy, Y.encodeStateAsUpdate(holder.loaded.room.doc));
      return copy;
    } finally {
      holder.release();
    }
  }

  lock(sessionId: string): void {
    this.#locked.add(sessionId);
    this.#entries.get(sessionId)?.loaded?.room.lock();
  }

  async contentHash(sessionId: string): Promise<string> {
    const holder = await this.#acquire(sessionId);
    try {
      await holder.loaded.persistence.flush();
      return contentHash(holder.loaded.room.doc);
    } finally {
      holder.release();
    }
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #onSocket(ws: WebSocket, url: URL): Promise<void> {
    const state: SocketState = { alive: true, joined: false };
    this.#sockets.set(ws, state);
    let queue: Uint8Array[] = [];
    let queuedBytes = 0;
    let joined: { room: MinutesRoom; connection: MinutesConnection; holder: Holder } | null = null;
    let closed = false;
    const closeWith = (code: number): void => ws.close(code, MINUTES_CLOSE_REASONS[code] ?? '');

    ws.on('pong', () => {
      state.alive = true;
    });
    ws.on('error', (error) => this.#logger.warn({ err: error }, 'minutes socket error'));
    ws.on('message', (data, isBinary) => {
      if (this.#closing) return; // the client keeps these edits and resends them after reconnecting
      const bytes = toBytes(data);
      if (!isBinary) return closeWith(MinutesCloseCode.BadMessage);
      if (bytes.byteLength > this.#maxMessageBytes) return closeWith(MinutesCloseCode.MessageTooBig);
      if (joined) return joined.room.receive(joined.connection, bytes);
      queuedBytes += bytes.byteLength;
      if (queue.length >= MAX_QUEUED_FRAMES || queuedBytes > this.#maxMessageBytes * 4) {
        return closeWith(MinutesCloseCode.MessageTooBig);
      }
      queue.push(bytes);
    });
    ws.on('close', () => {
      closed = true;
      this.#sockets.delete(ws);
      if (joined) {
        joined.room.leave(joined.connection);
        joined.holder.release();
      }
    });

    const sessionId = parseSessionId(url);
    if (sessionId === null) return closeWith(MinutesCloseCode.UnknownSession);
    let access: Awaited<ReturnType<MinutesServerOptions['authorize']>>;
    try {
      access = await this.#options.authorize(sessionId, url.searchParams.get('token'));
    } catch (error) {
      this.#logger.error({ err: error, sessionId }, 'minutes authorize failed');
      return closeWith(MinutesCloseCode.InternalError);
    }
    if (closed) return;
    if (typeof access === 'number') return closeWith(refusalCode(access));
    let holder: Holder;
    try {
      holder = await this.#acquire(sessionId);
    } catch {
      return closeWith(MinutesCloseCode.InternalError); // logged where the load failed
    }
    if (closed || this.#closing) return holder.release();
    const connection = this.#connection(ws, access === 'read');
    joined = { room: holder.loaded.room, connection, holder };
    state.joined = true;
    joined.room.join(connection);
    for (const bytes of queue) joined.room.receive(connection, bytes);
    queue = [];
  }

  #connection(ws: WebSocket, readOnly: boolean): MinutesConnection {
    return {
      readOnly,
      send: (bytes) => {
        if (ws.readyState !== WebSocket.OPEN) return;
        if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
          this.#logger.warn({ buffered: ws.bufferedAmount }, 'minutes client too slow, dropped');
          ws.terminate();
          return;
        }
        ws.send(bytes, (error) => {
          if (error) ws.terminate();
        });
      },
      close: (code, reason) => ws.close(code, reason),
    };
  }

  /** Pings (terminating sockets that missed the last pong) and sends the keepalive the stock client needs. */
  #tick(): void {
    for (const [ws, state] of this.#sockets) {
      if (!state.alive) {
        ws.terminate();
        continue;
      }
      if (ws.readyState !== WebSocket.OPEN) continue;
      state.alive = false;
      ws.ping();
      if (state.joined) ws.send(KEEPALIVE_MESSAGE);
    }
  }

  async #acquire(sessionId: string): Promise<Holder> {
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
        else if (early.length < MAX_QUEUED_FRAMES) early.push(bytes);
      }) ?? (() => {});
    try {
      const persistence = new DocPersistence(this.#options.ydocs, minutesDocName(sessionId), {
        flushDelayMs: this.#options.flushDelayMs ?? 200,
        compactAfter: this.#options.compactAfter ?? 100,
        logger: this.#logger,
      });
      const rows = await persistence.load(doc);
      if (rows === 0 && doc.getMap(MINUTES_META).get(META_TEMPLATED) !== true) {
        // Once per session: loads are serialised per session on this node, and stored content is never re-filled.
        // Across nodes (Redis scale-out) two nodes can both find the store empty here; that task must serialise this
        // block across nodes (e.g. a SET NX lock on the doc name around load + template).
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
    const loaded = await entry.ready.catch(() => null);
    if (!loaded) return;
    await this.#flushFinal(sessionId, loaded);
    // Someone joined while we were writing, or close() took over: keep (or leave) the room.
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
          this.#logger.error({ err: error, sessionId }, 'minutes final write failed; clients resend on reconnect');
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

  async #shutdown(): Promise<void> {
    clearInterval(this.#heartbeat);
    const reason = MINUTES_CLOSE_REASONS[MinutesCloseCode.GoingAway] ?? '';
    for (const ws of this.#sockets.keys()) ws.close(MinutesCloseCode.GoingAway, reason);
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
    await this.#waitForSockets(CLOSE_GRACE_MS);
    for (const ws of this.#sockets.keys()) ws.terminate();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
  }

  async #waitForSockets(graceMs: number): Promise<void> {
    const deadline = Date.now() + graceMs;
    while (this.#sockets.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function parseSessionId(url: URL): string | null {
  let id: string;
  try {
    id = decodeURIComponent(url.pathname.slice(MINUTES_PATH_PREFIX.length));
  } catch {
    return null;
  }
  return SESSION_ID.test(id) ? id : null;
}

/** ws throws on codes outside the application range; an authorizer's odd answer is a refusal all the same. */
function refusalCode(code: number): number {
  return Number.isInteger(code) && code >= 4000 && code <= 4999 ? code : MinutesCloseCode.Forbidden;
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

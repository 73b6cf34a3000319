/**
 * The minutes endpoint: `/yjs/<sessionId>?token=…` on the app's HTTP server, speaking the y-websocket protocol.
 *
 * Upgrade handling: the upgrade is completed at once (synchronously, before any await), then the token is checked and
 * a refusal is a close frame with a 44xx code. Completing at once also keeps engine.io from destroying the socket:
 * with its default `destroyUpgrade: true`, socket.io ends any foreign upgrade that has written nothing after 1 s.
 * Frames arriving while the token is checked and the document loads are queued and handled in order after the join.
 * The documents themselves live in MinutesDocs.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type * as Y from 'yjs';
import { MINUTES_CLOSE_REASONS, MinutesCloseCode } from '../../shared/minutes/closeCodes.ts';
import { MinutesDocs } from './MinutesDocs.ts';
import type { Holder } from './MinutesDocs.ts';
import { KEEPALIVE_MESSAGE } from './protocol.ts';
import type { MinutesConnection, MinutesRoom } from './MinutesRoom.ts';
import type { MinutesLogger, MinutesServerOptions, ShownAs } from './types.ts';

export { minutesDocName } from './MinutesDocs.ts';

export const MINUTES_PATH_PREFIX = '/yjs/';
const SESSION_ID = /^[A-Za-z0-9_-]{1,128}$/;
const DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
/** A client this far behind on reading is not keeping up; dropping it beats buffering without bound. */
const MAX_BUFFERED_BYTES = 16 << 20;
/** Frames accepted before the join (the client's step1, awareness, maybe an early update); more means misbehaviour. */
const MAX_QUEUED_FRAMES = 256;
/** How long `close()` waits for clients to answer the close frame before cutting them off. */
const CLOSE_GRACE_MS = 2_000;

const silentLogger: MinutesLogger = { info() {}, warn() {}, error() {} };

export interface MinutesServerHandle {
  /** Closes every socket (1001, clients reconnect), flushes every document, stops listening for upgrades. */
  close(): Promise<void>;
  /**
   * A copy of the current document (loaded from memory, or from the store and pre-filled), e.g. for export; once
   * approved, exactly the stored document whose hash was recorded.
   */
  getDoc(sessionId: string): Promise<Y.Doc>;
  /**
   * The chair's approval: writes what this node holds, seals the document in the store (every node refuses writes
   * from then on) and resolves with the hash of the stored content (see hash.ts), to be recorded in the log.
   */
  approve(sessionId: string): Promise<string>;
  /** A change the server makes itself (see MinutesDocs.edit); false once approved. */
  edit(sessionId: string, change: (doc: Y.Doc) => void): Promise<boolean>;
  /** The upgrade listener, in case the caller routes upgrades itself; returns false for paths it does not own. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Documents in memory and open sockets (health, metrics, tests). */
  stats(): { documents: number; sockets: number };
}

interface SocketState {
  alive: boolean;
  joined: boolean;
  /** Closed by its grant's watch (e.g. the account was disabled): whatever it still sends is dropped. */
  revoked: boolean;
}

export function createMinutesServer(
  httpServer: HttpServer,
  options: MinutesServerOptions,
): MinutesServerHandle {
  const server = new MinutesServer(options);
  httpServer.on('upgrade', server.onUpgrade);
  return {
    async close() {
      httpServer.off('upgrade', server.onUpgrade);
      await server.close();
    },
    getDoc: (sessionId) => server.getDoc(sessionId),
    approve: (sessionId) => server.approve(sessionId),
    edit: (sessionId, change) => server.edit(sessionId, change),
    handleUpgrade: (req, socket, head) => server.handleUpgrade(req, socket, head),
    stats: () => server.stats(),
  };
}

export class MinutesServer {
  readonly #options: MinutesServerOptions;
  readonly #logger: MinutesLogger;
  readonly #maxMessageBytes: number;
  readonly #wss: WebSocketServer;
  readonly #docs: MinutesDocs;
  readonly #sockets = new Map<WebSocket, SocketState>();
  readonly #heartbeat: ReturnType<typeof setInterval>;
  #closing: Promise<void> | null = null;

  constructor(options: MinutesServerOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.#docs = new MinutesDocs(options, this.#logger);
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

  getDoc(sessionId: string): Promise<Y.Doc> {
    return this.#docs.getDoc(sessionId);
  }

  approve(sessionId: string): Promise<string> {
    return this.#docs.approve(sessionId);
  }

  edit(sessionId: string, change: (doc: Y.Doc) => void): Promise<boolean> {
    return this.#docs.edit(sessionId, change);
  }

  stats(): { documents: number; sockets: number } {
    return { documents: this.#docs.size, sockets: this.#sockets.size };
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #onSocket(ws: WebSocket, url: URL): Promise<void> {
    const state: SocketState = { alive: true, joined: false, revoked: false };
    this.#sockets.set(ws, state);
    let queue: Uint8Array[] = [];
    let queuedBytes = 0;
    let joined: { room: MinutesRoom; connection: MinutesConnection; holder: Holder } | null = null;
    let closed = false;
    /** A writer's messages, each applied once the store said the account may still write (in arrival order). */
    let verified: Promise<void> = Promise.resolve();
    let verify: (() => Promise<boolean>) | undefined;
    const apply = (to: NonNullable<typeof joined>, bytes: Uint8Array): void => {
      if (!verify) return to.room.receive(to.connection, bytes);
      const check = verify;
      verified = verified.then(async () => {
        if (state.revoked || closed) return;
        const allowed = await check().catch((error: unknown) => {
          this.#logger.error({ err: error }, 'minutes writer check failed');
          return null;
        });
        if (allowed === null) return closeWith(MinutesCloseCode.InternalError); // the client sends the edit again
        if (!allowed) {
          state.revoked = true;
          return closeWith(MinutesCloseCode.Revoked);
        }
        if (!state.revoked && !closed) to.room.receive(to.connection, bytes);
      });
    };
    let unwatch = (): void => {};
    const closeWith = (code: number): void => ws.close(code, MINUTES_CLOSE_REASONS[code] ?? '');

    ws.on('pong', () => {
      state.alive = true;
    });
    ws.on('error', (error) => this.#logger.warn({ err: error }, 'minutes socket error'));
    ws.on('message', (data, isBinary) => {
      if (this.#closing) return; // the client keeps these edits and resends them after reconnecting
      if (state.revoked) return;
      const bytes = toBytes(data);
      if (!isBinary) return closeWith(MinutesCloseCode.BadMessage);
      if (bytes.byteLength > this.#maxMessageBytes) return closeWith(MinutesCloseCode.MessageTooBig);
      if (joined) return apply(joined, bytes);
      queuedBytes += bytes.byteLength;
      if (queue.length >= MAX_QUEUED_FRAMES || queuedBytes > this.#maxMessageBytes * 4) {
        return closeWith(MinutesCloseCode.MessageTooBig);
      }
      queue.push(bytes);
    });
    ws.on('close', () => {
      closed = true;
      unwatch();
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
    if (typeof access === 'number') {
      this.#logger.info({ sessionId, code: access }, 'minutes connection refused');
      return closeWith(refusalCode(access));
    }
    const grant = typeof access === 'string' ? { access } : access;
    unwatch =
      grant.watch?.((code) => {
        state.revoked = true;
        closeWith(code);
      }) ?? unwatch;
    let holder: Holder;
    try {
      holder = await this.#docs.acquire(sessionId);
    } catch {
      return closeWith(MinutesCloseCode.InternalError); // logged where the load failed
    }
    if (closed || state.revoked || this.#closing) return holder.release();
    const connection = this.#connection(ws, grant.access === 'read', grant.account, grant.shownAs);
    if (grant.access === 'write') verify = grant.verify;
    joined = { room: holder.loaded.room, connection, holder };
    state.joined = true;
    joined.room.join(connection);
    for (const bytes of queue) apply(joined, bytes);
    queue = [];
  }

  #connection(
    ws: WebSocket,
    readOnly: boolean,
    account: string | undefined,
    shownAs: ShownAs | undefined,
  ): MinutesConnection {
    return {
      readOnly,
      account,
      shownAs,
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

  async #shutdown(): Promise<void> {
    clearInterval(this.#heartbeat);
    const reason = MINUTES_CLOSE_REASONS[MinutesCloseCode.GoingAway] ?? '';
    for (const ws of this.#sockets.keys()) ws.close(MinutesCloseCode.GoingAway, reason);
    await this.#docs.close();
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

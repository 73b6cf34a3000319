/**
 * The only code that touches socket.io. One `Connection` per session view (an attendee's phone, the panel, the
 * screen…): it keeps the session's state, folded with the shared `apply()`, and delivers commands through a
 * persistent outbox (see sessionSync.ts for the guarantees).
 *
 *     const connection = new Connection({ token, sessionId, storageKey: `panel:${userId}` });
 *     connection.state          // SessionState | undefined, $state.raw: replaced whole on every change
 *     connection.status         // 'connecting' | 'online' | 'offline'
 *     connection.showOfflineBanner  // offline for ≥ 3 s (short drops never show a banner)
 *     connection.pending        // unacknowledged commands → "sending…"
 *     await connection.send({ type: 'question.approve', questionIds: [id] })  // → Ack
 *     connection.serverNow()    // Date.now() corrected by the measured clock offset, for countdowns
 *     connection.close()        // on unmount
 *
 * Reconnects forever (socket.io's backoff); on the browser's `offline` event it closes the socket at once (a dead
 * Wi-Fi otherwise looks alive until the ping timeout) and reopens it on `online`.
 */
import { io } from 'socket.io-client';
import type { Socket } from 'socket.io-client';
import type { SessionState } from '../../shared/domain/types.ts';
import type { Ack, ClientToServerEvents, Failure, ServerToClientEvents } from '../../shared/protocol.ts';
import { Outbox } from './outbox.ts';
import { SessionSync } from './sessionSync.ts';
import type { CommandDraft, CommandFailure, PendingCommand, Transport } from './sessionSync.ts';
import { readJson, removeKey, writeJson } from './storage.ts';

export type { CommandDraft, CommandFailure, PendingCommand } from './sessionSync.ts';
export type ConnectionStatus = 'connecting' | 'online' | 'offline';

export interface ConnectionOptions {
  token: string;
  sessionId: string;
  /** Identifies whose outbox and saved state this is on the device, e.g. `attendee:<participantId>`. */
  storageKey: string;
  /** Keep the last state on the device so a reload while offline still shows something (attendees). Default false. */
  cacheState?: boolean;
  /** Server origin; default: the page's. */
  url?: string;
}

/** A drop shorter than this shows no banner: hall Wi-Fi blips are normal and a flashing banner alarms people. */
export const OFFLINE_BANNER_DELAY_MS = 3000;
const COMMAND_TIMEOUT_MS = 10_000;
const SYNC_TIMEOUT_MS = 15_000;
const TIME_TIMEOUT_MS = 5000;
const CACHE_WRITE_DELAY_MS = 500;
/** After the server closed the socket, wait this long before asking again (so a server that keeps closing is no loop). */
const SERVER_CLOSE_RECONNECT_MS = 1000;

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export class Connection {
  readonly sessionId: string;
  #socket: ClientSocket;
  #core: SessionSync;
  #cacheKey: string | undefined;
  #cacheTimer: ReturnType<typeof setTimeout> | undefined;
  #bannerTimer: ReturnType<typeof setTimeout> | undefined;
  /** Rejecters of calls in flight on the current socket: a disconnect fails them at once, not at their timeout. */
  #inFlight = new Set<(reason: Error) => void>();
  #pausedByBrowser = false;
  #closed = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #stop: () => void;

  #state = $state.raw<SessionState | undefined>();
  #synced = $state(false);
  #status = $state<ConnectionStatus>('connecting');
  #offlineSince = $state<number | undefined>();
  #longDrop = $state(false);
  #pending = $state.raw<PendingCommand[]>([]);
  #serverOffset = $state(0);
  #lastError = $state.raw<CommandFailure | undefined>();
  #fatal = $state.raw<Failure | undefined>();

  constructor(options: ConnectionOptions) {
    this.sessionId = options.sessionId;
    const key = `${options.sessionId}:${options.storageKey}`;
    this.#cacheKey = options.cacheState ? `state:${key}` : undefined;
    this.#core = new SessionSync({
      sessionId: options.sessionId,
      outbox: new Outbox(key),
      initialState: this.#cacheKey ? readJson<SessionState>(this.#cacheKey) : undefined,
      onChange: () => this.#mirror(),
    });
    this.#mirror();
    this.#armBanner(Date.now());

    const socketOptions = {
      // WebSocket first: no sticky sessions needed when scaled out. Polling only where WebSocket is blocked.
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      auth: { token: options.token },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    };
    this.#socket = options.url ? io(options.url, socketOptions) : io(socketOptions);
    const socket = this.#socket;

    socket.on('connect', () => {
      this.#core.connected(this.#transport());
    });
    socket.on('disconnect', (reason) => {
      this.#lost();
      // The server closed this socket on purpose (e.g. the account was disabled or its role changed): socket.io does
      // not reconnect after that. Reconnect once: a token that is no longer valid is then refused by the handshake,
      // which sets `fatal` (the surface asks to sign in again); a valid one simply carries on.
      if (reason === 'io server disconnect' && !this.#closed)
        this.#reconnectTimer = setTimeout(() => socket.connect(), SERVER_CLOSE_RECONNECT_MS);
    });
    socket.on('connect_error', (error: Error & { data?: { code?: string } }) => {
      // A refusal by the server's auth middleware: socket.io does not retry those, and neither do we.
      if (!socket.active) {
        const code = error.data?.code === 'forbidden' ? 'forbidden' : 'unauthorized';
        this.#fatal = { ok: false, code, message: error.message };
      }
      this.#lost();
    });
    socket.on('events', (message) => this.#core.receive(message));

    const onOffline = () => {
      this.#pausedByBrowser = true;
      socket.disconnect();
    };
    const onOnline = () => {
      this.#pausedByBrowser = false;
      if (socket.connected) return;
      // Reconnect now rather than at the end of socket.io's backoff (up to 5 s): the network is back.
      socket.disconnect();
      socket.connect();
    };
    addEventListener('offline', onOffline);
    addEventListener('online', onOnline);
    this.#stop = () => {
      removeEventListener('offline', onOffline);
      removeEventListener('online', onOnline);
    };
  }

  /** The session as this device knows it (undefined until the first sync, unless a saved copy exists). */
  get state(): SessionState | undefined {
    return this.#state;
  }
  /** True when the state is current: connected and caught up. False shows a saved or pre-drop state. */
  get synced(): boolean {
    return this.#synced;
  }
  get status(): ConnectionStatus {
    return this.#status;
  }
  /** When the connection was lost (device clock), undefined while online. */
  get offlineSince(): number | undefined {
    return this.#offlineSince;
  }
  /** Not online for OFFLINE_BANNER_DELAY_MS or more: show the calm banner with what waits to be sent. */
  get showOfflineBanner(): boolean {
    return this.#longDrop;
  }
  get pending(): PendingCommand[] {
    return this.#pending;
  }
  get serverOffset(): number {
    return this.#serverOffset;
  }
  /** The last command that failed for good (also after a reload, when nobody awaits its promise). */
  get lastError(): CommandFailure | undefined {
    return this.#lastError;
  }
  /** The server refused this token or session: sign in / join again. */
  get fatal(): Failure | undefined {
    return this.#fatal;
  }

  /** The server's clock now, in ms. */
  serverNow(): number {
    return Date.now() + this.#serverOffset;
  }

  send(command: CommandDraft): Promise<Ack> {
    return this.#core.send(command);
  }

  clearError(): void {
    this.#core.clearError();
  }

  /** Disconnects and stops timers. The outbox stays on the device and is sent on the next visit. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#reconnectTimer);
    this.#stop();
    this.#core.close();
    this.#socket.disconnect();
    clearTimeout(this.#bannerTimer);
    if (this.#cacheTimer) {
      clearTimeout(this.#cacheTimer);
      this.#saveState();
    }
  }

  /** Forgets what this view stored on the device (state cache; the outbox is kept unless `outbox` is true). */
  static forget(sessionId: string, storageKey: string, options: { outbox?: boolean } = {}): void {
    removeKey(`state:${sessionId}:${storageKey}`);
    if (options.outbox) removeKey(`outbox:${sessionId}:${storageKey}`);
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  #transport(): Transport {
    const socket = this.#socket;
    const call = <T>(ms: number, emit: (s: ClientSocket) => Promise<T>): Promise<T> => {
      if (!socket.connected) return Promise.reject(new Error('not connected'));
      return new Promise<T>((resolve, reject) => {
        const fail = (reason: Error) => {
          this.#inFlight.delete(fail);
          reject(reason);
        };
        this.#inFlight.add(fail);
        emit(socket.timeout(ms) as unknown as ClientSocket).then(
          (value) => {
            this.#inFlight.delete(fail);
            resolve(value);
          },
          (error: unknown) => {
            // No answer in time on a socket that looks connected: hall Wi-Fi that dropped without telling the
            // browser, which socket.io would notice only at its ping timeout (~45 s). Reconnect now.
            if (socket.connected) socket.io.engine?.close();
            fail(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    };
    return {
      sync: (request) => call(SYNC_TIMEOUT_MS, (s) => s.emitWithAck('sync', request)),
      command: (command) => call(COMMAND_TIMEOUT_MS, (s) => s.emitWithAck('command', command)),
      time: () => call(TIME_TIMEOUT_MS, (s) => s.emitWithAck('time')),
    };
  }

  #lost(): void {
    // Packets socket.io buffered while disconnected would be sent on reconnect next to our own resend.
    this.#socket.sendBuffer.length = 0;
    for (const fail of [...this.#inFlight]) fail(new Error('disconnected'));
    this.#core.disconnected();
    // Before the first connection it is still "connecting", unless the browser says there is no network.
    if (this.#pausedByBrowser) this.#status = 'offline';
    if (this.#offlineSince === undefined) this.#armBanner(Date.now());
  }

  #armBanner(since: number): void {
    this.#offlineSince = since;
    clearTimeout(this.#bannerTimer);
    this.#bannerTimer = setTimeout(() => {
      if (this.#status !== 'online') this.#longDrop = true;
    }, OFFLINE_BANNER_DELAY_MS);
  }

  /** Copies the core's fields into reactive state. */
  #mirror(): void {
    const core = this.#core;
    const stateChanged = core.state !== this.#state;
    this.#state = core.state;
    this.#synced = core.synced;
    this.#pending = core.pending;
    this.#serverOffset = core.serverOffset;
    this.#lastError = core.lastError;
    if (core.fatal) this.#fatal = core.fatal;
    const online = core.synced && this.#socket?.connected === true;
    if (online) {
      this.#status = 'online';
      this.#offlineSince = undefined;
      this.#longDrop = false;
      this.#fatal = undefined;
      clearTimeout(this.#bannerTimer);
    } else if (this.#status === 'online' || this.#fatal) {
      this.#status = 'offline';
    }
    if (stateChanged && this.#cacheKey && !this.#cacheTimer) {
      this.#cacheTimer = setTimeout(() => this.#saveState(), CACHE_WRITE_DELAY_MS);
    }
  }

  #saveState(): void {
    this.#cacheTimer = undefined;
    if (this.#cacheKey && this.#state) writeJson(this.#cacheKey, this.#state);
  }
}

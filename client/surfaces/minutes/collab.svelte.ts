/**
 * The shared minutes document of one session: a Y.Doc kept in step with the server by the stock y-websocket
 * provider (`/yjs/<sessionId>?token=…`), who else has it open (awareness), and the connection state in words the
 * page can show. Only the minutes surface imports this (and so Yjs).
 *
 *     const collab = new MinutesCollab({ sessionId, token, user: { name, color, role, writer } });
 *     collab.status   // 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'denied'
 *     collab.synced   // the first full sync happened: create the editor only now (see below)
 *     collab.denial   // why the server refused ('unauthorized' | 'forbidden' | 'unknown' | 'refused' | 'error')
 *     collab.peers    // everyone with the minutes open, this tab first
 *     collab.forgetLocal()  // drop the copy kept on this device (the minutes were approved)
 *     collab.destroy()
 *
 * With `keepLocal`, the document is also kept in this browser (IndexedDB, y-indexeddb): what a writer types while
 * the Wi-Fi is down survives closing the tab or the browser, and is sent when the page is next open and connected.
 *
 * Why wait for the first sync: an editor bound to an empty Y fragment writes its own empty paragraph into it, and
 * that paragraph would then merge into the server's template as a stray first block.
 */
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { isPermanentClose, MinutesCloseCode } from '../../../shared/minutes/closeCodes.ts';
import type { Role } from '../../../shared/domain/roles.ts';

export type CollabStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'denied';
export type Denial = 'unauthorized' | 'forbidden' | 'unknown' | 'refused' | 'error';

/** What this tab tells the others about itself (awareness field `user`, which CollaborationCaret also reads). */
export interface PresenceUser {
  name: string;
  /** #rrggbb: CollaborationCaret ignores any other form. */
  color: string;
  role: Role;
  /** May write (chair, secretary, before approval). */
  writer: boolean;
}

export interface Peer extends PresenceUser {
  clientId: number;
  self: boolean;
}

export interface CollabOptions {
  sessionId: string;
  token: string;
  user: PresenceUser;
  /** ws(s)://host/yjs; default: the page's origin. */
  url?: string;
  /** IndexedDB name for the copy kept on this device (writers); none when absent. */
  keepLocal?: string;
}

/** A drop shorter than this shows "reconnecting", not the offline warning (hall Wi-Fi blips are normal). */
export const OFFLINE_WARNING_DELAY_MS = 3000;

export function denialOf(code: number): Denial | undefined {
  switch (code) {
    case MinutesCloseCode.Unauthorized:
    case MinutesCloseCode.Revoked:
      return 'unauthorized';
    case MinutesCloseCode.Forbidden:
      return 'forbidden';
    case MinutesCloseCode.UnknownSession:
      return 'unknown';
    case MinutesCloseCode.UpdateRefused:
      return 'refused';
    default:
      return isPermanentClose(code) ? 'error' : undefined;
  }
}

function defaultUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/yjs`;
}

function isPresenceUser(x: unknown): x is PresenceUser {
  if (typeof x !== 'object' || x === null) return false;
  const u = x as Record<string, unknown>;
  return typeof u.name === 'string' && typeof u.color === 'string' && typeof u.role === 'string';
}

export class MinutesCollab {
  readonly doc = new Y.Doc();
  readonly provider: WebsocketProvider;
  #local: IndexeddbPersistence | undefined;

  #connected = $state(false);
  #everConnected = $state(false);
  #synced = $state(false);
  #longDrop = $state(false);
  #denial = $state<Denial | undefined>();
  #peers = $state.raw<Peer[]>([]);
  #dropTimer: ReturnType<typeof setTimeout> | undefined;
  #pausedByBrowser = false;
  #stop: () => void;

  constructor(options: CollabOptions) {
    // disableBc: two tabs of one browser must not sync through BroadcastChannel behind the server's back (a
    // viewer's tab would otherwise pass its edits to a writer's tab, which would send them as its own).
    this.provider = new WebsocketProvider(options.url ?? defaultUrl(), options.sessionId, this.doc, {
      params: { token: options.token },
      disableBc: true,
    });
    const provider = this.provider;
    provider.awareness.setLocalStateField('user', options.user);
    // Updates loaded from the device reach the server like typed ones (the provider sends every update not its own).
    if (options.keepLocal && typeof indexedDB !== 'undefined')
      this.#local = new IndexeddbPersistence(options.keepLocal, this.doc);

    const onStatus = ({ status }: { status: 'connected' | 'disconnected' | 'connecting' }) => {
      const connected = status === 'connected';
      this.#connected = connected;
      if (connected) {
        this.#everConnected = true;
        this.#longDrop = false;
        clearTimeout(this.#dropTimer);
        this.#dropTimer = undefined;
      } else if (this.#everConnected && this.#dropTimer === undefined && !this.#longDrop) {
        this.#dropTimer = setTimeout(() => {
          this.#dropTimer = undefined;
          if (!this.#connected) this.#longDrop = true;
        }, OFFLINE_WARNING_DELAY_MS);
      }
    };
    const onSync = (synced: boolean) => {
      if (synced) this.#synced = true;
    };
    const onClosed = ({ code }: { code: number }) => {
      this.#denial = denialOf(code) ?? 'error';
    };
    const onAwareness = () => this.#readPeers();
    provider.on('status', onStatus);
    provider.on('sync', onSync);
    provider.on('closed', onClosed);
    provider.awareness.on('change', onAwareness);
    this.#readPeers();

    // A dead Wi-Fi looks alive to the provider until its 30 s watchdog: follow the browser's own signal.
    const onOffline = () => {
      if (!provider.shouldConnect) return;
      this.#pausedByBrowser = true;
      provider.disconnect();
    };
    const onOnline = () => {
      if (!this.#pausedByBrowser) return;
      this.#pausedByBrowser = false;
      provider.connect();
    };
    addEventListener('offline', onOffline);
    addEventListener('online', onOnline);
    this.#stop = () => {
      removeEventListener('offline', onOffline);
      removeEventListener('online', onOnline);
      provider.off('status', onStatus);
      provider.off('sync', onSync);
      provider.off('closed', onClosed);
      provider.awareness.off('change', onAwareness);
    };
  }

  get status(): CollabStatus {
    if (this.#denial) return 'denied';
    if (this.#connected && this.#synced) return 'connected';
    if (!this.#everConnected) return 'connecting';
    return this.#longDrop ? 'offline' : 'reconnecting';
  }
  /** The document has been loaded from the server at least once. */
  get synced(): boolean {
    return this.#synced;
  }
  get denial(): Denial | undefined {
    return this.#denial;
  }
  /** This tab first, then the others by name. */
  get peers(): Peer[] {
    return this.#peers;
  }

  /** Updates what the others see about this tab (e.g. `writer: false` after approval). */
  setUser(user: PresenceUser): void {
    this.provider.awareness.setLocalStateField('user', user);
  }

  /** Drops the copy kept on this device: after approval, unsent edits can never be accepted. */
  forgetLocal(): void {
    void this.#local?.clearData();
    this.#local = undefined;
  }

  destroy(): void {
    void this.#local?.destroy();
    this.#stop();
    clearTimeout(this.#dropTimer);
    this.provider.destroy();
    this.doc.destroy();
  }

  #readPeers(): void {
    const self = this.doc.clientID;
    const peers: Peer[] = [];
    for (const [clientId, state] of this.provider.awareness.getStates()) {
      const user: unknown = (state as { user?: unknown }).user;
      if (!isPresenceUser(user)) continue;
      peers.push({
        clientId,
        self: clientId === self,
        name: user.name,
        color: user.color,
        role: user.role,
        writer: user.writer === true,
      });
    }
    peers.sort((a, b) => Number(b.self) - Number(a.self) || a.name.localeCompare(b.name, 'vi'));
    this.#peers = peers;
  }
}

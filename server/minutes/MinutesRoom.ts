/**
 * One session's minutes in memory: the Y.Doc, the awareness (presence) and the connections. Knows nothing of HTTP or
 * sockets: a connection is three members, so tests and a future transport can drive a room directly.
 *
 * Rules:
 *  - a client's sync-step1 is answered with step2 (what it lacks); on join the server sends its own step1, and the
 *    client's step2 answer carries the client's offline edits;
 *  - step2 and update messages are applied only from connections that may write (not read-only, room not locked);
 *    otherwise they are dropped: not applied, so not persisted and not relayed;
 *  - every applied update goes to every other connection, to persistence and to the cross-node relay — except updates
 *    that came from the relay, which were persisted by the node that accepted them;
 *  - awareness is relayed to every connection including the sender (its 15-s renewals echoing back are part of what
 *    keeps the stock client's 30-s watchdog quiet); a leaving connection's awareness states are removed for all.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MINUTES_CLOSE_REASONS, MinutesCloseCode } from './closeCodes.ts';
import {
  decodeMessage,
  encodeAwareness,
  encodeSyncStep1,
  encodeSyncStep2,
  encodeUpdate,
} from './protocol.ts';

export interface MinutesConnection {
  send(bytes: Uint8Array): void;
  close(code: number, reason: string): void;
  readonly readOnly: boolean;
}

export interface RoomHooks {
  /** An update accepted from a local client (or the template): to be stored. */
  persist(update: Uint8Array): void;
  /** A frame to relay to other nodes (update or awareness accepted locally). */
  publish?(bytes: Uint8Array): void;
}

/** Origin of changes that arrived from another node through the relay. */
export const RELAY_ORIGIN = Symbol('minutes-relay');
/** Origin of awareness removals when a connection leaves. */
const LEAVE_ORIGIN = Symbol('minutes-leave');

export class MinutesRoom {
  readonly sessionId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly #hooks: RoomHooks;
  /** Each connection with the awareness client ids it announced, so they can be removed when it leaves. */
  readonly #connections = new Map<MinutesConnection, Set<number>>();
  #locked: boolean;
  #destroyed = false;
  /** Updates dropped from read-only connections or after the lock (observability, tests). */
  droppedUpdates = 0;

  constructor(sessionId: string, doc: Y.Doc, hooks: RoomHooks, locked: boolean) {
    this.sessionId = sessionId;
    this.doc = doc;
    this.#hooks = hooks;
    this.#locked = locked;
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server is not a participant: without this it would announce an empty presence of its own.
    this.awareness.setLocalState(null);
    doc.on('update', this.#onDocUpdate);
    this.awareness.on('update', this.#onAwarenessUpdate);
  }

  get size(): number {
    return this.#connections.size;
  }

  get locked(): boolean {
    return this.#locked;
  }

  /** After the chair's approval: from now on every write is dropped, whoever sends it. */
  lock(): void {
    this.#locked = true;
  }

  canWrite(connection: MinutesConnection): boolean {
    return !this.#locked && !connection.readOnly;
  }

  join(connection: MinutesConnection): void {
    if (this.#destroyed) return;
    this.#connections.set(connection, new Set());
    connection.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
    if (this.awareness.getStates().size > 0) {
      const clients = Array.from(this.awareness.getStates().keys());
      connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
    }
  }

  leave(connection: MinutesConnection): void {
    const clients = this.#connections.get(connection);
    if (!clients) return;
    this.#connections.delete(connection);
    if (clients.size > 0 && !this.#destroyed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(clients), LEAVE_ORIGIN);
    }
  }

  /** Handles one frame from a joined connection; a malformed frame closes it with 4400. */
  receive(connection: MinutesConnection, bytes: Uint8Array): void {
    if (this.#destroyed || !this.#connections.has(connection)) return;
    const message = decodeMessage(bytes);
    if (message === null) {
      connection.close(MinutesCloseCode.BadMessage, MINUTES_CLOSE_REASONS[MinutesCloseCode.BadMessage] ?? '');
      return;
    }
    try {
      switch (message.type) {
        case 'sync-step1':
          connection.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
          return;
        case 'sync-step2':
        case 'sync-update':
          if (this.canWrite(connection)) Y.applyUpdate(this.doc, message.update, connection);
          else this.droppedUpdates++;
          return;
        case 'awareness':
          awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, connection);
          return;
        case 'query-awareness': {
          const clients = Array.from(this.awareness.getStates().keys());
          connection.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients)));
          return;
        }
        case 'auth':
          return;
        default:
          return exhaustive(message);
      }
    } catch {
      // A well-framed message with a corrupt payload (bad update bytes, awareness state that is not JSON).
      connection.close(MinutesCloseCode.BadMessage, MINUTES_CLOSE_REASONS[MinutesCloseCode.BadMessage] ?? '');
    }
  }

  /** A frame published by another node: applied and passed to local clients, not persisted, not published again. */
  applyRemote(bytes: Uint8Array): void {
    if (this.#destroyed) return;
    const message = decodeMessage(bytes);
    try {
      if (message?.type === 'sync-update' || message?.type === 'sync-step2') {
        Y.applyUpdate(this.doc, message.update, RELAY_ORIGIN);
      } else if (message?.type === 'awareness') {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, message.update, RELAY_ORIGIN);
      }
    } catch {
      // A corrupt relay frame must not take the room down; the node that sent it validated its own copy.
    }
  }

  /** Closes every connection with `code`; they leave through the transport's close handling. */
  closeAll(code: number, reason: string): void {
    for (const connection of Array.from(this.#connections.keys())) connection.close(code, reason);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    this.doc.off('update', this.#onDocUpdate);
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.awareness.destroy();
    this.doc.destroy();
    this.#connections.clear();
  }

  #broadcast(bytes: Uint8Array, except: unknown): void {
    for (const connection of this.#connections.keys()) if (connection !== except) connection.send(bytes);
  }

  readonly #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    const frame = encodeUpdate(update);
    this.#broadcast(frame, origin);
    if (origin === RELAY_ORIGIN) return;
    this.#hooks.persist(update);
    this.#hooks.publish?.(frame);
  };

  readonly #onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const owned = this.#ownedClients(origin);
    if (owned) {
      for (const id of changes.added) owned.add(id);
      for (const id of changes.removed) owned.delete(id);
    }
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    this.#broadcast(frame, null);
    // Timeouts happen on every node by itself; relayed changes were published by their node.
    if (owned || origin === LEAVE_ORIGIN) this.#hooks.publish?.(frame);
  };

  #ownedClients(origin: unknown): Set<number> | undefined {
    for (const [connection, clients] of this.#connections) if (connection === origin) return clients;
    return undefined;
  }
}

function exhaustive(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}

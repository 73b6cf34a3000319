/**
 * One session's minutes in memory: the Y.Doc, the awareness (presence) and the connections. Knows nothing of HTTP or
 * sockets: a connection is three members, so tests and a future transport can drive a room directly.
 *
 * Rules:
 *  - a client's sync-step1 is answered with step2 (what it lacks); on join the server sends its own step1, and the
 *    client's step2 answer carries the client's offline edits;
 *  - step2 and update messages are applied only from connections that may write (not read-only, room not locked);
 *    otherwise they are dropped: not applied, so not persisted and not relayed;
 *  - an update that would nest the document deeper than MINUTES_LIMITS.nesting (nesting.ts) is refused before anything of it is
 *    applied: its connection is closed with 4422; one that refers to items the room lacks closes it with 4503 (the
 *    client reconnects, and its sync step 2 carries everything);
 *  - every applied update goes to every other connection, to persistence and to the cross-node relay — except updates
 *    that came from the relay, which the node that accepted them stores (or, if it dies first, a node that holds
 *    them: OwedUpdates) — and only once Yjs applied it without throwing. A client's update applied while relayed
 *    items wait inside Yjs (see `behind`) may bring them in, and carry them and items the client had from their node
 *    in what Yjs emits: their node stores those too, so the owner is told (`repeats`) and folds the rows;
 *  - a relayed update that builds on items this room never received (a frame lost between nodes, e.g. in a Redis
 *    failover) waits inside Yjs, with everything after it from the same writer; the owner is told (`behind`) and
 *    brings the missing part from the store, where the node that accepted it wrote it;
 *  - if applying an update throws, the document in memory can no longer be trusted (Yjs may have applied part of it,
 *    and its later transactions may fail too): the room stops, its sender is closed with 4422 and the owner is told
 *    (`failed`), which closes every other connection with 4503 and reloads the document from the store — the room
 *    never goes on accepting edits it can no longer store;
 *  - a presence (awareness) entry belongs to the connection that introduced its client id: a connection may set or
 *    clear only its own entry (one), within the size limits of MINUTES_LIMITS; other entries in its message are
 *    dropped, so they are neither applied nor relayed. A new connection of the same account takes the entry over (a
 *    tab reconnecting before the server saw its old socket close). Entries relayed from other nodes never overwrite a
 *    local connection's;
 *  - awareness is relayed to every connection including the sender (its 15-s renewals echoing back are part of what
 *    keeps the stock client's 30-s watchdog quiet); a leaving connection's awareness states are removed for all.
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { MINUTES_CLOSE_REASONS, MinutesCloseCode } from '../../shared/minutes/closeCodes.ts';
import { checkNesting } from './nesting.ts';
import { MINUTES_LIMITS } from '../../shared/minutes/limits.ts';
import type { ShownAs } from './types.ts';
import { asAccount, decodePresence, encodePresence, presenceFits, type PresenceEntry } from './presence.ts';
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
  /** The account it speaks for, if known (see MinutesGrant.account). */
  readonly account?: string | undefined;
  /** Its name and role in the presence list, if known (see MinutesGrant.shownAs). */
  readonly shownAs?: ShownAs | undefined;
}

export interface RoomHooks {
  /**
   * An update accepted from a local client or the server itself: to store and to relay to the other nodes.
   * `repeats`: it may hold items another node stores too (see the top).
   */
  accepted(update: Uint8Array, repeats: boolean): void;
  /** An awareness frame accepted locally, to relay to other nodes. */
  publish?(bytes: Uint8Array): void;
  /** Applying an update threw: the room has stopped; its owner closes the connections and reloads the document. */
  failed?(error: unknown): void;
  /** A relayed update refers to items this room lacks (see `behind`): its owner brings them from the store. */
  behind?(): void;
}

/** Origin of changes that arrived from another node through the relay. */
export const RELAY_ORIGIN = Symbol('minutes-relay');
/** Origin of the server's own edits (MinutesRoom.edit). */
const SERVER_ORIGIN = Symbol('minutes-server');
/** Origin of awareness removals when a connection leaves. */
const LEAVE_ORIGIN = Symbol('minutes-leave');

const reasonOf = (code: number): string => MINUTES_CLOSE_REASONS[code] ?? '';

export class MinutesRoom {
  readonly sessionId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly #hooks: RoomHooks;
  /** Each connection with the awareness client ids it owns, so they can be removed when it leaves. */
  readonly #connections = new Map<MinutesConnection, Set<number>>();
  /** The owner of each awareness client id introduced by a local connection. */
  readonly #owners = new Map<number, MinutesConnection>();
  #locked: boolean;
  /** Destroyed, failed or retired: frames are ignored from now on. */
  #stopped = false;
  #destroyed = false;
  /** While Yjs applies an update: what it emitted, released only once it returned without throwing. */
  #applying: Uint8Array[] | null = null;
  /** Updates dropped from read-only connections or after the lock (observability, tests). */
  droppedUpdates = 0;
  /** Presence entries dropped: another's client id, too large, or one more than a connection may own. */
  droppedPresence = 0;

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

  /** Retired, failed or destroyed: it takes nothing more. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Updates are waiting inside Yjs for items (or deletions of items) this room has not received. */
  get behind(): boolean {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null;
  }

  /** After the chair's approval: from now on every write is dropped, whoever sends it, relayed ones included. */
  lock(): void {
    this.#locked = true;
  }

  /**
   * A change the server makes itself (the recorded times, the register number): stored, relayed and sent to every
   * client like a writer's edit. Refused (false) once locked: an approved record does not change.
   */
  edit(change: (doc: Y.Doc) => void): boolean {
    if (this.#locked || this.#stopped) return false;
    this.doc.transact(() => change(this.doc), SERVER_ORIGIN);
    return true;
  }

  canWrite(connection: MinutesConnection): boolean {
    return !this.#locked && !connection.readOnly;
  }

  join(connection: MinutesConnection): void {
    if (this.#stopped) return;
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
    for (const id of clients) if (this.#owners.get(id) === connection) this.#owners.delete(id);
    if (clients.size > 0 && !this.#destroyed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, Array.from(clients), LEAVE_ORIGIN);
    }
  }

  /** Handles one frame from a joined connection; a malformed frame closes it with 4400. */
  receive(connection: MinutesConnection, bytes: Uint8Array): void {
    if (this.#stopped || !this.#connections.has(connection)) return;
    const message = decodeMessage(bytes);
    if (message === null) return close(connection, MinutesCloseCode.BadMessage);
    try {
      switch (message.type) {
        case 'sync-step1':
          connection.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, message.stateVector)));
          return;
        case 'sync-step2':
        case 'sync-update':
          if (this.canWrite(connection)) this.#applyFromClient(connection, message.update);
          else this.droppedUpdates++;
          return;
        case 'awareness': {
          const update = this.#ownPresence(connection, message.update);
          if (update) awarenessProtocol.applyAwarenessUpdate(this.awareness, update, connection);
          return;
        }
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
      // A well-framed message with a corrupt payload (update bytes that do not decode, awareness that is not JSON):
      // found before anything of it was applied.
      close(connection, MinutesCloseCode.BadMessage);
    }
  }

  /**
   * A frame published by another node (or what the store holds that this room lacks): applied and passed to local
   * clients, not persisted, not published again.
   */
  applyRemote(bytes: Uint8Array): void {
    if (this.#stopped) return;
    const message = decodeMessage(bytes);
    if (message?.type === 'sync-update' || message?.type === 'sync-step2') {
      // The approved text is the stored one: what another node accepted after the seal was never stored.
      if (this.#locked) {
        this.droppedUpdates++;
        return;
      }
      const failure = this.#apply(message.update, RELAY_ORIGIN);
      if (failure) this.#fail(failure.error);
      else if (this.behind) this.#hooks.behind?.();
    } else if (message?.type === 'awareness') {
      try {
        const entries = decodePresence(message.update).filter((entry) => !this.#owners.has(entry.clientId));
        if (entries.length > 0)
          awarenessProtocol.applyAwarenessUpdate(this.awareness, encodePresence(entries), RELAY_ORIGIN);
      } catch {
        // A corrupt relay frame must not take the room down; the node that sent it validated its own copy.
      }
    }
  }

  /**
   * Stops the room and closes every connection with `code`; they leave through the transport's close handling.
   * Frames that still arrive are ignored: the owner reloads the document, or is shutting down.
   */
  retire(code: number): void {
    this.#stopped = true;
    for (const connection of Array.from(this.#connections.keys())) close(connection, code);
  }

  destroy(): void {
    if (this.#destroyed) return;
    this.#stopped = true;
    this.#destroyed = true;
    this.doc.off('update', this.#onDocUpdate);
    this.awareness.off('update', this.#onAwarenessUpdate);
    this.awareness.destroy();
    try {
      this.doc.destroy();
    } catch {
      // A document whose update failed may fail again in the clean-up of its last transaction; it is dropped anyway.
    }
    this.#connections.clear();
    this.#owners.clear();
  }

  #applyFromClient(connection: MinutesConnection, update: Uint8Array): void {
    switch (checkNesting(this.doc, update)) {
      case 'too-deep':
        this.droppedUpdates++;
        return close(connection, MinutesCloseCode.UpdateRefused);
      case 'unresolved':
        this.droppedUpdates++;
        return close(connection, MinutesCloseCode.Reloading);
      case 'ok': {
        const failure = this.#apply(update, connection, this.behind);
        if (!failure) return;
        // The sender's update broke the room: it must not resend it after a reconnect (permanent code).
        close(connection, MinutesCloseCode.UpdateRefused);
        this.#fail(failure.error);
      }
    }
  }

  /** Applies an update and passes on what Yjs emitted; returns the error instead if Yjs threw. */
  #apply(update: Uint8Array, origin: unknown, repeats = false): { error: unknown } | null {
    const emitted: Uint8Array[] = [];
    this.#applying = emitted;
    try {
      Y.applyUpdate(this.doc, update, origin);
    } catch (error) {
      return { error };
    } finally {
      this.#applying = null;
    }
    for (const applied of emitted) this.#accepted(applied, origin, repeats);
    return null;
  }

  #fail(error: unknown): void {
    this.#stopped = true;
    this.#hooks.failed?.(error);
  }

  /**
   * The presence entries `connection` may send, re-encoded; null when none is left. Its own entry (the id it
   * introduced) passes; so does a new id while it owns none yet, unless another connection here or on another
   * node has that id. Entries over the size limits are dropped in any case.
   */
  #ownPresence(connection: MinutesConnection, update: Uint8Array): Uint8Array | null {
    const owned = this.#connections.get(connection);
    if (!owned) return null;
    const kept: PresenceEntry[] = [];
    for (const entry of decodePresence(update)) {
      let owner = this.#owners.get(entry.clientId);
      const moved =
        owner !== undefined &&
        owner !== connection &&
        connection.account !== undefined &&
        owner.account === connection.account;
      if (moved && owner) {
        // The same account on a new socket (a reconnect the server has not seen the end of yet): it moves over.
        this.#connections.get(owner)?.delete(entry.clientId);
        this.#owners.delete(entry.clientId);
        owner = undefined;
      }
      const free =
        owner === undefined &&
        entry.state !== null &&
        owned.size < MINUTES_LIMITS.presencePerConnection &&
        (!this.awareness.getStates().has(entry.clientId) || moved);
      if ((owner !== connection && !free) || !presenceFits(entry)) {
        this.droppedPresence++;
        continue;
      }
      if (owner === undefined) {
        owned.add(entry.clientId);
        this.#owners.set(entry.clientId, connection);
      }
      kept.push(connection.shownAs ? asAccount(entry, connection.shownAs, !connection.readOnly) : entry);
    }
    return kept.length > 0 ? encodePresence(kept) : null;
  }

  #broadcast(bytes: Uint8Array, except: unknown): void {
    for (const connection of this.#connections.keys()) if (connection !== except) connection.send(bytes);
  }

  readonly #onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    if (this.#applying) this.#applying.push(update);
    else this.#accepted(update, origin, false);
  };

  #accepted(update: Uint8Array, origin: unknown, repeats: boolean): void {
    this.#broadcast(encodeUpdate(update), origin);
    if (origin !== RELAY_ORIGIN) this.#hooks.accepted(update, repeats);
  }

  readonly #onAwarenessUpdate = (
    changes: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    // Gone (left, timed out, or cleared by its owner): the id is free again.
    for (const id of changes.removed) {
      const owner = this.#owners.get(id);
      if (owner === undefined) continue;
      this.#owners.delete(id);
      this.#connections.get(owner)?.delete(id);
    }
    const changed = [...changes.added, ...changes.updated, ...changes.removed];
    const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
    this.#broadcast(frame, null);
    // Timeouts happen on every node by itself; relayed changes were published by their node.
    const local =
      typeof origin === 'object' && origin !== null && this.#connections.has(origin as MinutesConnection);
    if (local || origin === LEAVE_ORIGIN) this.#hooks.publish?.(frame);
  };
}

function close(connection: MinutesConnection, code: number): void {
  connection.close(code, reasonOf(code));
}

function exhaustive(value: never): never {
  throw new Error(`unhandled message ${JSON.stringify(value)}`);
}

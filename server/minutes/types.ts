import type { YDocStore } from '../store/EventStore.ts';

/** What the template and the export need to know about a session. */
export interface MinutesContext {
  /** The ward, with or without the word "Phường" ("Kiến Hưng" or "Phường Kiến Hưng"). */
  wardName: string;
  /** Tên cơ quan chủ quản; a UBND phường normally has none. */
  parentBody?: string;
  /** Place name of the date line ("Kiến Hưng, ngày … tháng … năm …"). */
  place: string;
  sessionTitle: string;
  /** YYYY-MM-DD */
  date: string;
  /** HH:mm, planned */
  startTime?: string;
  /** The actual opening (ms): the first time the session went live. */
  openedAt?: number;
  /** The closing (ms), once the session is closed. */
  closedAt?: number;
  venue: string;
  attendees: string;
  chairName: string;
  secretaryName: string;
  agenda: string[];
  /** The register number, e.g. "12" → "Số: 12/BB-UBND"; unset leaves a blank to fill in. */
  docNumber?: string;
}

export type MinutesAccess = 'write' | 'read';

/** An authorised connection: its access, and optionally a way to end it when the authority behind it ends. */
export interface ShownAs {
  name: string;
  role: string;
}

export interface MinutesGrant {
  access: MinutesAccess;
  /**
   * Who the connection speaks for (the account id). A connection may take over the presence entry another
   * connection of the same account introduced: the same tab reconnecting before the server saw its old socket close.
   */
  account?: string;
  /** How the presence list shows the connection, whatever its client says (the account's name and role). */
  shownAs?: ShownAs;
  /**
   * Called once the connection is registered, with a function that closes it with a code (nothing it sends after
   * that is applied). Returns the function the server calls when the connection ends by itself.
   */
  watch?(close: (code: number) => void): () => void;
  /**
   * Asks the store whether the account may still write, for each message of a writer before it is applied: the
   * announcement of a change (`watch`) travels between nodes, and an edit sent in that moment must not get in.
   */
  verify?(): Promise<boolean>;
}

export interface MinutesLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/**
 * Seam for scale-out: relays accepted updates between nodes (e.g. Redis pub/sub). `publish` receives every update and
 * awareness message accepted on this node (updates tagged with the room that accepted them and their number, then
 * that room's word once they are stored: protocol.ts, RELAY_UPDATE and RELAY_STORED); frames delivered by
 * `subscribe` are applied and passed to local clients, not published again, and stored only if their node does not
 * say in time that it stored them (OwedUpdates).
 */
export interface MinutesRelay {
  publish(sessionId: string, bytes: Uint8Array): void;
  /** Returns the unsubscribe function. Called before the stored state is loaded, so nothing published meanwhile is lost. */
  subscribe(sessionId: string, onBytes: (bytes: Uint8Array) => void): () => void;
  /**
   * Asked when a document is opened with nothing stored, before the template is inserted: resolves true on one node
   * only, so two nodes opening a new document at the same moment insert one template, not two; the others receive it
   * through `subscribe`. Without it, every node that finds the store empty inserts the template.
   */
  claimTemplate?(sessionId: string): Promise<boolean>;
}

export interface MinutesServerOptions {
  ydocs: YDocStore;
  /** Resolves the token for the session: 'write' | 'read' (or a grant), or a close code (4401 bad token, 4403 not allowed, 4404 no such session). */
  authorize(sessionId: string, token: string | null): Promise<MinutesAccess | MinutesGrant | number>;
  /** Context for the template, loaded when a doc is opened for the first time with no stored content. */
  context(sessionId: string): Promise<MinutesContext>;
  /** true once the chair has approved: every connection is read-only. */
  isLocked(sessionId: string): Promise<boolean> | boolean;
  /** Largest accepted message; a bigger one closes the socket with 4413. Default 1 MiB. */
  maxMessageBytes?: number;
  logger?: MinutesLogger;
  relay?: MinutesRelay;
  /**
   * Liveness tick. Each tick pings every socket (terminating those that did not answer the previous ping) and sends
   * each client a 3-byte empty awareness message: ping frames never reach the stock client's `onmessage`, and it drops
   * a connection that heard no message for 30 s. Default 15 000 ms.
   */
  heartbeatMs?: number;
  /** Longest time an accepted update waits before it is written (edits at risk in a crash). Default 200 ms. */
  flushDelayMs?: number;
  /** Stored rows of one document after which they are merged into one snapshot. Default 100. */
  compactAfter?: number;
  /**
   * How long an update relayed from another node waits for that node's word that it is stored, before this node
   * stores what the store lacks of it (the other node may have died in between). Default 10 000 ms: longer than the
   * age (5 × `flushDelayMs`) after which the accepting node itself writes only what the store lacks, plus the 5 s a
   * write may wait in node-redis' queue while Redis is away — so a takeover does not meet that node's plain write of
   * the same update still on its way, which would store it twice (harmless to the text, but twice the bytes).
   */
  takeOverAfterMs?: number;
}

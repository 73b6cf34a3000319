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
  /** HH:mm */
  startTime?: string;
  venue: string;
  attendees: string;
  chairName: string;
  secretaryName: string;
  agenda: string[];
  /** The register number, e.g. "12" → "Số: 12/BB-UBND"; unset leaves a blank to fill in. */
  docNumber?: string;
}

export type MinutesAccess = 'write' | 'read';

export interface MinutesLogger {
  info(o: object, msg?: string): void;
  warn(o: object, msg?: string): void;
  error(o: object, msg?: string): void;
}

/**
 * Seam for scale-out: relays accepted updates between nodes (e.g. Redis pub/sub). `publish` receives every update and
 * awareness message accepted on this node, as a y-websocket frame (sync-update or awareness); frames delivered by
 * `subscribe` are applied and passed to local clients but neither persisted (their node did it) nor published again.
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
  /** Resolves the token for the session: 'write' | 'read', or a close code (4401 bad token, 4403 not allowed, 4404 no such session). */
  authorize(sessionId: string, token: string | null): Promise<MinutesAccess | number>;
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
}

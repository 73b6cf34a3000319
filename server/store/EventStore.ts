/**
 * Storage behind one interface. Every backend (SQLite embedded, Redis for scale-out) passes the same contract suite
 * in tests/integration/store/storeContract.ts. Events are opaque JSON objects here: the store never interprets them.
 */

/** An event as written by the service: the payload plus its type. `seq` is assigned by the store. */
export interface NewEvent {
  type: string;
  [key: string]: unknown;
}

/** An event as stored: the payload plus the per-session sequence number (1, 2, 3, … without gaps). */
export interface StoredEvent extends NewEvent {
  seq: number;
}

export type AppendResult =
  /** Appended; `seq` is the sequence number of the last event written. */
  | { ok: true; seq: number; duplicate: false }
  /** This command id was appended before; nothing written; `seq` is the last seq of that earlier append. */
  | { ok: true; seq: number; duplicate: true }
  /** Another writer appended first: the stream's head is no longer `expectedSeq`. Nothing written. */
  | { ok: false; reason: 'conflict'; headSeq: number };

/** One command's events, for a group commit. */
export interface CommandEvents {
  commandId: string;
  events: NewEvent[];
}

export type AppendManyResult =
  /** Written; per command, the seq of its last event (of the head before it, for a command without events). */
  | { ok: true; seqs: number[] }
  /** Another writer appended first: the stream's head is no longer `expectedSeq`. Nothing written. */
  | { ok: false; reason: 'conflict'; headSeq: number }
  /** Some of the ids were recorded before (resends): nothing written; their original seqs. */
  | { ok: false; reason: 'duplicate'; recorded: Array<{ commandId: string; seq: number }> };

export interface Snapshot {
  seq: number;
  state: unknown;
}

export interface EventStore {
  /**
   * Appends `events` after `expectedSeq` atomically, durably (on disk / in the AOF) before resolving.
   * Idempotent by `commandId` within a session: a second append with a known command id writes nothing and reports
   * the original seq — checked *before* the expected-seq check, so a resend after a conflict is still recognised.
   */
  append(
    sessionId: string,
    expectedSeq: number,
    commandId: string,
    events: NewEvent[],
  ): Promise<AppendResult>;
  /**
   * Group commit: several commands' events in one atomic, durable write, in order (one fsync / one script call).
   * Every command id, and every id in `probes` (commands that changed nothing, never recorded), is looked up first:
   * if any was recorded before, nothing is written and the answer lists them, so a resend is recognised in the same
   * round trip. Otherwise the commands are written after `expectedSeq`, all or none, if the head is still there (no
   * head check when there is nothing to write). Ids must be distinct within one call (TypeError otherwise).
   */
  appendMany(
    sessionId: string,
    expectedSeq: number,
    commands: CommandEvents[],
    probes?: string[],
  ): Promise<AppendManyResult>;
  /** Events with seq > afterSeq, ascending, at most `limit` (default: all). */
  read(sessionId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]>;
  /** Last seq of the session's stream, 0 if empty. */
  head(sessionId: string): Promise<number>;
  /** The seq recorded for a command id, or null when unknown. */
  commandSeq(sessionId: string, commandId: string): Promise<number | null>;
  /** Stores a snapshot of the folded state at `seq`; only the newest is kept. */
  saveSnapshot(sessionId: string, snapshot: Snapshot): Promise<void>;
  loadSnapshot(sessionId: string): Promise<Snapshot | null>;
  /** Ids of every session that has at least one event. */
  sessionIds(): Promise<string[]>;
}

/** Small documents: users, ward profile, join-code index, secrets. Values are JSON. */
export interface DocumentStore {
  get<T>(collection: string, key: string): Promise<T | null>;
  /** Writes the value; with `onlyIfAbsent`, writes only when the key is new and reports whether it wrote. */
  put<T>(collection: string, key: string, value: T, options?: { onlyIfAbsent?: boolean }): Promise<boolean>;
  delete(collection: string, key: string): Promise<void>;
  list<T>(collection: string): Promise<Array<{ key: string; value: T }>>;
}

/**
 * Yjs documents of the minutes, stored as a compacted snapshot plus the updates written since. Each update is
 * durable when `appendUpdate` resolves.
 */
export interface YDocStore {
  appendUpdate(docName: string, update: Uint8Array): Promise<void>;
  /** Every stored update (the snapshot first), in write order. */
  loadUpdates(docName: string): Promise<Uint8Array[]>;
  /**
   * Replaces the snapshot and the first `replacedCount` updates by `merged`, atomically. `replacedCount` counts entries
   * as `loadUpdates` returned them, the snapshot included: pass the length of the list you merged. Updates appended
   * after that load stay, after `merged`. A store shared by several nodes (Redis) skips the compaction when another
   * one happened since that load: the updates then stay as they are, nothing is lost.
   */
  compact(docName: string, merged: Uint8Array, replacedCount: number): Promise<void>;
  /**
   * Seals the document (the chair approved the minutes): from then on every `appendUpdate` to it rejects with
   * DocumentSealedError, on every node — the check and the append are one atomic step, so no append that started
   * before the seal can land after it. Idempotent. Compaction stays allowed: it does not change the content.
   */
  seal(docName: string): Promise<void>;
  isSealed(docName: string): Promise<boolean>;
}

/** An append to a sealed document (see YDocStore.seal): nothing was written. */
export class DocumentSealedError extends Error {
  readonly docName: string;
  constructor(docName: string) {
    super(`document ${docName} is sealed`);
    this.name = 'DocumentSealedError';
    this.docName = docName;
  }
}

export interface Store {
  events: EventStore;
  docs: DocumentStore;
  ydocs: YDocStore;
  close(): Promise<void>;
}

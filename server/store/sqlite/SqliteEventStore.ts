import type Database from 'better-sqlite3';
import type {
  AppendManyResult,
  AppendResult,
  CommandEvents,
  EventStore,
  NewEvent,
  Snapshot,
  StoredEvent,
} from '../EventStore.ts';
import { appendOne, assertDistinctIds, assertLimit, assertSeq, toJson } from '../storeArguments.ts';

interface EventRow {
  seq: number;
  json: string;
}

interface SnapshotRow {
  seq: number;
  json: string;
}

/** SQLite's LIMIT -1 means "no limit", so one prepared statement serves both `read` forms. */
const NO_LIMIT = -1;

export class SqliteEventStore implements EventStore {
  readonly #selectCommandSeq: Database.Statement<[string, string], number>;
  readonly #selectHead: Database.Statement<[string], number>;
  readonly #insertEvent: Database.Statement<[string, number, string, string]>;
  readonly #upsertHead: Database.Statement<[string, number]>;
  readonly #insertCommand: Database.Statement<[string, string, number]>;
  readonly #selectEvents: Database.Statement<[string, number, number], EventRow>;
  readonly #upsertSnapshot: Database.Statement<[string, number, string]>;
  readonly #selectSnapshot: Database.Statement<[string], SnapshotRow>;
  readonly #selectSessionIds: Database.Statement<[], string>;
  readonly #appendTransaction: Database.Transaction<
    (sessionId: string, expectedSeq: number, commands: CommandEvents[], probes: string[]) => AppendManyResult
  >;

  constructor(db: Database.Database) {
    this.#selectCommandSeq = db
      .prepare<[string, string], number>('SELECT seq FROM commands WHERE session_id = ? AND command_id = ?')
      .pluck();
    this.#selectHead = db.prepare<[string], number>('SELECT head FROM sessions WHERE session_id = ?').pluck();
    this.#insertEvent = db.prepare<[string, number, string, string]>(
      'INSERT INTO events (session_id, seq, type, json) VALUES (?, ?, ?, ?)',
    );
    this.#upsertHead = db.prepare<[string, number]>(
      'INSERT INTO sessions (session_id, head) VALUES (?, ?) ON CONFLICT (session_id) DO UPDATE SET head = excluded.head',
    );
    this.#insertCommand = db.prepare<[string, string, number]>(
      'INSERT INTO commands (session_id, command_id, seq) VALUES (?, ?, ?)',
    );
    this.#selectEvents = db.prepare<[string, number, number], EventRow>(
      'SELECT seq, json FROM events WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    );
    // Two nodes may snapshot the same session out of order; the one further along the log wins.
    this.#upsertSnapshot = db.prepare<[string, number, string]>(
      `INSERT INTO snapshots (session_id, seq, json) VALUES (?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET seq = excluded.seq, json = excluded.json
       WHERE excluded.seq >= snapshots.seq`,
    );
    this.#selectSnapshot = db.prepare<[string], SnapshotRow>(
      'SELECT seq, json FROM snapshots WHERE session_id = ?',
    );
    this.#selectSessionIds = db
      .prepare<[], string>('SELECT session_id FROM sessions ORDER BY session_id')
      .pluck();
    this.#appendTransaction = db.transaction(this.#appendNow.bind(this));
  }

  append(
    sessionId: string,
    expectedSeq: number,
    commandId: string,
    events: NewEvent[],
  ): Promise<AppendResult> {
    return appendOne(this, sessionId, expectedSeq, commandId, events);
  }

  async appendMany(
    sessionId: string,
    expectedSeq: number,
    commands: CommandEvents[],
    probes: string[] = [],
  ): Promise<AppendManyResult> {
    assertSeq('expectedSeq', expectedSeq);
    assertDistinctIds(commands, probes);
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads and then writes can fail with
    // SQLITE_BUSY if another connection wrote in between, and busy_timeout does not help with that upgrade.
    return this.#appendTransaction.immediate(sessionId, expectedSeq, commands, probes);
  }

  #appendNow(
    sessionId: string,
    expectedSeq: number,
    commands: CommandEvents[],
    probes: string[],
  ): AppendManyResult {
    const recorded = [...probes, ...commands.map((c) => c.commandId)].flatMap((commandId) => {
      const seq = this.#selectCommandSeq.get(sessionId, commandId);
      return seq === undefined ? [] : [{ commandId, seq }];
    });
    if (recorded.length > 0) return { ok: false, reason: 'duplicate', recorded };
    if (commands.length === 0) return { ok: true, seqs: [] };
    const headSeq = this.#selectHead.get(sessionId) ?? 0;
    if (headSeq !== expectedSeq) return { ok: false, reason: 'conflict', headSeq };
    let seq = expectedSeq;
    const seqs = commands.map(({ commandId, events }) => {
      for (const event of events) {
        seq += 1;
        this.#insertEvent.run(sessionId, seq, event.type, toJson(event));
      }
      // A command that produced no events still gets its id recorded, so a resend is not decided a second time.
      this.#insertCommand.run(sessionId, commandId, seq);
      return seq;
    });
    if (seq > expectedSeq) this.#upsertHead.run(sessionId, seq);
    return { ok: true, seqs };
  }

  async read(sessionId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]> {
    assertSeq('afterSeq', afterSeq);
    assertLimit(limit);
    return this.#selectEvents.all(sessionId, afterSeq, limit ?? NO_LIMIT).map(toStoredEvent);
  }

  async head(sessionId: string): Promise<number> {
    return this.#selectHead.get(sessionId) ?? 0;
  }

  async commandSeq(sessionId: string, commandId: string): Promise<number | null> {
    return this.#selectCommandSeq.get(sessionId, commandId) ?? null;
  }

  async saveSnapshot(sessionId: string, snapshot: Snapshot): Promise<void> {
    assertSeq('snapshot.seq', snapshot.seq);
    this.#upsertSnapshot.run(sessionId, snapshot.seq, toJson(snapshot.state));
  }

  async loadSnapshot(sessionId: string): Promise<Snapshot | null> {
    const row = this.#selectSnapshot.get(sessionId);
    return row ? { seq: row.seq, state: JSON.parse(row.json) } : null;
  }

  async sessionIds(): Promise<string[]> {
    return this.#selectSessionIds.all();
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  // The store wrote this JSON from a NewEvent; seq comes last so the stored number wins over any payload field.
  const event: NewEvent = JSON.parse(row.json);
  return { ...event, seq: row.seq };
}

/**
 * Keeps this node's cached sessions current while other nodes append to them.
 *
 * Every session the SessionService has loaded is followed: its event stream (`db:s:{id}:events`, entry id `<seq>-1`)
 * is tailed from the seq the service last read, and when an entry appears that the service has not seen — another
 * node appended it — the service is asked to `refresh` the session, which reads the store after its cached seq,
 * folds what it finds and publishes it to its listeners (the Fanout, which sends it to this node's sockets). So each
 * node publishes every event of the sessions it serves, in seq order, to its own sockets; see server/scale/index.ts
 * for why no event goes through the socket.io adapter.
 *
 * What the service "has seen" is learnt by watching its store calls (`watch`): whatever it reads or appends it folds
 * at once, so an entry at or below that seq needs no refresh — this node's own appends cost no extra read.
 */
import type {
  AppendManyResult,
  AppendResult,
  CommandEvents,
  EventStore,
  NewEvent,
  StoredEvent,
} from '../store/EventStore.ts';
import { redisKeys } from '../store/redis/redisKeys.ts';
import type { StreamEntry, StreamTailer } from './StreamTailer.ts';

export interface Refreshable {
  /**
   * Reads what other writers appended after the cached state and folds it in (SessionService.refresh); nothing to
   * read when the cached state already reaches `headSeq` (the tailer also sees this node's own appends).
   */
  refresh(sessionId: string, headSeq?: number): Promise<void>;
}

interface Followed {
  /** Highest seq the service has read or appended. */
  seen: number;
  /** Highest seq the stream has shown us. */
  head: number;
  refreshing: boolean;
  again: boolean;
}

const MAX_RETRY_MS = 2_000;

export class SessionFollower {
  readonly #tailer: StreamTailer;
  readonly #onError: (err: unknown, context: string) => void;
  readonly #onRefreshed: (seconds: number) => void;
  readonly #followed = new Map<string, Followed>();
  #target: Refreshable | null = null;
  #closed = false;

  /** `onRefreshed`: seconds from the tailer showing new entries to their being folded (metrics). */
  constructor(
    tailer: StreamTailer,
    options: {
      onError?: (err: unknown, context: string) => void;
      onRefreshed?: (seconds: number) => void;
    } = {},
  ) {
    this.#tailer = tailer;
    this.#onError = options.onError ?? (() => {});
    this.#onRefreshed = options.onRefreshed ?? (() => {});
  }

  /** Sessions followed (tests, metrics). */
  get size(): number {
    return this.#followed.size;
  }

  /** Events the streams have shown that the service has not folded yet, over every followed session (metrics). */
  get eventsBehind(): number {
    let behind = 0;
    for (const f of this.#followed.values()) behind += Math.max(0, f.head - f.seen);
    return behind;
  }

  /** The store to give the SessionService: the same store, with its reads and appends noted. */
  watch(events: EventStore): EventStore {
    return {
      append: async (sessionId: string, expectedSeq: number, commandId: string, list: NewEvent[]) => {
        const result: AppendResult = await events.append(sessionId, expectedSeq, commandId, list);
        // A duplicate's seq may be ahead of what this node has folded (another node wrote it): not "seen".
        if (result.ok && !result.duplicate) this.#seen(sessionId, result.seq);
        return result;
      },
      appendMany: async (
        sessionId: string,
        expectedSeq: number,
        commands: CommandEvents[],
        probes?: string[],
      ) => {
        const result: AppendManyResult = await events.appendMany(sessionId, expectedSeq, commands, probes);
        const written = result.ok ? result.seqs.at(-1) : undefined;
        if (written !== undefined && written > 0) this.#seen(sessionId, written);
        return result;
      },
      read: async (sessionId: string, afterSeq: number, limit?: number) => {
        const list: StoredEvent[] = await events.read(sessionId, afterSeq, limit);
        // An empty read of a never-written session is a miss (SessionService answers not_found): nothing to follow.
        const last = list.at(-1)?.seq ?? afterSeq;
        if (last > 0) this.#seen(sessionId, last);
        return list;
      },
      head: (sessionId) => events.head(sessionId),
      commandSeq: (sessionId, commandId) => events.commandSeq(sessionId, commandId),
      saveSnapshot: (sessionId, snapshot) => events.saveSnapshot(sessionId, snapshot),
      loadSnapshot: (sessionId) => events.loadSnapshot(sessionId),
      sessionIds: () => events.sessionIds(),
    };
  }

  /** From now on, entries other nodes append to a followed session make `target` refresh it. */
  attach(target: Refreshable): void {
    this.#target = target;
    for (const [sessionId, f] of this.#followed) if (f.head > f.seen) this.#refresh(sessionId, f);
  }

  close(): void {
    this.#closed = true;
  }

  #seen(sessionId: string, seq: number): void {
    const known = this.#followed.get(sessionId);
    if (known) {
      known.seen = Math.max(known.seen, seq);
      return;
    }
    const followed: Followed = { seen: seq, head: seq, refreshing: false, again: false };
    this.#followed.set(sessionId, followed);
    this.#tailer.follow(redisKeys.events(sessionId), `${seq}-1`, (entries) =>
      this.#onEntries(sessionId, entries),
    );
  }

  #onEntries(sessionId: string, entries: StreamEntry[]): void {
    const followed = this.#followed.get(sessionId);
    const last = entries.at(-1);
    if (!followed || !last) return;
    followed.head = Math.max(followed.head, seqOfStreamId(last.id));
    if (followed.head > followed.seen) this.#refresh(sessionId, followed);
  }

  /**
   * One refresh in flight per session; entries arriving meanwhile ask for one more after it. A failed refresh
   * (Redis down) is retried until it succeeds: the tailer's cursor has moved on and will not report these entries
   * again.
   */
  #refresh(sessionId: string, followed: Followed): void {
    const target = this.#target;
    if (!target || this.#closed) return;
    if (followed.refreshing) {
      followed.again = true;
      return;
    }
    followed.refreshing = true;
    const started = performance.now();
    void (async () => {
      let failures = 0;
      do {
        followed.again = false;
        try {
          await target.refresh(sessionId, followed.head);
          failures = 0;
        } catch (err) {
          if (failures++ === 0) this.#onError(err, 'session refresh failed; retrying');
          followed.again = true;
          await sleep(Math.min(100 * 2 ** failures, MAX_RETRY_MS));
        }
      } while (followed.again && !this.#closed);
      followed.refreshing = false;
      this.#onRefreshed((performance.now() - started) / 1000);
    })();
  }
}

function seqOfStreamId(id: string): number {
  return Number(id.slice(0, id.indexOf('-')));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

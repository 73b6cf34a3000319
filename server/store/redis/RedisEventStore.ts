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
import { redisKeys } from './redisKeys.ts';
import type { StoreClient } from './redisClient.ts';
import { NO_WAIT, type ReplicationWait } from './redisTarget.ts';

export interface RedisEventStoreOptions {
  /** The connection appends run on (default: the store's); `WAIT` needs the append's own connection. */
  appender?: StoreClient;
  /** Replicas an append must reach before it resolves (default none). */
  wait?: ReplicationWait;
  /** The appender's primary changes so far (Sentinel failovers); see redisTarget.ts. */
  primaryChanges?: () => number;
}

/** Thrown when an append was not confirmed on enough replicas: it may or may not survive; the command is resent. */
export class ReplicationTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReplicationTimeoutError';
  }
}

/**
 * Events live in one stream per session; the stream id `<seq>-1` carries the seq (see scripts.ts).
 *
 * With a replication wait, nothing is handed out that a failover could take back: an append resolves once the
 * replicas have it, and a read that returns events beyond what this store already knows the replicas hold (its
 * confirmed appends and earlier reads) first waits for the replicas to hold them too — another node's append is on
 * the primary before its `WAIT` returns, and a node that folded and pushed it then would have shown the hall an event
 * a failover can lose (the long fault run found every client pushed a seq the final log holds as another event).
 */
export class RedisEventStore implements EventStore {
  readonly #client: StoreClient;
  readonly #appender: StoreClient;
  readonly #wait: ReplicationWait;
  readonly #primaryChanges: () => number;
  /** Per session, the highest seq known to be on the replicas (with a replication wait only). */
  readonly #replicatedSeq = new Map<string, number>();

  constructor(client: StoreClient, options: RedisEventStoreOptions = {}) {
    this.#client = client;
    this.#appender = options.appender ?? client;
    this.#wait = options.wait ?? NO_WAIT;
    this.#primaryChanges = options.primaryChanges ?? (() => 0);
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
    const keys = {
      events: redisKeys.events(sessionId),
      commands: redisKeys.commands(sessionId),
      sessions: redisKeys.sessions,
    };
    const changes = this.#primaryChanges();
    const result = await this.#appender.appendEvents(keys, sessionId, expectedSeq, commands, probes);
    if (this.#wait.replicas === 0) return result;
    if (result.ok && commands.length > 0) {
      await this.#replicated(changes);
      this.#knowReplicated(sessionId, Math.max(...result.seqs));
    } else if (!result.ok && result.reason === 'duplicate') {
      // A resend: its first append may have reached the primary and no replica (that attempt was not confirmed,
      // so the client resent).
      await this.#fence(sessionId, changes);
      this.#knowReplicated(sessionId, Math.max(...result.recorded.map((r) => r.seq)));
    }
    return result;
  }

  /**
   * Resolves once the replicas hold everything the primary held before this call. WAIT counts what its connection
   * wrote; a write of its own after the others' makes it count theirs too, whichever connection or node wrote them.
   */
  async #fence(sessionId: string, changesBefore: number): Promise<void> {
    await this.#appender.incr(redisKeys.waitFence(sessionId));
    await this.#replicated(changesBefore);
  }

  #knowReplicated(sessionId: string, seq: number): void {
    if (seq > (this.#replicatedSeq.get(sessionId) ?? 0)) this.#replicatedSeq.set(sessionId, seq);
  }

  /**
   * `WAIT` on the append's connection: resolves once the replicas have everything this connection wrote, the
   * append included. Fewer replicas within the timeout, or a failover in between (the WAIT may then have run on the
   * new primary, which says nothing of the old one's writes), and the append is not confirmed: the caller answers
   * the commands with a retryable failure and the clients resend them — the append script recognises a resend by
   * its command id, so a write that did survive is not applied twice.
   */
  async #replicated(changesBefore: number): Promise<void> {
    const { replicas, timeoutMs } = this.#wait;
    const reached = await this.#appender.wait(replicas, timeoutMs);
    if (this.#primaryChanges() !== changesBefore)
      throw new ReplicationTimeoutError('the Redis primary changed during the append');
    if (reached < replicas)
      throw new ReplicationTimeoutError(
        `append reached ${reached} of ${replicas} replicas in ${timeoutMs} ms`,
      );
  }

  async read(sessionId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]> {
    assertSeq('afterSeq', afterSeq);
    assertLimit(limit);
    // XRANGE treats COUNT 0 as "no limit", the opposite of what a caller asking for 0 events means.
    if (limit === 0) return [];
    const changes = this.#primaryChanges();
    const entries = await this.#client.xRange(
      redisKeys.events(sessionId),
      `${afterSeq + 1}-0`,
      '+',
      limit === undefined ? undefined : { COUNT: limit },
    );
    // The typings allow null for XRANGE; Redis answers an empty array for a missing stream, so this is defensive.
    const events = (entries ?? []).map((entry) => {
      const json = entry.message['event'];
      if (json === undefined) throw new Error(`stream entry ${entry.id} of ${sessionId} has no event`);
      const event: NewEvent = JSON.parse(json);
      return { ...event, seq: seqOfStreamId(entry.id) };
    });
    const last = events.at(-1)?.seq ?? 0;
    if (this.#wait.replicas > 0 && last > (this.#replicatedSeq.get(sessionId) ?? 0)) {
      await this.#fence(sessionId, changes);
      this.#knowReplicated(sessionId, last);
    }
    return events;
  }

  async head(sessionId: string): Promise<number> {
    const entries = await this.#client.xRevRange(redisKeys.events(sessionId), '+', '-', { COUNT: 1 });
    const last = entries?.[0];
    return last ? seqOfStreamId(last.id) : 0;
  }

  async commandSeq(sessionId: string, commandId: string): Promise<number | null> {
    const seq = await this.#client.hGet(redisKeys.commands(sessionId), commandId);
    return seq === null ? null : Number(seq);
  }

  async saveSnapshot(sessionId: string, snapshot: Snapshot): Promise<void> {
    assertSeq('snapshot.seq', snapshot.seq);
    await this.#client.saveSnapshot(redisKeys.snapshot(sessionId), snapshot.seq, toJson(snapshot.state));
  }

  async loadSnapshot(sessionId: string): Promise<Snapshot | null> {
    const [seq, state] = await this.#client.hmGet(redisKeys.snapshot(sessionId), ['seq', 'state']);
    if (seq == null || state == null) return null;
    return { seq: Number(seq), state: JSON.parse(state) };
  }

  async sessionIds(): Promise<string[]> {
    const ids = await this.#client.sMembers(redisKeys.sessions);
    return ids.sort();
  }
}

function seqOfStreamId(id: string): number {
  const seq = Number(id.slice(0, id.indexOf('-')));
  if (!Number.isSafeInteger(seq) || seq < 1) throw new Error(`stream id ${id} does not carry a seq`);
  return seq;
}

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

/** Events live in one stream per session; the stream id `<seq>-1` carries the seq (see scripts.ts). */
export class RedisEventStore implements EventStore {
  readonly #client: StoreClient;

  constructor(client: StoreClient) {
    this.#client = client;
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
    return this.#client.appendEvents(keys, sessionId, expectedSeq, commands, probes);
  }

  async read(sessionId: string, afterSeq: number, limit?: number): Promise<StoredEvent[]> {
    assertSeq('afterSeq', afterSeq);
    assertLimit(limit);
    // XRANGE treats COUNT 0 as "no limit", the opposite of what a caller asking for 0 events means.
    if (limit === 0) return [];
    const entries = await this.#client.xRange(
      redisKeys.events(sessionId),
      `${afterSeq + 1}-0`,
      '+',
      limit === undefined ? undefined : { COUNT: limit },
    );
    // The typings allow null for XRANGE; Redis answers an empty array for a missing stream, so this is defensive.
    return (entries ?? []).map((entry) => {
      const json = entry.message['event'];
      if (json === undefined) throw new Error(`stream entry ${entry.id} of ${sessionId} has no event`);
      const event: NewEvent = JSON.parse(json);
      return { ...event, seq: seqOfStreamId(entry.id) };
    });
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

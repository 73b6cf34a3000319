/**
 * The minutes relay between nodes (the `relay` option of createMinutesServer): Yjs updates and awareness frames
 * accepted on one node reach the same document on every other node. Each node stores the updates its own clients
 * sent and says so on the relay; what the relay delivers is stored by a receiving node only when its node fell
 * silent before saying it (server/minutes/OwedUpdates.ts), and only if the store lacks it, so an update is stored
 * once.
 *
 * One Redis stream per document (`db:y:{minutes:<id>}:relay`), appended with XADD and tailed by every node that has
 * the document open, rather than pub/sub:
 *  - a Redis blip loses nothing: publishes wait in the connection's queue and the reader resumes from its cursor;
 *  - no window at open: the minutes server subscribes, then loads the stored updates on another connection. A
 *    pub/sub SUBSCRIBE could take effect after that load and miss an update published in between; here a new
 *    subscriber reads the stream from `replayMs` (default 30 s) before it subscribed, so anything the load could
 *    not see yet is delivered. Yjs updates are idempotent, so a replayed one already loaded changes nothing, and
 *    30 s is also y-protocols' awareness timeout, so the replayed presence is the current one.
 * Entries older than `retentionMs` (default 10 min) are trimmed (XADD MINID), and the key expires a day after the
 * last edit. A node cut off from Redis for longer than the retention may miss frames; its copy re-syncs from the
 * store when the document is next opened.
 *
 * A publish Redis refuses is kept and written again, in order, until Redis takes it: a primary promoted by Sentinel
 * answers NOREPLICAS for seconds until its replicas have attached (min-replicas-to-write), and a frame dropped then
 * would leave every other node without that edit — and, since a writer's next edits build on it, without all of
 * them. What can still be lost (a frame the old primary took and never passed on, or more than `maxOutbox` frames
 * while Redis is away) shows on the receiving node as an update it cannot integrate, and that node catches up from
 * the store (MinutesDocs).
 *
 * `claimTemplate` makes the template insertion happen once across nodes: two nodes opening an empty document at
 * the same moment would otherwise both insert one. The claim expires after a minute, so a node that crashed before
 * storing the template does not leave the document without one forever; once stored, the document is not empty and
 * nobody asks again.
 */
import { randomUUID } from 'node:crypto';
import { minutesDocName } from '../minutes/MinutesServer.ts';
import type { MinutesRelay } from '../minutes/types.ts';
import { toTarget, type RedisTarget } from '../store/redis/redisTarget.ts';
import { createScaleClient, throttledErrors } from './redisClients.ts';
import { StreamTailer, type StreamEntry } from './StreamTailer.ts';

export interface RedisMinutesRelay extends MinutesRelay {
  /** Resolves true on exactly one node for an empty document: that node inserts the template. */
  claimTemplate(sessionId: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface RedisMinutesRelayOptions {
  /** How far back a new subscriber reads the stream (default 30,000 ms). */
  replayMs?: number;
  /** How long relayed frames stay in the stream (default 10 min). */
  retentionMs?: number;
  /**
   * Frames kept while Redis refuses or cannot be reached (default 10,000); beyond it the oldest are dropped, and the
   * nodes that miss them catch up from the store. Bounds this node's memory through a long outage.
   */
  maxOutbox?: number;
  onError?: (err: unknown) => void;
}

const KEY_TTL_MS = 24 * 3_600_000;
const TEMPLATE_CLAIM_MS = 60_000;
/** Frames written in one MULTI: one round trip for a burst of typing, a bounded reply. */
const PUBLISH_BATCH = 200;
/** Longest pause between attempts to write the outbox while Redis refuses. */
const MAX_RETRY_MS = 1_000;

const relayKey = (sessionId: string) => `db:y:{${minutesDocName(sessionId)}}:relay`;
const templateKey = (sessionId: string) => `db:y:{${minutesDocName(sessionId)}}:templated`;

export async function createRedisMinutesRelay(
  target: RedisTarget | string,
  options: RedisMinutesRelayOptions = {},
): Promise<RedisMinutesRelay> {
  const replayMs = options.replayMs ?? 30_000;
  const retentionMs = Math.max(options.retentionMs ?? 10 * 60_000, replayMs);
  const report = throttledErrors(options.onError ?? (() => {}));
  const node = randomUUID();
  // A publish made while Redis restarts waits for the reconnect instead of being dropped after 5 s.
  const commands = createScaleClient(toTarget(target), { waitForRedis: true });
  commands.on('error', report);
  await commands.connect();
  // The tailer's own connection keeps node-redis' command timeout (not the publishes' "wait for Redis"): a blocked
  // read cut off by a failover must time out and be read again from the new primary, or the relay would stop.
  const reader = createScaleClient(toTarget(target));
  reader.on('error', () => {});
  const tailer = await StreamTailer.start(reader, commands, { onError: report, wakePrefix: 'db:y:wake' });
  // Stream ids are Redis' clock; measure its offset from ours once, so a subscribe can compute its start id at once.
  const [seconds, micros] = await commands.time();
  const offsetMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - Date.now();
  const redisNow = () => Date.now() + offsetMs;

  const listeners = new Map<string, { set: Set<(bytes: Uint8Array) => void>; unfollow: () => void }>();

  const maxOutbox = options.maxOutbox ?? 10_000;
  /** Frames published and not yet taken by Redis, oldest first. */
  const outbox: Array<{ key: string; payload: string }> = [];
  let draining = false;
  let closed = false;
  /** Writes the outbox in order, one batch at a time, retrying a refused batch (all of it: a MULTI is all or nothing). */
  const drain = async () => {
    if (draining) return;
    draining = true;
    try {
      for (let failures = 0; outbox.length > 0 && !closed;) {
        const batch = outbox.slice(0, PUBLISH_BATCH);
        const multi = commands.multi();
        const threshold = redisNow() - retentionMs;
        for (const { key, payload } of batch)
          multi
            .xAdd(
              key,
              '*',
              { n: node, u: payload },
              { TRIM: { strategy: 'MINID', strategyModifier: '~', threshold } },
            )
            .pExpire(key, KEY_TTL_MS);
        try {
          await multi.exec();
          // What was sent, up to its last frame; -1 when the outbox went over its bound meanwhile and dropped it all.
          const last = batch.at(-1);
          outbox.splice(0, last ? outbox.indexOf(last) + 1 : 0);
          failures = 0;
        } catch (err) {
          report(err);
          failures++;
          await new Promise((resolve) => setTimeout(resolve, Math.min(25 * 2 ** failures, MAX_RETRY_MS)));
        }
      }
    } finally {
      draining = false;
    }
  };

  const deliver = (sessionId: string, entries: StreamEntry[], only?: (bytes: Uint8Array) => void) => {
    const targets = only ? [only] : [...(listeners.get(sessionId)?.set ?? [])];
    for (const entry of entries) {
      // This node's own frames are already in its document.
      if (entry.message['n'] === node || entry.message['u'] === undefined) continue;
      const bytes = new Uint8Array(Buffer.from(entry.message['u'], 'base64'));
      for (const listener of targets) listener(bytes);
    }
  };

  return {
    publish(sessionId, bytes) {
      const payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
      outbox.push({ key: relayKey(sessionId), payload });
      if (outbox.length > maxOutbox) outbox.splice(0, outbox.length - maxOutbox);
      void drain();
    },

    subscribe(sessionId, onBytes) {
      const start = `${Math.max(0, redisNow() - replayMs)}-0`;
      const existing = listeners.get(sessionId);
      if (existing) {
        // Already tailed for another subscriber: read this one's replay window on the side.
        existing.set.add(onBytes);
        commands
          .xRange(relayKey(sessionId), start, '+')
          .then((entries) => deliver(sessionId, (entries ?? []).map(toEntry), onBytes))
          .catch(report);
      } else {
        const set = new Set([onBytes]);
        const unfollow = tailer.follow(relayKey(sessionId), start, (entries) => deliver(sessionId, entries));
        listeners.set(sessionId, { set, unfollow });
      }
      return () => {
        const current = listeners.get(sessionId);
        if (!current?.set.delete(onBytes) || current.set.size > 0) return;
        current.unfollow();
        listeners.delete(sessionId);
      };
    },

    async claimTemplate(sessionId) {
      const reply = await commands.set(templateKey(sessionId), node, { NX: true, PX: TEMPLATE_CLAIM_MS });
      return reply === 'OK';
    },

    async close() {
      closed = true;
      for (const { unfollow } of listeners.values()) unfollow();
      listeners.clear();
      await tailer.close();
      // Publishes still queued for an unreachable Redis would keep close() waiting: drop them, we are going away.
      if (commands.isReady) await commands.close();
      else commands.destroy();
    },
  };
}

function toEntry(entry: { id: unknown; message: Record<string, unknown> }): StreamEntry {
  return {
    id: String(entry.id),
    message: Object.fromEntries(Object.entries(entry.message).map(([k, v]) => [k, String(v)])),
  };
}

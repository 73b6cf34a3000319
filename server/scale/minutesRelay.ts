/**
 * The minutes relay between nodes (the `relay` option of createMinutesServer): Yjs updates and awareness frames
 * accepted on one node reach the same document on every other node. Each node stores only the updates its own
 * clients sent (the minutes server persists those and never what the relay delivers), so an update is stored once.
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
 * `claimTemplate` makes the template insertion happen once across nodes: two nodes opening an empty document at
 * the same moment would otherwise both insert one. The claim expires after a minute, so a node that crashed before
 * storing the template does not leave the document without one forever; once stored, the document is not empty and
 * nobody asks again.
 */
import { randomUUID } from 'node:crypto';
import { minutesDocName } from '../minutes/MinutesServer.ts';
import type { MinutesRelay } from '../minutes/types.ts';
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
  onError?: (err: unknown) => void;
}

const KEY_TTL_MS = 24 * 3_600_000;
const TEMPLATE_CLAIM_MS = 60_000;

const relayKey = (sessionId: string) => `db:y:{${minutesDocName(sessionId)}}:relay`;
const templateKey = (sessionId: string) => `db:y:{${minutesDocName(sessionId)}}:templated`;

export async function createRedisMinutesRelay(
  url: string,
  options: RedisMinutesRelayOptions = {},
): Promise<RedisMinutesRelay> {
  const replayMs = options.replayMs ?? 30_000;
  const retentionMs = Math.max(options.retentionMs ?? 10 * 60_000, replayMs);
  const report = throttledErrors(options.onError ?? (() => {}));
  const node = randomUUID();
  // A publish made while Redis restarts waits for the reconnect instead of being dropped after 5 s.
  const commands = createScaleClient(url, { waitForRedis: true });
  commands.on('error', report);
  await commands.connect();
  const reader = commands.duplicate();
  reader.on('error', () => {});
  const tailer = await StreamTailer.start(reader, commands, { onError: report, wakePrefix: 'db:y:wake' });
  // Stream ids are Redis' clock; measure its offset from ours once, so a subscribe can compute its start id at once.
  const [seconds, micros] = await commands.time();
  const offsetMs = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000) - Date.now();
  const redisNow = () => Date.now() + offsetMs;

  const listeners = new Map<string, { set: Set<(bytes: Uint8Array) => void>; unfollow: () => void }>();

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
      const key = relayKey(sessionId);
      const payload = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
      commands
        .multi()
        .xAdd(
          key,
          '*',
          { n: node, u: payload },
          { TRIM: { strategy: 'MINID', strategyModifier: '~', threshold: redisNow() - retentionMs } },
        )
        .pExpire(key, KEY_TTL_MS)
        .exec()
        .catch(report);
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

import { defineScript } from 'redis';
import type { CommandParser } from 'redis';
import type { AppendManyResult, CommandEvents } from '../EventStore.ts';
import { toJson } from '../storeArguments.ts';

/**
 * The whole append runs inside Redis as one script, so the command-id checks, the head check and the XADDs cannot
 * interleave with another node's append. Events get explicit stream ids `<seq>-1`: the id is the seq, and a stray
 * XADD with a stale id would be rejected by Redis itself. Several commands go in one call (group commit): ARGV is
 * sessionId, expectedSeq, then per command its id, its event count and that many (type, json) pairs.
 * Replies {'conflict', head} | {'ok', seq1, duplicate1, seq2, duplicate2, …} (duplicate 1 for a resend).
 */
const APPEND_SCRIPT = `
local recorded = {}
local starts = {}
local fresh = 0
local i = 3
while i <= #ARGV do
  starts[#starts + 1] = i
  local seq = redis.call('HGET', KEYS[2], ARGV[i])
  if seq then recorded[#starts] = tonumber(seq) else fresh = fresh + 1 end
  i = i + 2 + 2 * tonumber(ARGV[i + 1])
end
local expected = tonumber(ARGV[2])
if fresh > 0 then
  local head = 0
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  if #last > 0 then head = tonumber(string.match(last[1][1], '^(%d+)%-')) end
  if head ~= expected then return {'conflict', head} end
end
local seq = expected
local reply = {'ok'}
for c, at in ipairs(starts) do
  if recorded[c] then
    reply[#reply + 1] = recorded[c]
    reply[#reply + 1] = 1
  else
    for e = 1, tonumber(ARGV[at + 1]) do
      seq = seq + 1
      redis.call('XADD', KEYS[1], string.format('%d-1', seq), 'type', ARGV[at + 2 * e], 'event', ARGV[at + 2 * e + 1])
    end
    redis.call('HSET', KEYS[2], ARGV[at], seq)
    reply[#reply + 1] = seq
    reply[#reply + 1] = 0
  end
end
if seq > expected then redis.call('SADD', KEYS[3], ARGV[1]) end
return reply
`;

export const appendEvents = defineScript({
  SCRIPT: APPEND_SCRIPT,
  NUMBER_OF_KEYS: 3,
  parseCommand(
    parser: CommandParser,
    keys: { events: string; commands: string; sessions: string },
    sessionId: string,
    expectedSeq: number,
    commands: CommandEvents[],
  ) {
    parser.pushKeys([keys.events, keys.commands, keys.sessions]);
    parser.push(sessionId, String(expectedSeq));
    for (const { commandId, events } of commands) {
      parser.push(commandId, String(events.length));
      for (const event of events) parser.push(event.type, toJson(event));
    }
  },
  transformReply(this: void, reply: unknown): AppendManyResult {
    if (!Array.isArray(reply) || reply.some((x, i) => i > 0 && typeof x !== 'number'))
      throw new Error('unexpected append reply');
    const [outcome, ...numbers] = reply as [unknown, ...number[]];
    if (outcome === 'conflict') return { ok: false, reason: 'conflict', headSeq: numbers[0] ?? 0 };
    if (outcome !== 'ok') throw new Error(`unexpected append outcome ${String(outcome)}`);
    const results: Array<{ seq: number; duplicate: boolean }> = [];
    for (let k = 0; k + 1 < numbers.length; k += 2)
      results.push({ seq: numbers[k] ?? 0, duplicate: numbers[k + 1] === 1 });
    return { ok: true, results };
  },
});

/** Keeps the snapshot furthest along the log: two nodes may save snapshots of one session out of order. */
const SAVE_SNAPSHOT_SCRIPT = `
local current = tonumber(redis.call('HGET', KEYS[1], 'seq'))
if current and current > tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'seq', ARGV[1], 'state', ARGV[2])
return 1
`;

export const saveSnapshot = defineScript({
  SCRIPT: SAVE_SNAPSHOT_SCRIPT,
  NUMBER_OF_KEYS: 1,
  parseCommand(parser: CommandParser, key: string, seq: number, stateJson: string) {
    parser.pushKey(key);
    parser.push(String(seq), stateJson);
  },
  transformReply(this: void, reply: unknown): boolean {
    return reply === 1;
  },
});

/**
 * Drops the first `replacedCount` updates and puts the merged one in front, in one step: a reader never sees the
 * list without the merged state, and updates appended meanwhile (RPUSH at the tail) stay after it.
 * Only when no compaction happened since the caller's load (the epoch it read is still current): another node's
 * compaction in between shortens the head of the list, and trimming `replacedCount` entries would then drop updates
 * appended after the caller's load, which its merged state does not hold. An empty epoch argument skips the check.
 * Replies 1 (compacted) or 0 (skipped).
 */
const COMPACT_SCRIPT = `
local epoch = redis.call('GET', KEYS[2]) or '0'
if ARGV[3] ~= '' and epoch ~= ARGV[3] then return 0 end
redis.call('LTRIM', KEYS[1], ARGV[2], -1)
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('INCR', KEYS[2])
return 1
`;

export const compactUpdates = defineScript({
  SCRIPT: COMPACT_SCRIPT,
  NUMBER_OF_KEYS: 2,
  parseCommand(
    parser: CommandParser,
    keys: { updates: string; epoch: string },
    merged: Buffer,
    replacedCount: number,
    epoch: string,
  ) {
    parser.pushKeys([keys.updates, keys.epoch]);
    parser.push(merged, String(replacedCount), epoch);
  },
  transformReply(this: void, reply: unknown): boolean {
    return reply === 1;
  },
});

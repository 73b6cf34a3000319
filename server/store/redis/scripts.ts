import { defineScript } from 'redis';
import type { CommandParser } from 'redis';
import type { AppendManyResult, CommandEvents } from '../EventStore.ts';
import { toJson } from '../storeArguments.ts';

/**
 * The whole append runs inside Redis as one script, so the command-id checks, the head check and the XADDs cannot
 * interleave with another node's append. Events get explicit stream ids `<seq>-1`: the id is the seq, and a stray
 * XADD with a stale id would be rejected by Redis itself. Several commands go in one call (group commit): ARGV is
 * sessionId, expectedSeq, the number of probe ids and those ids, then per command its id, its event count and that
 * many (type, json) pairs. Replies {'duplicate', id1, seq1, id2, seq2, …} | {'conflict', head} | {'ok', seq1, seq2, …}.
 */
const APPEND_SCRIPT = `
local recorded = {'duplicate'}
local function check(id)
  local seq = redis.call('HGET', KEYS[2], id)
  if seq then
    recorded[#recorded + 1] = id
    recorded[#recorded + 1] = tonumber(seq)
  end
end
local probes = tonumber(ARGV[3])
for i = 4, 3 + probes do check(ARGV[i]) end
local starts = {}
local i = 4 + probes
while i <= #ARGV do
  starts[#starts + 1] = i
  check(ARGV[i])
  i = i + 2 + 2 * tonumber(ARGV[i + 1])
end
if #recorded > 1 then return recorded end
if #starts == 0 then return {'ok'} end
local expected = tonumber(ARGV[2])
local head = 0
local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
if #last > 0 then head = tonumber(string.match(last[1][1], '^(%d+)%-')) end
if head ~= expected then return {'conflict', head} end
local seq = expected
local reply = {'ok'}
for _, at in ipairs(starts) do
  for e = 1, tonumber(ARGV[at + 1]) do
    seq = seq + 1
    redis.call('XADD', KEYS[1], string.format('%d-1', seq), 'type', ARGV[at + 2 * e], 'event', ARGV[at + 2 * e + 1])
  end
  redis.call('HSET', KEYS[2], ARGV[at], seq)
  reply[#reply + 1] = seq
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
    probes: string[],
  ) {
    parser.pushKeys([keys.events, keys.commands, keys.sessions]);
    parser.push(sessionId, String(expectedSeq), String(probes.length), ...probes);
    for (const { commandId, events } of commands) {
      parser.push(commandId, String(events.length));
      for (const event of events) parser.push(event.type, toJson(event));
    }
  },
  transformReply(this: void, reply: unknown): AppendManyResult {
    if (!Array.isArray(reply)) throw new Error('unexpected append reply');
    const [outcome, ...rest] = reply as unknown[];
    if (outcome === 'ok' && rest.every((x) => typeof x === 'number'))
      return { ok: true, seqs: rest as number[] };
    if (outcome === 'conflict' && typeof rest[0] === 'number')
      return { ok: false, reason: 'conflict', headSeq: rest[0] };
    if (outcome === 'duplicate') {
      const recorded: Array<{ commandId: string; seq: number }> = [];
      for (let k = 0; k + 1 < rest.length; k += 2)
        recorded.push({ commandId: String(rest[k]), seq: Number(rest[k + 1]) });
      return { ok: false, reason: 'duplicate', recorded };
    }
    throw new Error(`unexpected append outcome ${String(outcome)}`);
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

/**
 * Appends one Yjs update unless the document is sealed, in one step: a seal (SET on KEYS[2]) made by any node is
 * seen by every append that runs after it. Replies 1 (appended) or 0 (sealed, nothing written).
 */
const APPEND_UPDATE_SCRIPT = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('RPUSH', KEYS[1], ARGV[1])
return 1
`;

export const appendUpdate = defineScript({
  SCRIPT: APPEND_UPDATE_SCRIPT,
  NUMBER_OF_KEYS: 2,
  parseCommand(parser: CommandParser, keys: { updates: string; sealed: string }, update: Buffer) {
    parser.pushKeys([keys.updates, keys.sealed]);
    parser.push(update);
  },
  transformReply(this: void, reply: unknown): boolean {
    return reply === 1;
  },
});

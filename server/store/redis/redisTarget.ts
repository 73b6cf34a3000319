/**
 * Where the app's Redis is: one server (REDIS_URL), or a primary found through Sentinel (REDIS_SENTINELS +
 * REDIS_MASTER_NAME), in which case every connection asks the sentinels for the current primary and moves to the new
 * one after a failover (node-redis' `createSentinel`). Every connection of the app — store, scale-out commands,
 * stream tailers, socket.io adapter, minutes relay, rate limiters — is made from one target, so all of them follow
 * the same primary.
 */
import { createSentinel, type RedisScripts } from 'redis';

export interface RedisNode {
  host: string;
  port: number;
}

export type RedisTarget =
  { kind: 'url'; url: string } | { kind: 'sentinel'; sentinels: RedisNode[]; masterName: string };

/**
 * A command acknowledged only once its events reached this many replicas (`WAIT replicas timeoutMs` after the
 * append). 0 turns it off (one Redis server: the AOF with `appendfsync always` is the promise).
 */
export interface ReplicationWait {
  replicas: number;
  timeoutMs: number;
}

export const NO_WAIT: ReplicationWait = { replicas: 0, timeoutMs: 0 };

/** A plain URL is a one-server target (tests and tools pass the URL of the redis-server they started). */
export function toTarget(target: RedisTarget | string): RedisTarget {
  return typeof target === 'string' ? { kind: 'url', url: target } : target;
}

/** `host:port,host:port` → nodes; throws on anything else (a typo must not start a node pointed nowhere). */
export function parseNodes(list: string): RedisNode[] {
  const nodes = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const at = item.lastIndexOf(':');
      const host = item.slice(0, at).replace(/^\[|\]$/g, '');
      const port = Number(item.slice(at + 1));
      if (at <= 0 || !host || !Number.isInteger(port) || port <= 0 || port > 65535)
        throw new Error(`REDIS_SENTINELS: "${item}" is not host:port`);
      return { host, port };
    });
  if (nodes.length === 0) throw new Error('REDIS_SENTINELS is empty');
  return nodes;
}

/** What a sentinel client takes besides the topology: the same as the plain client's options, split. */
export interface ConnectionOptions {
  RESP?: 2 | 3;
  scripts?: RedisScripts;
  commandOptions?: { timeout?: number };
  /** Options of each node connection (e.g. `commandsQueueMaxLength`). */
  node?: { commandsQueueMaxLength?: number };
}

/**
 * A connection to the target's primary: `plain(url)` for one server; for Sentinel, node-redis' sentinel client,
 * returned typed as the plain client. It offers the same command methods (and `duplicate`, `connect`, `close`,
 * `destroy`, `isReady`, `on`), and every caller here uses only those; the one method whose signature differs,
 * `sendCommand` (the sentinel's takes an `isReadonly` flag first), is adapted, so a library that calls it (the
 * socket.io adapter's PUBSUB) works on both. One master connection per sentinel client (`masterPoolSize` 1), so
 * commands sent one after the other run in that order on one connection — what `WAIT` after an append relies on.
 */
export function connectTo<C>(target: RedisTarget, options: ConnectionOptions, plain: (url: string) => C): C {
  if (target.kind === 'url') return plain(target.url);
  const sentinel = createSentinel({
    name: target.masterName,
    sentinelRootNodes: target.sentinels,
    masterPoolSize: 1,
    ...(options.RESP !== undefined ? { RESP: options.RESP } : {}),
    ...(options.scripts !== undefined ? { scripts: options.scripts } : {}),
    ...(options.commandOptions !== undefined ? { commandOptions: options.commandOptions } : {}),
    ...(options.node !== undefined ? { nodeClientOptions: options.node } : {}),
    // Passed on as 'error' events, so the callers' one error listener sees a lost primary too.
    passthroughClientErrorEvents: true,
  });
  return adaptSentinel(sentinel) as C;
}

/** The sentinel methods that differ from a plain client's. */
interface SentinelCalls {
  sendCommand(isReadonly: boolean | undefined, args: unknown, options?: unknown): unknown;
  duplicate(...overrides: unknown[]): object;
  destroy(): Promise<void>;
}

/** `sendCommand(args, options)` as on a plain client, on the sentinel and on its duplicates. */
function adaptSentinel(sentinel: object): object {
  const calls = sentinel as SentinelCalls;
  return new Proxy(sentinel, {
    get(target, property) {
      if (property === 'sendCommand')
        return (args: unknown, options?: unknown) => calls.sendCommand(false, args, options);
      // The plain client's older name for `destroy`, still called by the socket.io adapter when it closes.
      if (property === 'disconnect') return () => calls.destroy();
      if (property === 'duplicate')
        return (...overrides: unknown[]) => adaptSentinel(calls.duplicate(...overrides));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * Counts the primary changes a connection has gone through (Sentinel failovers); always 0 for one server. An append
 * whose `WAIT` ran after a change may have waited on the new primary for writes made on the old one: not trusted.
 */
export function primaryChanges(client: {
  on(event: string, listener: (event: unknown) => void): unknown;
}): () => number {
  let changes = 0;
  client.on('topology-change', (event) => {
    if (typeof event === 'object' && event !== null && 'type' in event && event.type === 'MASTER_CHANGE')
      changes++;
  });
  return () => changes;
}

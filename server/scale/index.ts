/**
 * Scale-out (REDIS_URL or REDIS_SENTINELS set): N nodes behind a load balancer share one Redis; any node serves any
 * client.
 *
 * How an event reaches every phone, whichever node decided it:
 *  - The event store is the only channel between nodes. A node appends to the session's stream (optimistic
 *    concurrency: the append fails when another node got there first, and SessionService catches up and decides
 *    again), so concurrent commands from two nodes are serialised by the store.
 *  - Every node tails the streams of the sessions it has loaded (SessionFollower over one blocking StreamTailer
 *    connection) and folds what other nodes appended into its cached state, through SessionService.refresh. The
 *    service hands every event — its own appends and the ones it caught up on — to its listeners once, in seq order.
 *  - The Fanout sends those events to *this node's* sockets only (`io.local`). Every node does the same for its own
 *    sockets, so each socket gets each event exactly once, in seq order, from the node it is connected to.
 *
 * Why not publish each event once through the socket.io adapter instead? Because the adapter's stream orders
 * messages by the time they were published, not by seq: a node that appended seq 11 could publish it before the node
 * that appended seq 10, and clients ignore a seq at or below their own — they would drop 10. And an event whose
 * node crashed between its append and its publish would reach nobody. The log itself has neither problem.
 *
 * The adapter (@socket.io/redis-streams-adapter) is still installed, so that `io.to(room)`, `disconnectSockets`,
 * `fetchSockets` and `serverSideEmit` work across nodes for whatever needs them (e.g. disconnecting a disabled
 * account everywhere). Websocket transport first means no sticky sessions; see docs/operations.md for polling.
 */
import type { EventStore } from '../store/EventStore.ts';
import { toTarget, type RedisTarget } from '../store/redis/redisTarget.ts';
import { createRedisMinutesRelay, type RedisMinutesRelay } from './minutesRelay.ts';
import { createRedisAdapter, type RedisAdapter } from './redisAdapter.ts';
import { createScaleClient, throttledErrors, type ScaleClient } from './redisClients.ts';
import { SessionFollower, type Refreshable } from './SessionFollower.ts';
import { StreamTailer } from './StreamTailer.ts';

export interface ScaleOut {
  /** socket.io's `adapter` option. */
  adapter: RedisAdapter['adapter'];
  /** Wraps the store given to the SessionService, so that every session it loads is followed. */
  watch(events: EventStore): EventStore;
  /** Starts refreshing the service's sessions when other nodes append to them. */
  attach(sessions: Refreshable): void;
  /** The minutes server's `relay` option: Yjs updates and presence between nodes, the template inserted once. */
  minutesRelay: RedisMinutesRelay;
  /** A general-purpose connection (rate limiter counts, small reads and writes); closed by `close`. */
  redis: ScaleClient;
  /** Sessions followed, and events other nodes appended that this node has not folded yet (metrics). */
  lag(): { sessions: number; eventsBehind: number };
  /** Call after `io.close()` and the minutes server's close, and before the store closes. */
  close(): Promise<void>;
}

export interface ScaleOutOptions {
  onError?: (err: unknown, context: string) => void;
  /** Seconds from the tailer showing another node's events to their being folded here (metrics). */
  onRefreshed?: (seconds: number) => void;
}

/** Every connection made here follows the target's primary (Sentinel failovers included): see redisTarget.ts. */
export async function startScaleOut(
  where: RedisTarget | string,
  options: ScaleOutOptions = {},
): Promise<ScaleOut> {
  const target = toTarget(where);
  const report = options.onError ?? (() => {});
  const commands = createScaleClient(target);
  commands.on(
    'error',
    throttledErrors((err) => report(err, 'redis (scale-out) connection error')),
  );
  await commands.connect();
  const reader = commands.duplicate();
  reader.on('error', () => {}); // the tailer reports its failed reads itself
  const tailer = await StreamTailer.start(reader, commands, {
    onError: throttledErrors((err) => report(err, 'reading session streams failed; retrying')),
  });
  const follower = new SessionFollower(tailer, {
    onError: report,
    ...(options.onRefreshed ? { onRefreshed: options.onRefreshed } : {}),
  });
  const adapter = await createRedisAdapter(target, {
    onError: throttledErrors((err) => report(err, 'redis (socket.io adapter) connection error')),
  });
  const minutesRelay = await createRedisMinutesRelay(target, {
    onError: (err) => report(err, 'minutes relay: redis error'),
  });
  return {
    adapter: adapter.adapter,
    watch: (events) => follower.watch(events),
    attach: (sessions) => follower.attach(sessions),
    minutesRelay,
    redis: commands,
    lag: () => ({ sessions: follower.size, eventsBehind: follower.eventsBehind }),
    async close() {
      follower.close();
      await tailer.close();
      await minutesRelay.close();
      await adapter.close();
      // With Redis unreachable, close() would wait for queued commands forever: we are going away anyway.
      if (commands.isReady) await commands.close();
      else commands.destroy();
    },
  };
}

/**
 * Two app nodes of one scale-out, for the tests of one describe block: in this process (each a full createApp) on a
 * fresh redis-server or on a primary with two replicas and three sentinels, or as child processes (to SIGKILL one).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { parseNodes, type RedisTarget } from '../../server/store/redis/redisTarget.ts';
import { startRedis, startRedisHA, type RedisHA, type RedisServer } from './redisServer.ts';
import { spawnNode, type NodeProcess } from './scaleCluster.ts';
import { startServer, type TestServer } from './server.ts';

export interface TwoNodes {
  a: TestServer;
  b: TestServer;
  redis: RedisServer;
}

export interface TwoNodeProcesses {
  a: NodeProcess;
  b: NodeProcess;
  redis: RedisServer;
  /** The auth secret both share: a node started again (`spawnNode(redis.url, authSecret, {}, port)`) needs it. */
  authSecret: string;
}

export interface TwoNodesOnSentinel {
  a: TestServer;
  b: TestServer;
  ha: RedisHA;
  /** Where a test reads Redis itself (the current primary, through the sentinels). */
  target: RedisTarget;
}

/**
 * Starts Redis and the two nodes (sharing the auth secret, as behind one load balancer) before the block's tests
 * and stops them after; read the nodes inside the tests (`const { a, b } = nodes`), they exist from `beforeAll` on.
 * `beforeStop` runs first when the block ends (close its clients).
 */
export function twoNodesOnRedis(beforeStop: () => void = () => {}): TwoNodes {
  const nodes = {} as TwoNodes;
  twoNodesOn(nodes, beforeStop, inProcess, async () => {
    nodes.redis = await startRedis();
    return { env: { REDIS_URL: nodes.redis.url }, stop: () => nodes.redis.stop() };
  });
  return nodes;
}

/** As `twoNodesOnRedis`, each node a child process (`node.kill('SIGKILL')` is a crash of the whole node). */
export function twoNodeProcessesOnRedis(beforeStop: () => void = () => {}): TwoNodeProcesses {
  const nodes = {} as TwoNodeProcesses;
  const processes: NodeStarter<NodeProcess> = {
    start: ({ AUTH_SECRET = '', ...redisEnv }) => {
      nodes.authSecret = AUTH_SECRET;
      return spawnNode(redisEnv, AUTH_SECRET);
    },
    stop: (node) => node.stop(),
  };
  twoNodesOn(nodes, beforeStop, processes, async () => {
    nodes.redis = await startRedis();
    return { env: { REDIS_URL: nodes.redis.url }, stop: () => nodes.redis.stop() };
  });
  return nodes;
}

/**
 * As `twoNodesOnRedis`, on Redis that survives losing its primary: the nodes find the primary through the sentinels
 * and acknowledge a command only once a replica has it (REDIS_WAIT_REPLICAS=1), as docs/operations.md sets it up.
 */
export function twoNodesOnSentinel(beforeStop: () => void = () => {}): TwoNodesOnSentinel {
  const nodes = {} as TwoNodesOnSentinel;
  twoNodesOn(nodes, beforeStop, inProcess, async () => {
    nodes.ha = await startRedisHA({ replicas: 2 });
    nodes.target = {
      kind: 'sentinel',
      sentinels: parseNodes(nodes.ha.sentinels),
      masterName: nodes.ha.masterName,
    };
    return {
      env: {
        REDIS_SENTINELS: nodes.ha.sentinels,
        REDIS_MASTER_NAME: nodes.ha.masterName,
        REDIS_WAIT_REPLICAS: '1',
      },
      stop: () => nodes.ha.stop(),
    };
  });
  return nodes;
}

interface NodeStarter<N> {
  start(env: Record<string, string>): Promise<N>;
  stop(node: N): Promise<void>;
}

const inProcess: NodeStarter<TestServer> = {
  start: (env) => startServer({ env }),
  stop: (node) => node.close(),
};

function twoNodesOn<N>(
  nodes: { a: N; b: N },
  beforeStop: () => void,
  starter: NodeStarter<N>,
  startRedisFor: () => Promise<{ env: Record<string, string>; stop: () => Promise<void> }>,
): void {
  let stopRedis: () => Promise<void> = async () => {};
  beforeAll(async () => {
    const redis = await startRedisFor();
    stopRedis = redis.stop;
    // The same auth secret on both, as behind one load balancer.
    const env = { ...redis.env, AUTH_SECRET: randomBytes(32).toString('base64url') };
    // One after the other: the first creates the admin account the second finds.
    nodes.a = await starter.start(env);
    nodes.b = await starter.start(env);
  }, 120_000);
  afterAll(async () => {
    beforeStop();
    if (nodes.a) await starter.stop(nodes.a);
    if (nodes.b) await starter.stop(nodes.b);
    await stopRedis();
  });
}

/**
 * Rate limiters shared by the adapters (login, join, code lookup, socket messages), from rate-limiter-flexible.
 * Embedded mode counts in this process; in scale-out the counts live in Redis, so a budget holds across every node
 * behind the load balancer rather than once per node. If Redis is unreachable, an in-memory limiter with the same
 * budget stands in (per node) rather than letting everything through or refusing everything.
 */
import {
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import type { ScaleClient } from '../scale/redisClients.ts';

export interface Budget {
  /** How many in `durationSec`. */
  points: number;
  durationSec: number;
  /** Once exhausted, refuse for this long (default: until the window ends). */
  blockSec?: number;
}

export type Limiter = RateLimiterAbstract;
export { RateLimiterRes };

export class RateLimits {
  readonly #redis: ScaleClient | null;

  constructor(redis: ScaleClient | null = null) {
    this.#redis = redis;
  }

  /** A limiter named `name` (its keys are prefixed with it, so limiters never share counts). */
  create(name: string, budget: Budget): Limiter {
    const opts = {
      keyPrefix: `rl:${name}`,
      points: budget.points,
      duration: budget.durationSec,
      ...(budget.blockSec ? { blockDuration: budget.blockSec } : {}),
    };
    if (!this.#redis) return new RateLimiterMemory(opts);
    return new RateLimiterRedis({
      ...opts,
      storeClient: this.#redis,
      useRedisPackage: true,
      insuranceLimiter: new RateLimiterMemory(opts),
    });
  }
}

/** True when `err` is the limiter's "no points left" answer (rather than a store failure). */
export const isLimited = (err: unknown): err is RateLimiterRes => err instanceof RateLimiterRes;

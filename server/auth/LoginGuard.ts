/**
 * Sign-in throttling as OWASP ASVS 4.0 L2 asks (V2.2.1): growing delays per account and per source address, and no
 * lockout an attacker can impose. Three budgets (server/config.ts, docs/security.md):
 *
 *  - one username from one address: a person's own typos; a success clears it;
 *  - one address, any usernames: one script trying many accounts (sized for a ward office behind one NAT);
 *  - one username, all addresses: guessing spread over many addresses. Addresses the account signed in from in the
 *    last two weeks skip this one, so such an attack slows strangers but never keeps the admin out of the office.
 *
 * An attempt is counted *before* the password is checked and refunded when it succeeds: a burst of parallel guesses
 * cannot slip through between the check and the count. Past a budget each attempt reserves the next wait (1 s, 1 s,
 * 2 s, 3 s, 5 s … up to the maximum, as express-brute does: gentle for a typo, steep for a script); the attempts in
 * that wait are refused as `rate_limited` without checking the password — also the right one, or the refusal
 * itself would tell a script which guess was right. The counts live in rate-limiter-flexible limiters
 * (server/limits/RateLimits.ts), in Redis in scale-out, so a budget holds across every node.
 */
import type { LoginBudgets } from '../config.ts';
import { isLimited, type Limiter, type RateLimits } from '../limits/RateLimits.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;
/**
 * How long an address stays "where this account signs in" after a successful sign-in: two weeks covers the gap
 * between two meeting days (the in-memory limiter's timers also cannot reach beyond 24 days).
 */
const KNOWN_ADDRESS_SEC = 14 * DAY;

export interface LoginLogger {
  warn(o: object, msg?: string): void;
}

/** 1, 1, 2, 3, 5, 8 … seconds (Fibonacci), the last one `maxSec`. */
export function delaySchedule(maxSec: number): number[] {
  const delays = [1];
  while ((delays.at(-1) ?? maxSec) < maxSec) delays.push((delays.at(-1) ?? 0) + (delays.at(-2) ?? 0));
  delays[delays.length - 1] = maxSec;
  return delays;
}

/** One kind of key: `free` attempts per window, then each attempt waits for the next delay of the schedule. */
class Backoff {
  readonly #free: Limiter;
  readonly #wait: Limiter;
  readonly #slowed: Limiter;
  readonly #delays: number[];

  constructor(limits: RateLimits, name: string, free: number, windowSec: number, delays: number[]) {
    this.#delays = delays;
    this.#free = limits.create(`${name}:free`, { points: free, durationSec: windowSec });
    // One point: whoever takes it goes ahead, everyone else waits until it expires (the wait's own length).
    this.#wait = limits.create(`${name}:wait`, { points: 1, durationSec: delays.at(-1) ?? 1 });
    this.#slowed = limits.create(`${name}:slowed`, { points: 1, durationSec: windowSec });
  }

  /** Counts the attempt and lets it through (null), or says how long to wait: `ms`, and whether the wait just began. */
  async attempt(key: string): Promise<{ ms: number; began: boolean } | null> {
    try {
      await this.#free.consume(key);
      return null;
    } catch (err) {
      if (!isLimited(err)) throw err;
    }
    const slowed = (await this.#slowed.get(key))?.consumedPoints ?? 0;
    const delay = this.#delays[Math.min(slowed, this.#delays.length - 1)] ?? 1;
    const wait = await this.#wait.penalty(key, 1, { customDuration: delay });
    if (wait.consumedPoints > 1) return { ms: wait.msBeforeNext, began: wait.consumedPoints === 2 };
    await this.#slowed.penalty(key);
    return null;
  }

  /** Gives the attempt back (a success is not a failure). */
  async refund(key: string): Promise<void> {
    await this.#free.reward(key, 1);
  }

  /** Forgets every count and wait of `key`. */
  async clear(key: string): Promise<void> {
    await Promise.all([this.#free.delete(key), this.#wait.delete(key), this.#slowed.delete(key)]);
  }
}

export class LoginGuard {
  readonly #accountAddress: Backoff;
  readonly #address: Backoff;
  readonly #account: Backoff;
  readonly #known: Limiter;
  readonly #logger: LoginLogger | undefined;

  constructor(limits: RateLimits, budgets: LoginBudgets, logger?: LoginLogger) {
    const delays = delaySchedule(budgets.maxDelaySec);
    this.#accountAddress = new Backoff(
      limits,
      'login-account-address',
      budgets.perAccountAddress,
      DAY,
      delays,
    );
    this.#address = new Backoff(limits, 'login-address', budgets.perAddress, HOUR, delays);
    this.#account = new Backoff(limits, 'login-account', budgets.perAccount, HOUR, delays);
    this.#known = limits.create('login-known', { points: 1, durationSec: KNOWN_ADDRESS_SEC });
    this.#logger = logger;
  }

  /**
   * Call before checking the password. Resolves null to go ahead (the attempt is counted as a failure until
   * `succeeded`), or the number of seconds to wait, ≥ 1. The most specific budget is asked first, so a script that
   * hammers one account from the office's address slows that account there, not every colleague behind the NAT.
   */
  async admit(username: string, address: string): Promise<number | null> {
    const account = accountKey(username);
    const pair = `${account}|${address}`;
    const known = (await this.#known.get(pair)) !== null;
    const checks: Array<[Backoff, string, string]> = [
      [this.#accountAddress, pair, 'account and address'],
      ...(known ? [] : ([[this.#account, account, 'account']] as Array<[Backoff, string, string]>)),
      [this.#address, address, 'address'],
    ];
    for (const [backoff, key, budget] of checks) {
      const wait = await backoff.attempt(key);
      if (!wait) continue;
      // Once per wait, not once per refused attempt: 10,000 guesses must not become 10,000 log lines.
      if (wait.began) this.#logger?.warn({ username, address, budget, waitMs: wait.ms }, 'sign-in throttled');
      return Math.max(1, Math.ceil(wait.ms / 1000));
    }
    return null;
  }

  /** The password was right: this account's delays at this address end, and the address becomes a known one. */
  async succeeded(username: string, address: string): Promise<void> {
    const account = accountKey(username);
    const pair = `${account}|${address}`;
    // A known address was not counted against the account (see admit), so there is nothing to give back.
    const known = (await this.#known.get(pair)) !== null;
    await Promise.all([
      this.#accountAddress.clear(pair),
      known ? null : this.#account.refund(account),
      this.#address.refund(address),
      this.#known.set(pair, 1, KNOWN_ADDRESS_SEC),
    ]);
  }
}

/** Usernames are stored in lower case; a guess in capitals must count against the same budget. */
const accountKey = (username: string) => username.trim().toLowerCase();

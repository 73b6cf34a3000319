/**
 * What joining may cost one source address (server/limits/clientAddress.ts): the budgets of `POST /api/join`,
 * `GET /api/join/:code` and the join QR. Defaults and the reasoning behind them: server/config.ts and
 * docs/security.md ("Attendee identity and join budgets").
 *
 * - Minting a NEW identity is the limited resource: per-identity limits (commands per participant) mean nothing if
 *   identities are free. A burst budget lets a whole hall behind one public address join at once; a daily budget
 *   stops one script from minting thousands over a day.
 * - A join that presents the secret of an identity that exists (a retry after a lost reply, a reload, an expired
 *   token) creates nothing: it has its own, generous budget and never eats into the hall's.
 * - Looking up a code: right codes are cheap and generously budgeted; wrong codes are guesses and strictly budgeted.
 *   An address out of guesses is refused every lookup, right codes included, until its window ends — otherwise the
 *   refusals themselves would tell a right code from a wrong one.
 *
 * A refusal is `rate_limited` with `params.retryAfterSec` (seconds), which the REST error handler turns into a
 * `Retry-After` header. The first refusal of an address in a window is reported (`onRefused`, logged by the router):
 * an operator sees a hall that outgrew its budget, or a script, once per window rather than once per request.
 */
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { isLimited, type Budget, type Limiter, type RateLimiterRes, type RateLimits } from './RateLimits.ts';
import { clientAddress } from './clientAddress.ts';

export interface JoinBudgetConfig {
  /** New identities per address per window (the hall's burst). */
  newIdentity: Budget;
  /** New identities per address per day. */
  newIdentityDaily: Budget;
  /** Joins as an existing identity (the device secret of a known participant) per address. */
  rejoin: Budget;
  /** Lookups of a right code (join page, join, QR) per address. */
  codeLookup: Budget;
  /** Lookups of a wrong code per address. */
  codeGuess: Budget;
}

/** Which budget refused whom (the address key, never anything the request carried). */
export type RefusalListener = (budget: string, address: string, retryAfterSec: number) => void;

export class JoinBudgets {
  readonly #onRefused: RefusalListener;
  readonly #newIdentity: Limiter;
  readonly #newIdentityDaily: Limiter;
  readonly #rejoin: Limiter;
  readonly #lookup: Limiter;
  readonly #guess: Limiter;

  constructor(limits: RateLimits, budgets: JoinBudgetConfig, onRefused: RefusalListener = () => {}) {
    this.#onRefused = onRefused;
    this.#newIdentity = limits.create('join-new', budgets.newIdentity);
    this.#newIdentityDaily = limits.create('join-new-day', budgets.newIdentityDaily);
    this.#rejoin = limits.create('join-again', budgets.rejoin);
    this.#lookup = limits.create('join-code', budgets.codeLookup);
    this.#guess = limits.create('join-guess', budgets.codeGuess);
  }

  /**
   * Resolves a join code for a request from `address` (`find` answers null for a wrong code) and counts it: a right
   * code against the lookup budget, a wrong one against the guess budget. Throws `rate_limited` when over either.
   */
  async lookUp<T>(address: string | undefined, find: () => Promise<T | null>): Promise<T | null> {
    const key = clientAddress(address);
    const guessed = await this.#guess.get(key);
    if (guessed && guessed.consumedPoints >= this.#guess.points) throw refusal(guessed);
    const found = await find();
    await this.#take(found === null ? this.#guess : this.#lookup, key);
    return found;
  }

  /** A new identity is about to be made for a request from `address`. */
  async mint(address: string | undefined): Promise<void> {
    const key = clientAddress(address);
    await this.#take(this.#newIdentity, key);
    await this.#take(this.#newIdentityDaily, key);
  }

  /** An existing identity joins again from `address`. */
  async rejoin(address: string | undefined): Promise<void> {
    await this.#take(this.#rejoin, clientAddress(address));
  }

  async #take(limiter: Limiter, key: string): Promise<void> {
    try {
      await limiter.consume(key);
    } catch (err) {
      if (!isLimited(err)) throw err;
      const refused = refusal(err);
      if (err.consumedPoints === limiter.points + 1)
        this.#onRefused(limiter.keyPrefix.replace(/^rl:/, ''), key, Number(refused.params?.retryAfterSec));
      throw refused;
    }
  }
}

const refusal = (res: RateLimiterRes) =>
  new AppError('rate_limited', 'too many joins from this address; try again later', {
    retryAfterSec: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
  });

const perApp = new WeakMap<AppContext, JoinBudgets>();

/**
 * The app's one set of join budgets: every route that looks up a join code (the join, the join page, the QR and
 * the printed link) must count against the same limiters, or each route would be a budget of its own.
 */
export function joinBudgetsOf(ctx: AppContext): JoinBudgets {
  let budgets = perApp.get(ctx);
  if (!budgets) {
    budgets = new JoinBudgets(ctx.limits, ctx.config.joinBudgets, (budget, address, retryAfterSec) =>
      ctx.logger.warn({ budget, address, retryAfterSec }, 'join budget used up for an address'),
    );
    perApp.set(ctx, budgets);
  }
  return budgets;
}

/**
 * How many syncs a socket, a participant (or screen) and a staff account may send per 10 s. A sync with `since: 0`
 * is the dearest request there is (a whole projected session), and nothing but a misbehaving client sends many: the
 * SPA syncs once per (re)connect and after an ack whose events did not come. Per socket, so one socket cannot use
 * a whole identity's budget; per identity, so opening more sockets (or reaching other nodes: the identity's count
 * lives in Redis in scale-out) does not multiply it.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { isStaffRole } from '../../shared/domain/roles.ts';
import type { Claims } from '../auth/tokens.ts';
import { isLimited, type Limiter, type RateLimits } from '../limits/RateLimits.ts';

export interface SyncBudgets {
  perSocket: number;
  perParticipant: number;
  perStaff: number;
}

const WINDOW_SEC = 10;

export class SyncBudget {
  /** A socket lives on one node: its count stays in this process. */
  readonly #perSocket: Limiter;
  readonly #perParticipant: Limiter;
  readonly #perStaff: Limiter;

  constructor(limits: RateLimits, budgets: SyncBudgets) {
    this.#perSocket = new RateLimiterMemory({ points: budgets.perSocket, duration: WINDOW_SEC });
    this.#perParticipant = limits.create('sync-participant', {
      points: budgets.perParticipant,
      durationSec: WINDOW_SEC,
    });
    this.#perStaff = limits.create('sync-staff', { points: budgets.perStaff, durationSec: WINDOW_SEC });
  }

  /** Takes one sync from the socket's and the identity's budgets; false when either is spent. */
  async take(socketId: string, claims: Claims): Promise<boolean> {
    try {
      await this.#perSocket.consume(socketId);
      await (isStaffRole(claims.role) ? this.#perStaff : this.#perParticipant).consume(claims.sub);
      return true;
    } catch (err) {
      if (isLimited(err)) return false;
      throw err;
    }
  }
}

import type { Logger } from 'pino';
import type { AccountWatch } from './auth/AccountWatch.ts';
import type { Config } from './config.ts';
import type { UserService } from './auth/UserService.ts';
import type { Tokens } from './auth/tokens.ts';
import type { ContactBook } from './replies/ContactBook.ts';
import type { RateLimits } from './limits/RateLimits.ts';
import type { SessionService } from './sessions/SessionService.ts';
import type { Store } from './store/EventStore.ts';
import type { WardService } from './ward/WardService.ts';

/** What the HTTP and realtime adapters are given: the services, never each other. */
export interface AppContext {
  config: Config;
  store: Store;
  sessions: SessionService;
  users: UserService;
  ward: WardService;
  tokens: Tokens;
  /** Rate limiters (in Redis in scale-out, so budgets hold across nodes). */
  limits: RateLimits;
  /** Open connections of staff accounts on this node, closed when the account changes. */
  accounts: AccountWatch;
  logger: Logger;
  /** Askers' contacts for written replies, outside the event log (only the office reads them). */
  contacts: ContactBook;
}

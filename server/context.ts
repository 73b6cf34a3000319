import type { Logger } from 'pino';
import type { Config } from './config.ts';
import type { UserService } from './auth/UserService.ts';
import type { Tokens } from './auth/tokens.ts';
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
  logger: Logger;
}

/**
 * A real HTTP server with the minutes endpoint on the SQLite store, for the integration tests (in process) and for
 * the restart tests (as a child process, see minutesServer.ts). Authorisation is the trivial table of the tests:
 * 'w1', 'w2' write, 'r' reads, 'att' is an attendee (4403), anything else is a bad token (4401). Sessions whose id
 * starts with "locked-" are approved (read-only for all).
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketIoServer } from 'socket.io';
import type { Store } from '../../server/store/EventStore.ts';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { createMinutesServer } from '../../server/minutes/MinutesServer.ts';
import type { MinutesServerHandle } from '../../server/minutes/MinutesServer.ts';
import type { MinutesAccess, MinutesServerOptions } from '../../server/minutes/types.ts';
import { minutesContext } from './minutesFixtures.ts';

export interface MinutesTestServer {
  port: number;
  /** Base URL for WebsocketProvider: ws://127.0.0.1:<port>/yjs */
  url: string;
  http: Server;
  store: Store;
  minutes: MinutesServerHandle;
  io: SocketIoServer | null;
  authorizeCalls: Array<{ sessionId: string; token: string | null }>;
  close(): Promise<void>;
}

export interface MinutesTestServerOptions {
  dataDir: string;
  port?: number;
  /** Also attach socket.io (with its default destroyUpgrade) to check the two coexist. */
  socketIo?: boolean;
  options?: Partial<MinutesServerOptions>;
}

export function testAuthorize(token: string | null): MinutesAccess | number {
  if (token === 'w1' || token === 'w2') return 'write';
  if (token === 'r') return 'read';
  if (token === 'att') return 4403;
  return 4401;
}

export async function startMinutesTestServer(config: MinutesTestServerOptions): Promise<MinutesTestServer> {
  const store = openSqliteStore(config.dataDir);
  const http = createServer((_req, res) => {
    res.statusCode = 404;
    res.end();
  });
  const authorizeCalls: MinutesTestServer['authorizeCalls'] = [];
  const minutes = createMinutesServer(http, {
    ydocs: store.ydocs,
    authorize: async (sessionId, token) => {
      authorizeCalls.push({ sessionId, token });
      return testAuthorize(token);
    },
    context: async () => minutesContext,
    isLocked: (sessionId) => sessionId.startsWith('locked-'),
    ...config.options,
  });
  const io = config.socketIo ? new SocketIoServer(http) : null;
  await new Promise<void>((resolve) => http.listen(config.port ?? 0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    port,
    url: `ws://127.0.0.1:${port}/yjs`,
    http,
    store,
    minutes,
    io,
    authorizeCalls,
    async close() {
      await minutes.close();
      if (io) await new Promise<void>((resolve) => io.close(() => resolve()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await store.close();
    },
  };
}

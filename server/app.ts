/**
 * createApp(config): wires the store, the services and the adapters (REST, socket.io, minutes) on one HTTP
 * server. Used by server/main.ts and by every integration test alike.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Server as IoServer } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/protocol.ts';
import { UserService } from './auth/UserService.ts';
import { Tokens } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { apiRouter } from './http/api.ts';
import { authenticate } from './http/auth.ts';
import { attachMinutes, minutesRouter } from './http/minutes.ts';
import { officeRouter } from './http/office.ts';
import type { MinutesServerHandle } from './minutes/index.ts';
import { HttpError, httpStatus } from './http/errors.ts';
import { staticRouter } from './http/static.ts';
import { createLogger } from './log.ts';
import { Fanout } from './realtime/Fanout.ts';
import { attachGateway } from './realtime/gateway.ts';
import { startScaleOut } from './scale/index.ts';
import { SessionService } from './sessions/SessionService.ts';
import { openStore } from './store/open.ts';
import { WardService } from './ward/WardService.ts';

export interface App {
  ctx: AppContext;
  http: HttpServer;
  io: IoServer<ClientToServerEvents, ServerToClientEvents>;
  /** Starts listening; resolves with the bound port. */
  listen(): Promise<number>;
  /** Graceful: stops accepting, finishes the commands in flight, flushes events and minutes, closes the store. */
  close(): Promise<void>;
}

/** Largest socket.io message accepted (a paper form with many questions fits; anything bigger is dropped). */
const MAX_MESSAGE_BYTES = 64 * 1024;

export async function createApp(config: Config): Promise<App> {
  const logger = createLogger(config.logLevel);
  mkdirSync(config.dataDir, { recursive: true });
  const store = await openStore(config, (err) => logger.error({ err }, 'store connection error'));
  const secret = config.authSecret ?? (await sharedSecret(store.docs));
  const users = new UserService(store.docs);
  const { generated } = await users.bootstrapAdmin(config.adminPassword);
  if (generated) {
    const file = join(config.dataDir, 'admin-password.txt');
    writeFileSync(file, `${generated}\n`, { mode: 0o600 });
    // Printed once, on the start that created the account; it stays in DATA_DIR for the operator.
    logger.warn({ username: 'admin', file }, `generated admin password: ${generated}`);
  }
  // Scale-out: the socket.io adapter, and the following of what other nodes append (see server/scale/index.ts).
  const scale = config.redisUrl
    ? await startScaleOut(config.redisUrl, { onError: (err, what) => logger.error({ err }, what) })
    : null;
  const sessions = new SessionService(scale ? scale.watch(store.events) : store.events, {
    onError: (err, what) => logger.error({ err }, what),
  });
  const ctx: AppContext = {
    config,
    store,
    sessions,
    users,
    ward: new WardService(store.docs),
    tokens: new Tokens(secret),
    logger,
  };

  const web = express();
  web.disable('x-powered-by');
  web.set('trust proxy', 'loopback');
  web.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Editor and component libraries set inline styles; scripts stay strict.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          // The hall often runs on plain HTTP over a local network: never force https.
          upgradeInsecureRequests: null,
        },
      },
      strictTransportSecurity: false,
    }),
  );
  web.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  let minutes: MinutesServerHandle | null = null;
  const minutesHandle = () => {
    if (!minutes) throw new HttpError('internal', 'minutes not ready');
    return minutes;
  };
  web.use(
    '/api',
    express.json({ limit: '256kb' }),
    apiRouter(ctx),
    officeRouter(ctx),
    minutesRouter(ctx, minutesHandle),
  );
  web.use('/api', (_req, _res, next) => next(new HttpError('not_found', 'no such API')));
  web.use(staticRouter(config.clientDir));
  web.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof HttpError) {
      res.status(httpStatus(err.code)).json({
        ok: false,
        code: err.code,
        message: err.message,
        ...(err.params ? { params: err.params } : {}),
      });
      return;
    }
    const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 500;
    if (status >= 500) logger.error({ err }, 'request failed');
    const code = status === 413 ? 'too_large' : status < 500 ? 'bad_request' : 'internal';
    res
      .status(status)
      .json({ ok: false, code, message: code === 'internal' ? 'internal error' : 'bad request' });
  });

  const http = createServer(web);
  const io = new IoServer<ClientToServerEvents, ServerToClientEvents>(http, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    // The minutes endpoint shares this server: engine.io must leave foreign upgrades alone.
    destroyUpgrade: false,
    ...(scale ? { adapter: scale.adapter } : {}),
  });
  const fanout = new Fanout(io);
  sessions.onEvents((sessionId, events) => fanout.publish(sessionId, events));
  scale?.attach(sessions);
  attachGateway(io, { sessions, authenticate: (token) => authenticate(ctx, token), logger });
  minutes = attachMinutes(ctx, http, scale?.minutesRelay);

  let closing: Promise<void> | null = null;
  return {
    ctx,
    http,
    io,
    listen: () =>
      new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(config.port, config.host, () => resolve((http.address() as AddressInfo).port));
      }),
    close: () =>
      (closing ??= (async () => {
        http.close();
        await sessions.drain();
        fanout.flush();
        await io.close();
        await minutes?.close();
        await scale?.close();
        await store.close();
      })()),
  };
}

/** The token-signing key: from the store, created once by whichever node starts first. */
async function sharedSecret(docs: AppContext['store']['docs']): Promise<string> {
  await docs.put('config', 'authSecret', randomBytes(32).toString('base64url'), { onlyIfAbsent: true });
  const secret = await docs.get<string>('config', 'authSecret');
  if (!secret) throw new Error('no auth secret');
  return secret;
}

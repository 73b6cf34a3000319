/**
 * createApp(config): wires the store, the services and the adapters (REST, socket.io, minutes) on one HTTP
 * server. Used by server/main.ts and by every integration test alike.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { Server as IoServer } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../shared/protocol.ts';
import { AccountWatch, localAccountChanges } from './auth/AccountWatch.ts';
import { storedAuthSecret } from './auth/authSecret.ts';
import { UserService } from './auth/UserService.ts';
import { Tokens } from './auth/tokens.ts';
import type { Config } from './config.ts';
import type { AppContext } from './context.ts';
import { apiRouter } from './http/api.ts';
import { authenticate } from './http/auth.ts';
import { attachMinutes, followSessionInMinutes, minutesRouter } from './http/minutes.ts';
import { officeRouter } from './http/office.ts';
import { invitationsRouter } from './http/invitations.ts';
import { repliesRouter } from './http/replies.ts';
import { reportFilesRouter } from './http/reportFiles.ts';
import { ContactBook } from './replies/ContactBook.ts';
import { screensRouter } from './http/screens.ts';
import { addressesRouter } from './http/addresses.ts';
import type { MinutesServerHandle } from './minutes/index.ts';
import { AppError } from './errors.ts';
import { httpStatus } from './http/errors.ts';
import { staticRouter } from './http/static.ts';
import { createLogger } from './log.ts';
import { Fanout } from './realtime/Fanout.ts';
import { attachGateway } from './realtime/gateway.ts';
import { rawJsonParser } from './realtime/rawJson.ts';
import { Metrics, mayReadMetrics } from './metrics.ts';
import { createRedisAccountChanges } from './scale/accountChanges.ts';
import { startScaleOut } from './scale/index.ts';
import { SessionService } from './sessions/SessionService.ts';
import { openStore } from './store/open.ts';
import { ADMIN_PASSWORD_FILE, ensurePrivateDir, writePrivateFile } from './store/privateFiles.ts';
import { WardService } from './ward/WardService.ts';
import { RateLimits } from './limits/RateLimits.ts';

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
  const tightened = ensurePrivateDir(config.dataDir);
  if (tightened) logger.warn({ dataDir: config.dataDir }, 'DATA_DIR was readable by others: now owner only');
  const store = await openStore(config, (err) => logger.error({ err }, 'store connection error'));
  const secret = config.authSecret ?? (await storedAuthSecret(store.docs));
  const users = new UserService(store.docs);
  const { generated } = await users.bootstrapAdmin(config.adminPassword);
  if (generated) {
    const file = join(config.dataDir, ADMIN_PASSWORD_FILE);
    writePrivateFile(file, `${generated}\n`);
    // Never the password itself: logs are shipped, kept and read by more people than DATA_DIR.
    logger.warn({ username: 'admin', file }, `generated a password for admin: read it in ${file}`);
  }
  // Scale-out: the socket.io adapter, and the following of what other nodes append (see server/scale/index.ts).
  const metrics = new Metrics();
  const scale = config.redis
    ? await startScaleOut(config.redis, {
        onError: (err, what) => logger.error({ err }, what),
        onRefreshed: (seconds) => metrics.tailerRefreshSeconds.observe(seconds),
      })
    : null;
  // Authority follows the account: a change made on any node closes the account's connections on every node.
  const accounts = new AccountWatch({
    lookup: async (username) => (await users.account(username))?.version ?? null,
    logger,
  });
  const accountChanges = scale
    ? await createRedisAccountChanges(scale.redis, (err) =>
        logger.error({ err }, 'account changes: redis error'),
      )
    : localAccountChanges();
  accountChanges.subscribe((username, version) => accounts.changed(username, version));
  users.onAuthorityChange(async (username, version) => {
    accounts.changed(username, version);
    await accountChanges.publish(username, version);
  });
  if (scale) metrics.tailerGauges(() => scale.lag());
  const events = metrics.timedEvents(store.events);
  const sessions = new SessionService(scale ? scale.watch(events) : events, {
    sharedStore: scale !== null,
    onError: (err, what) => logger.error({ err }, what),
  });
  const ctx: AppContext = {
    config,
    store,
    sessions,
    users,
    ward: new WardService(store.docs),
    tokens: new Tokens(secret),
    limits: new RateLimits(scale?.redis ?? null),
    accounts,
    logger,
    contacts: new ContactBook(store.docs, config.contactRetentionDays),
  };
  // Contacts whose retention ran out are erased at start and every hour (on every node: erasing twice is harmless).
  const purgeContacts = () =>
    ctx.contacts
      .purge(Date.now(), (id) => sessions.state(id))
      .then(
        (erased) => erased > 0 && logger.info({ erased }, 'contacts past their retention erased'),
        (err: unknown) => logger.error({ err }, 'erasing contacts failed'),
      );
  void purgeContacts();
  const contactPurge = setInterval(() => void purgeContacts(), 3_600_000);
  contactPurge.unref();

  const web = express();
  web.disable('x-powered-by');
  // Whose X-Forwarded-For names the client (the address the join budgets count): TRUST_PROXY, server/config.ts.
  web.set('trust proxy', config.trustProxy);
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
          // No plugins: this is why a PDF report page is drawn with pdf.js, not the browser's PDF viewer (a plugin
          // in Chromium). pdf.js's worker is a script file of this origin, so script-src 'self' already allows it
          // and no worker-src is needed; it reads the file's bytes, not a blob: URL connect-src would refuse.
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
  // Who may read it: docs/operations.md ("Metrics").
  web.get('/metrics', async (req, res) => {
    if (!mayReadMetrics(req, config.metricsToken)) throw new AppError('forbidden', 'metrics are not public');
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  let minutes: MinutesServerHandle | null = null;
  const minutesHandle = () => {
    if (!minutes) throw new AppError('internal', 'minutes not ready');
    return minutes;
  };
  web.use(
    '/api',
    express.json({ limit: '256kb' }),
    apiRouter(ctx),
    screensRouter(ctx),
    addressesRouter(ctx),
    officeRouter(ctx),
    invitationsRouter(ctx),
    repliesRouter(ctx),
    reportFilesRouter(ctx),
    minutesRouter(ctx, minutesHandle),
  );
  web.use('/api', (_req, _res, next) => next(new AppError('not_found', 'no such API')));
  web.use(staticRouter(config.clientDir));
  web.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof AppError) {
      // Any budget's refusal carries its wait (server/limits): as the header clients and proxies understand.
      const retryAfter = err.params?.retryAfterSec;
      if (err.code === 'rate_limited' && typeof retryAfter === 'number')
        res.set('Retry-After', String(retryAfter));
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
    // socket.io's parser, writing cached sync snapshots as the JSON text they already are.
    parser: rawJsonParser,
    // The minutes endpoint shares this server: engine.io must leave foreign upgrades alone.
    destroyUpgrade: false,
    ...(scale ? { adapter: scale.adapter } : {}),
  });
  const fanout = new Fanout(io, undefined, undefined, (seconds) => metrics.fanoutLagSeconds.observe(seconds));
  sessions.onEvents((sessionId, events) => fanout.publish(sessionId, events));
  scale?.attach(sessions);
  const gateway = attachGateway(io, {
    sessions,
    authenticate: (token) => authenticate(ctx, token),
    limits: ctx.limits,
    socketLimits: config.sockets,
    metrics,
    accounts,
    logger,
  });
  minutes = attachMinutes(ctx, http, scale?.minutesRelay);
  followSessionInMinutes(ctx, () => minutes ?? undefined);
  metrics.minutesGauges(() => minutes?.stats() ?? null);

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
        clearInterval(contactPurge);
        await sessions.drain();
        fanout.flush();
        gateway.close();
        await io.close();
        await minutes?.close();
        accounts.close();
        await accountChanges.close();
        await scale?.close();
        await store.close();
      })()),
  };
}

/**
 * The socket.io adapter: authenticate the handshake, parse and authorise each message, hand commands to the
 * SessionService, answer sync requests with the audience's projection. Nothing else happens here.
 */
import type { Server, Socket } from 'socket.io';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CLIENT_COMMAND_TYPES, ClientCommandSchema } from '../../shared/domain/commands.ts';
import type { Viewer } from '../../shared/domain/projection.ts';
import { isStaffRole } from '../../shared/domain/roles.ts';
import type { Actor } from '../../shared/domain/types.ts';
import {
  SyncRequestSchema,
  type Ack,
  type ClientToServerEvents,
  type Failure,
  type ServerToClientEvents,
  type SyncReply,
} from '../../shared/protocol.ts';
import type { AccountWatch } from '../auth/AccountWatch.ts';
import type { Claims } from '../auth/tokens.ts';
import type { SocketLimits } from '../config.ts';
import type { RateLimits } from '../limits/RateLimits.ts';
import type { Metrics, SyncOutcome } from '../metrics.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import { project } from './Fanout.ts';
import { onTheWire } from './rawJson.ts';
import { rooms } from './rooms.ts';
import { SnapshotCache } from './SnapshotCache.ts';
import { SocketGuard } from './SocketGuard.ts';
import { SyncBudget } from './SyncBudget.ts';
import { zodFailure } from '../errors.ts';

interface SocketData {
  claims: Claims;
  actor: Actor;
}
type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type DbSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface GatewayOptions {
  sessions: SessionService;
  /** Verifies a handshake token (including that a staff account is still enabled). */
  authenticate(token: unknown): Promise<Claims | null>;
  /** Staff sockets are closed when their account changes, and refused commands from then on (AccountWatch). */
  accounts?: Pick<AccountWatch, 'track' | 'isCurrent' | 'verify'>;
  /** Beyond this many missed events a client gets a fresh snapshot instead of the events (default 500). */
  maxCatchUpEvents?: number;
  /** Commands per participant per 10 s before `rate_limited` (default 40; staff 200). */
  attendeeRate?: number;
  /** Sync budgets, in-flight and output caps (config.sockets). */
  socketLimits: SocketLimits;
  limits: RateLimits;
  metrics: Metrics;
  logger?: { warn(o: object, msg?: string): void; error(o: object, msg?: string): void };
}

export interface Gateway {
  /** Stops the output watchdog (the sockets themselves close with the socket.io server). */
  close(): void;
}

const SYNC_RATE_LIMITED: Failure = {
  ok: false,
  code: 'rate_limited',
  message: 'too many syncs; wait a moment',
};
const KNOWN_COMMANDS: ReadonlySet<string> = new Set(CLIENT_COMMAND_TYPES);

export function attachGateway(io: Io, options: GatewayOptions): Gateway {
  const { sessions, metrics, socketLimits } = options;
  const maxCatchUp = options.maxCatchUpEvents ?? 500;
  const attendeeLimiter = new RateLimiterMemory({ points: options.attendeeRate ?? 40, duration: 10 });
  const staffLimiter = new RateLimiterMemory({ points: 200, duration: 10 });
  const syncBudget = new SyncBudget(options.limits, {
    perSocket: socketLimits.syncPerSocket,
    perParticipant: socketLimits.syncPerParticipant,
    perStaff: socketLimits.syncPerStaff,
  });
  const snapshots = new SnapshotCache({
    onBuild: (audience) => metrics.snapshotBuilds.inc({ audience }),
  });
  const guard = new SocketGuard({
    maxInFlight: socketLimits.maxInFlight,
    maxBufferedBytes: socketLimits.maxBufferedBytes,
    slowBufferedBytes: socketLimits.slowBufferedBytes,
    slowMs: socketLimits.slowSeconds * 1000,
    onDrop: (reason, socket, detail) => {
      metrics.socketsDropped.inc({ reason });
      options.logger?.warn(
        { reason, ...detail, role: (socket.data as Partial<SocketData>).claims?.role },
        'socket dropped',
      );
    },
  });
  metrics.socketsGauge(() => guard.count());

  io.use(async (socket, next) => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null && 'token' in auth ? auth.token : undefined;
    const claims = await options.authenticate(token);
    if (!claims) return next(new Error('unauthorized'));
    socket.data.claims = claims;
    socket.data.actor = {
      role: claims.role,
      id: claims.sub,
      ...(claims.name ? { name: claims.name } : {}),
      ...(claims.fieldIds ? { fieldIds: claims.fieldIds } : {}),
    };
    next();
  });

  io.on('connection', (socket: DbSocket) => {
    guard.watch(socket, viewerOf(socket.data.claims).audience);
    const { claims } = socket.data;
    if (options.accounts && isStaffRole(claims.role)) {
      // The client reconnects after a server-side close, and its old token is then refused: "sign in again".
      const untrack = options.accounts.track(claims.sub, claims.ver ?? 0, () => socket.disconnect(true));
      socket.once('disconnect', untrack);
    }
    socket.on('time', (ack) => {
      if (typeof ack === 'function') ack(Date.now());
    });

    socket.on('command', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      const timer = metrics.ackSeconds.startTimer();
      let reply: Ack;
      try {
        reply = await handleCommand(socket, raw);
      } catch (err) {
        options.logger?.error({ err }, 'command failed');
        reply = { ok: false, code: 'internal', message: 'internal error' };
      }
      timer();
      metrics.commands.inc({ type: commandType(raw), result: reply.ok ? 'ok' : reply.code });
      ack(reply);
    });

    socket.on('sync', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      let reply: SyncReply;
      try {
        reply = await handleSync(socket, raw);
      } catch (err) {
        options.logger?.error({ err }, 'sync failed');
        reply = { ok: false, code: 'internal', message: 'internal error' };
      }
      metrics.syncs.inc({ outcome: syncOutcome(reply) });
      ack(reply);
    });
  });

  /**
   * Staff: the account has not changed since the socket connected — asked of the store on every message, not only of
   * the announcements, so that nothing sent in the moment an announcement travels between nodes gets through.
   */
  async function stillAuthorised(claims: Claims): Promise<boolean> {
    if (!options.accounts || !isStaffRole(claims.role)) return true;
    return options.accounts.verify(claims.sub, claims.ver ?? 0);
  }

  async function handleCommand(socket: DbSocket, raw: unknown): Promise<Ack> {
    const parsed = ClientCommandSchema.safeParse(raw);
    if (!parsed.success) return zodFailure(parsed.error, raw);
    const command = parsed.data;
    const { claims, actor } = socket.data;
    if (!(await stillAuthorised(claims))) return REVOKED;
    const scoped = scope(claims, command.sessionId);
    if (scoped) return scoped;
    const limiter = isStaffRole(actor.role) ? staffLimiter : attendeeLimiter;
    try {
      await limiter.consume(actor.id);
    } catch {
      return { ok: false, code: 'rate_limited', message: 'too many actions; wait a moment' };
    }
    return sessions.dispatch(command, actor);
  }

  async function handleSync(socket: DbSocket, raw: unknown): Promise<SyncReply> {
    const parsed = SyncRequestSchema.safeParse(raw);
    if (!parsed.success) return zodFailure(parsed.error, raw);
    const { sessionId, since } = parsed.data;
    const { claims } = socket.data;
    if (!(await stillAuthorised(claims))) return REVOKED;
    const scoped = scope(claims, sessionId);
    if (scoped) return scoped;
    if (!(await syncBudget.take(socket.id, claims))) return SYNC_RATE_LIMITED;
    const viewer = viewerOf(claims);
    // At least the session's head as of now, on whichever node wrote it (read-your-writes): a client that holds an
    // acknowledged seq never gets a state older than it. A `since` still above it means the store lost events the
    // client saw (restored from a backup): the store is the truth, and the snapshot below resets the client to it.
    const view = await sessions.catchUp(sessionId, since);
    if (!view) return { ok: false, code: 'not_found', message: 'no such session' };
    // Join the rooms in the tick the state was read: every event not in this reply is pushed after it.
    for (const room of roomsFor(sessionId, viewer)) void socket.join(room);
    const { state, events } = view;
    const serverNow = Date.now();
    if (since === 0 || since > state.seq || events === null || events.length > maxCatchUp) {
      // Serialised once per audience and seq (SnapshotCache); the encoder writes the cached text as it is.
      const snapshot = onTheWire(snapshots.snapshot(state, viewer));
      return { ok: true, mode: 'snapshot', seq: state.seq, serverNow, state: snapshot };
    }
    return { ok: true, mode: 'events', seq: state.seq, serverNow, events: project(events, viewer) };
  }

  return { close: () => guard.close() };
}

function viewerOf(claims: Claims): Viewer {
  if (isStaffRole(claims.role)) return { audience: 'staff' };
  if (claims.role === 'screen') return { audience: 'screen' };
  return { audience: 'attendee', participantId: claims.sub };
}

/** The command's type as a metric label: one of the known types, or `invalid` (no label per garbage string). */
function commandType(raw: unknown): string {
  const type = typeof raw === 'object' && raw !== null && 'type' in raw ? raw.type : undefined;
  return typeof type === 'string' && KNOWN_COMMANDS.has(type) ? type : 'invalid';
}

function syncOutcome(reply: SyncReply): SyncOutcome {
  if (reply.ok) return reply.mode;
  if (reply.code === 'rate_limited') return 'rate_limited';
  return reply.code === 'internal' ? 'error' : 'refused';
}

const REVOKED: Failure = { ok: false, code: 'unauthorized', message: 'the account changed; sign in again' };

function roomsFor(sessionId: string, viewer: Viewer): string[] {
  if (viewer.audience === 'staff') return [rooms.staff(sessionId)];
  if (viewer.audience === 'screen') return [rooms.screen(sessionId)];
  return [rooms.attendees(sessionId), rooms.participant(sessionId, viewer.participantId ?? '')];
}

/** Attendee and screen tokens are bound to one session. */
function scope(claims: Claims, sessionId: string): Failure | null {
  if (isStaffRole(claims.role) || claims.sid === sessionId) return null;
  return { ok: false, code: 'forbidden', message: 'this token is for another session' };
}

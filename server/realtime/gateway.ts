/**
 * The socket.io adapter: authenticate the handshake, parse and authorise each message, hand commands to the
 * SessionService, answer sync requests with the audience's projection. Nothing else happens here.
 */
import type { Server, Socket } from 'socket.io';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { CommandSchema } from '../../shared/domain/commands.ts';
import { projectState, type Viewer } from '../../shared/domain/projection.ts';
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
import type { Claims } from '../auth/tokens.ts';
import type { SessionService } from '../sessions/SessionService.ts';
import { project } from './Fanout.ts';
import { rooms } from './rooms.ts';
import { zodFailure } from '../http/errors.ts';

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
  /** Beyond this many missed events a client gets a fresh snapshot instead of the events (default 500). */
  maxCatchUpEvents?: number;
  /** Commands per participant per 10 s before `rate_limited` (default 40; staff 200). */
  attendeeRate?: number;
  logger?: { warn(o: object, msg?: string): void; error(o: object, msg?: string): void };
}

export function attachGateway(io: Io, options: GatewayOptions): void {
  const { sessions } = options;
  const maxCatchUp = options.maxCatchUpEvents ?? 500;
  const attendeeLimiter = new RateLimiterMemory({ points: options.attendeeRate ?? 40, duration: 10 });
  const staffLimiter = new RateLimiterMemory({ points: 200, duration: 10 });

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
    socket.on('time', (ack) => {
      if (typeof ack === 'function') ack(Date.now());
    });

    socket.on('command', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack(await handleCommand(socket, raw));
      } catch (err) {
        options.logger?.error({ err }, 'command failed');
        ack({ ok: false, code: 'internal', message: 'internal error' });
      }
    });

    socket.on('sync', async (raw, ack) => {
      if (typeof ack !== 'function') return;
      try {
        ack(await handleSync(socket, raw));
      } catch (err) {
        options.logger?.error({ err }, 'sync failed');
        ack({ ok: false, code: 'internal', message: 'internal error' });
      }
    });
  });

  async function handleCommand(socket: DbSocket, raw: unknown): Promise<Ack> {
    const parsed = CommandSchema.safeParse(raw);
    if (!parsed.success) return zodFailure(parsed.error, raw);
    const command = parsed.data;
    const { claims, actor } = socket.data;
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
    const scoped = scope(claims, sessionId);
    if (scoped) return scoped;
    const viewer: Viewer = isStaffRole(claims.role)
      ? { audience: 'staff' }
      : claims.role === 'screen'
        ? { audience: 'screen' }
        : { audience: 'attendee', participantId: claims.sub };
    const view = await sessions.catchUp(sessionId, since);
    if (!view) return { ok: false, code: 'not_found', message: 'no such session' };
    // Join the rooms in the tick the state was read: every event not in this reply is pushed after it.
    for (const room of roomsFor(sessionId, viewer)) void socket.join(room);
    const { state, events } = view;
    const serverNow = Date.now();
    if (since === 0 || since > state.seq || events === null || events.length > maxCatchUp) {
      return { ok: true, mode: 'snapshot', seq: state.seq, serverNow, state: projectState(state, viewer) };
    }
    return { ok: true, mode: 'events', seq: state.seq, serverNow, events: project(events, viewer) };
  }
}

function roomsFor(sessionId: string, viewer: Viewer): string[] {
  if (viewer.audience === 'staff') return [rooms.staff(sessionId)];
  if (viewer.audience === 'screen') return [rooms.screen(sessionId)];
  return [rooms.attendees(sessionId), rooms.participant(viewer.participantId ?? '')];
}

/** Attendee and screen tokens are bound to one session. */
function scope(claims: Claims, sessionId: string): Failure | null {
  if (isStaffRole(claims.role) || claims.sid === sessionId) return null;
  return { ok: false, code: 'forbidden', message: 'this token is for another session' };
}

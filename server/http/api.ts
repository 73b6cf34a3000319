/** The REST calls of DESIGN §4: login, join, ward, users, sessions. Thin: parse, authorise, call a service. */
import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import type { SessionCreate } from '../../shared/domain/commands.ts';
import { SessionCreateSchema } from '../../shared/domain/commands.ts';
import type { NewDomainEvent } from '../../shared/domain/events.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import type { WardProfile } from '../../shared/domain/ward.ts';
import {
  JoinSchema,
  LoginSchema,
  UserCreateSchema,
  UserUpdateSchema,
  WardProfileSchema,
  type JoinInfo,
  type JoinReply,
  type LoginReply,
  type SessionSummary,
} from '../../shared/protocol.ts';
import { makeDeviceSecret } from '../../shared/deviceSecret.ts';
import { LoginGuard } from '../auth/LoginGuard.ts';
import { participantHandle } from '../auth/participantIdentity.ts';
import { TOKEN_TTL_SEC } from '../auth/tokens.ts';
import { clientAddress } from '../limits/clientAddress.ts';
import { joinBudgetsOf } from '../limits/joinBudgets.ts';
import { inviteesOf, lookUpInvitation, meetingIsOn } from '../invitations/lookUp.ts';
import type { AppContext } from '../context.ts';
import { requireRole, type AuthedRequest } from './auth.ts';
import { AppError } from '../errors.ts';
import { parse } from './parse.ts';
import { releaseJoinCode, reserveJoinCode, sessionForJoinCode } from '../sessions/joinCodes.ts';
import { pushWardToSessions } from '../ward/propagate.ts';
import { SESSION_INDEX, type SessionIndexEntry } from '../sessions/sessionIndex.ts';
import { wardToday } from '../reports/wardClock.ts';
import { receivedQuestions } from '../../shared/report/report.ts';

export const summary = (s: SessionState): SessionSummary => ({
  id: s.id,
  title: s.title,
  date: s.date,
  startTime: s.startTime,
  venue: s.venue,
  status: s.status,
  joinCode: s.joinCode,
  seq: s.seq,
});

export async function loadSession(ctx: AppContext, id: string): Promise<SessionState> {
  const state = await ctx.sessions.state(id);
  if (!state) throw new AppError('not_found', 'no such session');
  return state;
}

export function apiRouter(ctx: AppContext): Router {
  const r = Router();
  const staff = requireRole(ctx);
  const admin = requireRole(ctx, ['admin']);
  const joinBudgets = joinBudgetsOf(ctx);

  const loginGuard = new LoginGuard(ctx.limits, ctx.config.login, ctx.logger);
  r.post('/login', async (req, res: Response<LoginReply>) => {
    const { username, password } = parse(LoginSchema, req.body);
    const address = clientAddress(req.ip);
    const waitSec = await loginGuard.admit(username, address);
    if (waitSec !== null) {
      res.set('Retry-After', String(waitSec));
      throw new AppError('rate_limited', 'too many sign-in attempts; wait before trying again', {
        retryAfterSec: waitSec,
      });
    }
    const user = await ctx.users.authenticate(username, password);
    if (!user) {
      ctx.logger.warn({ username, address }, 'sign-in failed');
      throw new AppError('unauthorized', 'wrong username or password');
    }
    await loginGuard.succeeded(username, address);
    const claims = {
      role: user.role,
      sub: user.username,
      name: user.name,
      fieldIds: user.fieldIds,
      ver: user.version,
    };
    const { token, expiresAt } = await ctx.tokens.sign(claims, TOKEN_TTL_SEC.staff);
    res.json({ token, role: user.role, userId: user.userId, name: user.name, expiresAt });
  });

  r.get('/me', staff, (req: AuthedRequest, res) => {
    res.json(req.claims);
  });

  r.get('/join/:code', async (req, res: Response<JoinInfo>) => {
    const code = String(req.params.code).trim().toUpperCase();
    const s = await joinBudgets.lookUp(req.ip, async () => {
      const sessionId = await sessionForJoinCode(ctx.store.docs, code);
      const state = sessionId ? await ctx.sessions.state(sessionId) : null;
      return state?.joinCode === code ? state : null;
    });
    if (!s) throw new AppError('not_found', 'no session with this code');
    res.json({
      sessionId: s.id,
      title: s.title,
      date: s.date,
      startTime: s.startTime,
      venue: s.venue,
      wardName: s.wardName,
      groups: s.groups,
      status: s.status,
      contactRetentionDays: ctx.config.contactRetentionDays,
    });
  });

  /**
   * Joining: the device proves who it is with its secret (shared/protocol.ts DeviceSecret); the participant's handle
   * is derived from it, never taken from the request. A known participant gets a fresh token and nothing else; a new
   * one costs the address a new identity from its budget (server/limits/joinBudgets.ts).
   */
  r.post('/join', async (req, res: Response<JoinReply>) => {
    const { joinCode, secret: sent, invitation, contact, ...profile } = parse(JoinSchema, req.body);
    // A giấy mời's token (server/invitations/lookUp.ts): counted like the code; a wrong one is a guess.
    const { sessionId, invitee } = await lookUpInvitation(ctx, req, joinCode, invitation);
    // The bare join of the contract (`{joinCode}`): the server makes the secret and returns it.
    const secret = sent ?? makeDeviceSecret();
    const participantId = participantHandle(sessionId, secret);
    const session = await loadSession(ctx, sessionId);
    const known = session.participants[participantId];
    if (known) {
      // Paper-form participants have no secret; a handle that reached one would be a collision, never a login.
      if (known.source !== 'phone') throw new AppError('forbidden', 'this participant cannot join by phone');
      await joinBudgets.rejoin(req.ip);
    } else {
      await joinBudgets.mint(req.ip);
      const ack = await ctx.sessions.dispatch(
        { type: 'participant.join', id: `join:${participantId}`, sessionId, participantId, ...profile },
        { role: 'attendee', id: participantId },
      );
      // `duplicate`: the same device's join raced this one (a retry): same identity, fresh token.
      if (!ack.ok && ack.code !== 'duplicate') throw new AppError(ack.code, ack.message, ack.params);
    }
    // The contact goes to the contact book, never into the session's log (server/replies/ContactBook.ts).
    if (contact) await ctx.contacts.set(sessionId, participantId, contact, Date.now());
    const name = known ? known.name : profile.name;
    const { token } = await ctx.tokens.sign(
      { role: 'attendee', sub: participantId, sid: sessionId, ...(name ? { name } : {}) },
      TOKEN_TTL_SEC.attendee,
    );
    // The invitee is present once, however often their QR is scanned (the check-in is written only if absent).
    const checkedIn =
      invitee && meetingIsOn(session)
        ? (await inviteesOf(ctx).checkIn(sessionId, invitee.id, 'phone'), true)
        : undefined;
    res.status(201).json({
      token,
      sessionId,
      participantId,
      ...(sent ? {} : { secret }),
      ...(invitee ? { checkedIn: checkedIn ?? false } : {}),
    });
  });

  r.get('/ward', staff, async (_req, res) => {
    res.json(await ctx.ward.get());
  });
  r.put('/ward', admin, async (req: AuthedRequest, res) => {
    const profile = parse(WardProfileSchema, req.body);
    const current = await ctx.ward.get();
    const removed = current.fields.filter((f) => !profile.fields.some((n) => n.id === f.id));
    if (
      removed.length > 0 &&
      (
        await fieldsInUse(
          ctx,
          removed.map((f) => f.id),
        )
      ).length > 0
    )
      throw new AppError('invalid_state', 'a field in use cannot be deleted; retire it instead', {
        field: 'fields',
        names: removed.map((f) => f.name).join(', '),
      });
    profile.officials.forEach((o, i) => refuseUnknownFields(profile, o.fieldIds, `officials.${i}.fieldIds`));
    // The address for QR codes is chosen apart (server/http/addresses.ts): a profile saved from the ward page keeps it.
    const saved = await ctx.ward.put(
      current.joinAddress ? { ...profile, joinAddress: current.joinAddress } : profile,
    );
    // Sessions not yet closed follow the profile's fields and officials (server/ward/propagate.ts).
    res.set('x-sessions-updated', String(await pushWardToSessions(ctx, saved, actorOf(req))));
    res.json(saved);
  });

  r.get('/users', admin, async (_req, res) => {
    res.json(await ctx.users.list());
  });
  r.post('/users', admin, async (req, res) => {
    const input = parse(UserCreateSchema, req.body);
    refuseUnknownFields(await ctx.ward.get(), input.fieldIds ?? [], 'fieldIds');
    res.status(201).json(await ctx.users.create(input));
  });
  r.patch('/users/:username', admin, async (req, res) => {
    const changes = parse(UserUpdateSchema, req.body);
    refuseUnknownFields(await ctx.ward.get(), changes.fieldIds ?? [], 'fieldIds');
    res.json(await ctx.users.update(String(req.params.username), changes));
  });

  r.get('/sessions', staff, async (_req, res: Response<SessionSummary[]>) => {
    const ids = (await ctx.store.docs.list<SessionIndexEntry>(SESSION_INDEX)).map((x) => x.key);
    const states = await Promise.all(ids.map((id) => ctx.sessions.state(id)));
    res.json(
      states
        .flatMap((s) => (s ? [summary(s)] : []))
        .sort((a, b) => b.date.localeCompare(a.date) || a.title.localeCompare(b.title)),
    );
  });

  r.post('/sessions', admin, async (req: AuthedRequest, res: Response<SessionSummary>) => {
    const input = parse(SessionCreateSchema, req.body);
    if (input.date < wardToday())
      throw new AppError('bad_request', 'a new session cannot be in the past', { field: 'date' });
    const previous = input.carryOverFrom ? await loadSession(ctx, input.carryOverFrom) : null;
    const sessionId = randomUUID();
    // A session's open questions continue in one next session only: claimed before the new one exists.
    if (previous && !(await claimCarryOver(ctx, previous.id, { sessionId, title: input.title }))) {
      const earlier = await ctx.store.docs.get<CarryOverClaim>(CARRY_OVERS, previous.id);
      throw new AppError('already_carried_over', 'the open questions were carried over before', {
        title: earlier?.title ?? '',
      });
    }
    let state: SessionState;
    try {
      state = await createSession(ctx, sessionId, input, req);
    } catch (err) {
      if (previous) await ctx.store.docs.delete(CARRY_OVERS, previous.id);
      throw err;
    }
    if (previous) await carryOver(ctx, previous, state);
    res.status(201).json(summary((await ctx.sessions.state(state.id)) ?? state));
  });

  r.get('/sessions/:id', staff, async (req, res: Response<SessionSummary>) => {
    res.json(summary(await loadSession(ctx, String(req.params.id))));
  });

  r.post('/sessions/:id/join-code', admin, async (req: AuthedRequest, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    const joinCode = await reserveJoinCode(ctx.store.docs, state.id);
    const ack = await ctx.sessions.dispatch(
      { type: 'session.set_join_code', id: randomUUID(), sessionId: state.id, joinCode },
      actorOf(req),
    );
    if (!ack.ok) throw new AppError(ack.code, ack.message, ack.params);
    await releaseJoinCode(ctx.store.docs, state.joinCode);
    res.json({ joinCode });
  });

  return r;
}

/** A field id the ward profile does not have, refused with the path of its box (`officials.1.fieldIds.0`). */
function refuseUnknownFields(
  ward: Pick<WardProfile, 'fields'>,
  fieldIds: readonly string[],
  path: string,
): void {
  const i = fieldIds.findIndex((f) => !ward.fields.some((x) => x.id === f));
  if (i >= 0)
    throw new AppError('unknown_field', `unknown field ${fieldIds[i]}`, {
      field: `${path}.${i}`,
      fieldId: fieldIds[i] ?? '',
    });
}

export const actorOf = (req: AuthedRequest) => {
  const c = req.claims;
  if (!c) throw new AppError('unauthorized', 'sign in first');
  return {
    role: c.role,
    id: c.sub,
    ...(c.name ? { name: c.name } : {}),
    ...(c.fieldIds ? { fieldIds: c.fieldIds } : {}),
  };
};

/** Which session took over another's open questions (collection CARRY_OVERS, keyed by the earlier session). */
interface CarryOverClaim {
  sessionId: string;
  title: string;
}
const CARRY_OVERS = 'carryOvers';

function claimCarryOver(ctx: AppContext, fromId: string, claim: CarryOverClaim): Promise<boolean> {
  return ctx.store.docs.put(CARRY_OVERS, fromId, claim, { onlyIfAbsent: true });
}

async function createSession(
  ctx: AppContext,
  sessionId: string,
  input: SessionCreate,
  req: AuthedRequest,
): Promise<SessionState> {
  const joinCode = await reserveJoinCode(ctx.store.docs, sessionId);
  const { role, id, name } = actorOf(req);
  const state = await ctx.sessions.create(sessionId, input, await ctx.ward.get(), joinCode, {
    role,
    id,
    ...(name ? { name } : {}),
  });
  await ctx.store.docs.put(SESSION_INDEX, sessionId, { createdAt: state.createdAt });
  return state;
}

const CARRY_ACTOR = { role: 'admin', id: 'carry-over' } as const;

/**
 * Questions still open in `from` continue in `to`, linked both ways (issue 13, finding 9): in `to` each keeps the
 * time it was received, its channel and its number in `from`'s list; in `from` each learns the session and the
 * number it continues under, so the earlier session's phones, panel and report say where it went.
 */
async function carryOver(ctx: AppContext, from: SessionState, to: SessionState): Promise<void> {
  const open = receivedQuestions(from).filter(
    (q) =>
      q.status === 'pending' ||
      q.status === 'published' ||
      (q.status === 'answered' && q.answer?.mode === 'writing' && !q.answer.written),
  );
  if (open.length === 0) return;
  const numbers = new Map(receivedQuestions(from).map((q, i) => [q.id, i + 1]));
  const newIds = new Map(open.map((q) => [q.id, randomUUID()]));
  const now = Date.now();
  const events: NewDomainEvent[] = open.map((q) => {
    const { authorId: _a, voters: _v, answer, carriedTo: _t, ...rest } = q;
    return {
      type: 'question.submitted',
      at: now,
      actor: CARRY_ACTOR,
      question: {
        ...rest,
        id: newIds.get(q.id) ?? q.id,
        // What was never approved is still to be reviewed: carrying it over publishes nothing.
        status: q.status === 'pending' ? 'pending' : 'published',
        preMeeting: true,
        votes: 0,
        voters: [],
        ...(answer
          ? {
              staffNote: [q.staffNote, `${answer.note} (${answer.dueDate ?? ''})`]
                .filter(Boolean)
                .join(' — '),
            }
          : {}),
        carriedFrom: {
          sessionId: from.id,
          questionId: q.id,
          sessionTitle: from.title,
          ...(numbers.has(q.id) ? { number: numbers.get(q.id) } : {}),
        },
        // Received when the asker sent it, not when it was carried: the report's "received" column and its order.
        createdAt: q.createdAt,
        updatedAt: now,
      },
    };
  });
  const ack = await ctx.sessions.appendSystem(to.id, `carry-over:${from.id}`, events);
  if (!ack.ok) throw new AppError(ack.code, ack.message);
  await markCarried(ctx, from.id, to.id, newIds);
}

/** Tells the earlier session where each carried question went; decided again on a fresher state after a conflict. */
async function markCarried(
  ctx: AppContext,
  fromId: string,
  toId: string,
  newIds: Map<string, string>,
): Promise<void> {
  const to = await ctx.sessions.state(toId);
  if (!to) return;
  const numbers = new Map(receivedQuestions(to).map((q, i) => [q.id, i + 1]));
  for (let attempt = 0; attempt < 3; attempt++) {
    const from = await ctx.sessions.state(fromId);
    if (!from) return;
    const now = Date.now();
    const events: NewDomainEvent[] = [...newIds].flatMap(([oldId, newId]) => {
      const q = from.questions[oldId];
      if (!q) return [];
      const number = numbers.get(newId);
      return [
        {
          type: 'question.carried_over' as const,
          at: now,
          actor: CARRY_ACTOR,
          question: {
            ...q,
            carriedTo: {
              sessionId: to.id,
              questionId: newId,
              sessionTitle: to.title,
              sessionDate: to.date,
              ...(number !== undefined ? { number } : {}),
            },
            updatedAt: now,
          },
        },
      ];
    });
    if (events.length === 0) return;
    const ack = await ctx.sessions.appendSystem(fromId, `carried-to:${toId}`, events);
    if (ack.ok || ack.code !== 'conflict') return;
  }
}

async function fieldsInUse(ctx: AppContext, fieldIds: string[]): Promise<string[]> {
  const ids = (await ctx.store.docs.list(SESSION_INDEX)).map((x) => x.key);
  const used = new Set<string>();
  for (const id of ids) {
    const s = await ctx.sessions.state(id);
    for (const q of Object.values(s?.questions ?? {})) {
      for (const f of [q.fieldId, q.assignedFieldId]) if (f && fieldIds.includes(f)) used.add(f);
    }
  }
  return [...used];
}

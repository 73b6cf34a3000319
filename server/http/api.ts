/** The REST calls of DESIGN §4: login, join, ward, users, sessions. Thin: parse, authorise, call a service. */
import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import QRCode from 'qrcode';
import type { SessionCreate } from '../../shared/domain/commands.ts';
import { SessionCreateSchema } from '../../shared/domain/commands.ts';
import type { NewDomainEvent } from '../../shared/domain/events.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import {
  JoinSchema,
  LoginSchema,
  UserCreateSchema,
  UserUpdateSchema,
  WardProfileSchema,
  type DisplayTokenReply,
  type JoinInfo,
  type JoinReply,
  type LoginReply,
  type SessionSummary,
} from '../../shared/protocol.ts';
import { TOKEN_TTL_SEC } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { requireRole, type AuthedRequest } from './auth.ts';
import { HttpError } from './errors.ts';
import { parse } from './parse.ts';
import { releaseJoinCode, reserveJoinCode, sessionForJoinCode } from '../sessions/joinCodes.ts';
import { pushWardToSessions } from '../ward/propagate.ts';
import { wardToday } from '../reports/format.ts';

export const SESSION_INDEX = 'sessions';

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
  if (!state) throw new HttpError('not_found', 'no such session');
  return state;
}

export function apiRouter(ctx: AppContext): Router {
  const r = Router();
  const staff = requireRole(ctx);
  const admin = requireRole(ctx, ['admin']);

  r.post('/login', async (req, res: Response<LoginReply>) => {
    const { username, password } = parse(LoginSchema, req.body);
    const user = await ctx.users.authenticate(username, password);
    if (!user) throw new HttpError('unauthorized', 'wrong username or password');
    const claims = { role: user.role, sub: user.username, name: user.name, fieldIds: user.fieldIds };
    const { token, expiresAt } = await ctx.tokens.sign(claims, TOKEN_TTL_SEC.staff);
    res.json({ token, role: user.role, userId: user.userId, name: user.name, expiresAt });
  });

  r.get('/me', staff, (req: AuthedRequest, res) => {
    res.json(req.claims);
  });

  r.get('/join/:code', async (req, res: Response<JoinInfo>) => {
    const sessionId = await sessionForJoinCode(ctx.store.docs, String(req.params.code));
    const s = sessionId ? await ctx.sessions.state(sessionId) : null;
    if (!s || s.joinCode !== String(req.params.code).trim().toUpperCase())
      throw new HttpError('not_found', 'no session with this code');
    res.json({
      sessionId: s.id,
      title: s.title,
      date: s.date,
      startTime: s.startTime,
      venue: s.venue,
      wardName: s.wardName,
      groups: s.groups,
      status: s.status,
    });
  });

  /** The join QR as SVG: the link phones open, on the address this server is reached at (or PUBLIC_URL). */
  r.get('/join/:code/qr.svg', async (req, res) => {
    const code = String(req.params.code).trim().toUpperCase();
    if (!(await sessionForJoinCode(ctx.store.docs, code)))
      throw new HttpError('not_found', 'no session with this code');
    const origin = ctx.config.publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const svg = await QRCode.toString(`${origin.replace(/\/$/, '')}/j/${code}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    res.type('image/svg+xml').set('Cache-Control', 'no-cache').send(svg);
  });

  r.post('/join', async (req, res: Response<JoinReply>) => {
    const body = parse(JoinSchema, req.body);
    const sessionId = await sessionForJoinCode(ctx.store.docs, body.joinCode);
    if (!sessionId) throw new HttpError('not_found', 'no session with this code');
    const participantId = body.participantId ?? randomUUID();
    const { joinCode: _c, participantId: _p, ...profile } = body;
    const ack = await ctx.sessions.dispatch(
      { type: 'participant.join', id: `join:${participantId}`, sessionId, participantId, ...profile },
      { role: 'attendee', id: participantId },
    );
    // `duplicate`: this device joined before (a retry): same identity, fresh token.
    if (!ack.ok && ack.code !== 'duplicate') throw new HttpError(ack.code, ack.message, ack.params);
    const { token } = await ctx.tokens.sign(
      { role: 'attendee', sub: participantId, sid: sessionId, ...(body.name ? { name: body.name } : {}) },
      TOKEN_TTL_SEC.attendee,
    );
    res.status(201).json({ token, sessionId, participantId });
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
      throw new HttpError('invalid_state', 'a field in use cannot be deleted; retire it instead', {
        field: removed.map((f) => f.name).join(', '),
      });
    const unknownField = profile.officials
      .flatMap((o) => o.fieldIds)
      .find((f) => !profile.fields.some((x) => x.id === f));
    if (unknownField !== undefined)
      throw new HttpError('unknown_field', `unknown field ${unknownField}`, { fieldId: unknownField });
    const saved = await ctx.ward.put(profile);
    // Sessions not yet closed follow the profile's fields and officials (server/ward/propagate.ts).
    res.set('x-sessions-updated', String(await pushWardToSessions(ctx, saved, actorOf(req))));
    res.json(saved);
  });

  r.get('/users', admin, async (_req, res) => {
    res.json(await ctx.users.list());
  });
  r.post('/users', admin, async (req, res) => {
    res.status(201).json(await ctx.users.create(parse(UserCreateSchema, req.body)));
  });
  r.patch('/users/:username', admin, async (req, res) => {
    res.json(await ctx.users.update(String(req.params.username), parse(UserUpdateSchema, req.body)));
  });

  r.get('/sessions', staff, async (_req, res: Response<SessionSummary[]>) => {
    const ids = (await ctx.store.docs.list<{ createdAt: number }>(SESSION_INDEX)).map((x) => x.key);
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
      throw new HttpError('bad_request', 'a new session cannot be in the past', { field: 'date' });
    const previous = input.carryOverFrom ? await loadSession(ctx, input.carryOverFrom) : null;
    const sessionId = randomUUID();
    // A session's open questions continue in one next session only: claimed before the new one exists.
    if (previous && !(await claimCarryOver(ctx, previous.id, { sessionId, title: input.title }))) {
      const earlier = await ctx.store.docs.get<CarryOverClaim>(CARRY_OVERS, previous.id);
      throw new HttpError('already_carried_over', 'the open questions were carried over before', {
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
    if (!ack.ok) throw new HttpError(ack.code, ack.message, ack.params);
    await releaseJoinCode(ctx.store.docs, state.joinCode);
    res.json({ joinCode });
  });

  r.post(
    '/sessions/:id/display-token',
    requireRole(ctx, ['admin', 'chair', 'secretary']),
    async (req, res: Response<DisplayTokenReply>) => {
      const state = await loadSession(ctx, String(req.params.id));
      const { token } = await ctx.tokens.sign(
        { role: 'screen', sub: `screen:${state.id}`, sid: state.id },
        TOKEN_TTL_SEC.screen,
      );
      res.json({ token, path: `/screen/${state.id}?token=${encodeURIComponent(token)}` });
    },
  );

  return r;
}

export const actorOf = (req: AuthedRequest) => {
  const c = req.claims;
  if (!c) throw new HttpError('unauthorized', 'sign in first');
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

/** Questions still open in `from` continue in `to`, linked to where they came from. */
async function carryOver(ctx: AppContext, from: SessionState, to: SessionState): Promise<void> {
  const open = Object.values(from.questions).filter(
    (q) =>
      q.status === 'pending' ||
      q.status === 'published' ||
      (q.status === 'answered' && q.answer?.mode === 'writing' && !q.answer.written),
  );
  if (open.length === 0) return;
  const now = Date.now();
  const events: NewDomainEvent[] = open.map((q) => {
    const { authorId: _a, voters: _v, answer, ...rest } = q;
    return {
      type: 'question.submitted',
      at: now,
      actor: { role: 'admin', id: 'carry-over' },
      question: {
        ...rest,
        status: 'published',
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
        carriedFrom: { sessionId: from.id, questionId: q.id, sessionTitle: from.title },
        createdAt: now,
        updatedAt: now,
      },
    };
  });
  const ack = await ctx.sessions.appendSystem(to.id, `carry-over:${from.id}`, events);
  if (!ack.ok) throw new HttpError(ack.code, ack.message);
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

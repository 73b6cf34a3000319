/** Wires the minutes module into the app: who may open the doc, what pre-fills it, approval and exports. */
import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Router } from 'express';
import { isStaffRole } from '../../shared/domain/roles.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import type { AppContext } from '../context.ts';
import {
  buildMinutesDocx,
  createMinutesServer,
  MINUTES_DOCX_MIME,
  MinutesCloseCode,
  renderMinutesHtml,
  type MinutesContext,
  type MinutesRelay,
  type MinutesServerHandle,
} from '../minutes/index.ts';
import { actorOf, loadSession } from './api.ts';
import { authenticate, requireRole, type AuthedRequest } from './auth.ts';
import { HttpError } from './errors.ts';

/** Roles that write the minutes (DESIGN §2); other staff may read them. */
const WRITERS = ['chair', 'secretary'] as const;

export function attachMinutes(ctx: AppContext, http: HttpServer, relay?: MinutesRelay): MinutesServerHandle {
  return createMinutesServer(http, {
    ydocs: ctx.store.ydocs,
    logger: ctx.logger,
    ...(relay ? { relay } : {}),
    async authorize(sessionId, token) {
      const claims = await authenticate(ctx, token);
      if (!claims) return MinutesCloseCode.Unauthorized;
      if (!isStaffRole(claims.role)) return MinutesCloseCode.Forbidden;
      if (!(await ctx.sessions.state(sessionId))) return MinutesCloseCode.UnknownSession;
      return (WRITERS as readonly string[]).includes(claims.role) ? 'write' : 'read';
    },
    context: async (sessionId) => minutesContext(ctx, await loadSession(ctx, sessionId)),
    isLocked: async (sessionId) => Boolean((await ctx.sessions.state(sessionId))?.minutesApproved),
  });
}

/** The session as the Decree 30 template and the export need it. */
export async function minutesContext(ctx: AppContext, s: SessionState): Promise<MinutesContext> {
  const users = await ctx.users.list();
  const nameOf = (role: string) => users.find((u) => u.role === role && !u.disabled)?.name ?? '';
  const delegates = Object.values(s.participants).filter((p) => p.kind === 'delegate').length;
  const attendees = [
    'Đại diện Thường trực Đảng ủy, HĐND, UBND, UBMTTQ phường; cán bộ, công chức bộ phận Một cửa và các công chức chuyên môn',
    s.participantCount > 0
      ? `${s.participantCount} đại biểu, người dân và đại diện tổ chức, doanh nghiệp đăng ký tham dự${delegates ? ` (trong đó ${delegates} đại biểu)` : ''}`
      : 'Đại diện tổ chức, cá nhân trên địa bàn phường',
  ].join('; ');
  return {
    wardName: s.wardName,
    ...(s.parentBody ? { parentBody: s.parentBody } : {}),
    place: s.place ?? s.wardName.replace(/^Phường\s+/i, ''),
    sessionTitle: s.title,
    date: s.date,
    startTime: s.startTime,
    venue: s.venue,
    attendees,
    chairName: nameOf('chair'),
    secretaryName: nameOf('secretary'),
    agenda: s.agenda.map((a) => a.title),
  };
}

export function minutesRouter(ctx: AppContext, minutes: () => MinutesServerHandle): Router {
  const r = Router();
  const staff = requireRole(ctx);

  /** The chair approves: writes stop, and the log records the approval with the content's hash. */
  r.post('/sessions/:id/minutes/approve', requireRole(ctx, ['chair']), async (req: AuthedRequest, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    if (state.minutesApproved) throw new HttpError('minutes_approved', 'the minutes are already approved');
    minutes().lock(state.id);
    const hash = await minutes().contentHash(state.id);
    const ack = await ctx.sessions.dispatch(
      { type: 'minutes.approve', id: randomUUID(), sessionId: state.id, hash },
      actorOf(req),
    );
    if (!ack.ok) throw new HttpError(ack.code, ack.message, ack.params);
    res.json({ hash, seq: ack.seq });
  });

  r.get('/sessions/:id/export/minutes.docx', staff, async (req, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    const doc = await minutes().getDoc(state.id);
    const buffer = await buildMinutesDocx(doc, await minutesContext(ctx, state));
    res.type(MINUTES_DOCX_MIME).attachment(`bien-ban-${state.date}.docx`).send(buffer);
  });

  r.get('/sessions/:id/export/minutes.html', staff, async (req, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    const doc = await minutes().getDoc(state.id);
    res.type('html').send(renderMinutesHtml(doc, await minutesContext(ctx, state)));
  });

  return r;
}

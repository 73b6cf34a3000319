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
  fillRecorded,
  MINUTES_DOCX_MIME,
  MinutesCloseCode,
  renderMinutesHtml,
  type MinutesContext,
  type MinutesRelay,
  type MinutesServerHandle,
} from '../minutes/index.ts';
import { actorOf, loadSession } from './api.ts';
import { authenticate, requireRole, type AuthedRequest } from './auth.ts';
import { AppError } from '../errors.ts';
import { MinutesApproveSchema } from '../../shared/protocol.ts';
import { parse } from './parse.ts';

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
      return {
        access: (WRITERS as readonly string[]).includes(claims.role) ? 'write' : 'read',
        account: claims.sub,
        shownAs: { name: claims.name ?? claims.sub, role: claims.role },
        // The account changing while connected ends the connection (a 44xx code: the client asks to sign in again).
        watch: (close) =>
          ctx.accounts.track(claims.sub, claims.ver ?? 0, () => close(MinutesCloseCode.Revoked)),
        verify: () => ctx.accounts.verify(claims.sub, claims.ver ?? 0),
      };
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
    ...(s.openedAt !== undefined ? { openedAt: s.openedAt } : {}),
    ...(s.closedAt !== undefined ? { closedAt: s.closedAt } : {}),
    venue: s.venue,
    attendees,
    chairName: nameOf('chair'),
    secretaryName: nameOf('secretary'),
    agenda: s.agenda.map((a) => a.title),
  };
}

/**
 * The minutes follow the session: when it opens or closes, the opening and closing lines are filled with the
 * actual times (server/minutes/fill.ts). Only the node that appended the change does it, so a scale-out writes it
 * once; an approved document is left as it is.
 */
export function followSessionInMinutes(
  ctx: AppContext,
  minutes: () => MinutesServerHandle | undefined,
): void {
  ctx.sessions.onEvents((sessionId, events, state, appendedHere) => {
    if (!appendedHere || state.minutesApproved) return;
    if (!events.some((e) => e.type === 'session.status_changed')) return;
    const handle = minutes();
    if (!handle) return;
    void (async () => {
      const context = await minutesContext(ctx, state);
      await handle.edit(sessionId, (doc) => fillRecorded(doc, context));
    })().catch((err: unknown) =>
      ctx.logger.warn({ err, sessionId }, 'minutes: filling the recorded times failed'),
    );
  });
}

export function minutesRouter(ctx: AppContext, minutes: () => MinutesServerHandle): Router {
  const r = Router();
  const staff = requireRole(ctx);

  /**
   * The chair approves — the one path to approval: the document is sealed in the store (no node accepts a write from
   * then on) and the log records the hash the server computed from the stored minutes; a client names no hash.
   */
  r.post('/sessions/:id/minutes/approve', requireRole(ctx, ['chair']), async (req: AuthedRequest, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    if (state.minutesApproved) throw new AppError('minutes_approved', 'the minutes are already approved');
    // The register number (số văn bản) is given with the approval at the latest: the approved record never changes.
    const { docNumber } = parse(MinutesApproveSchema, req.body ?? {});
    if (docNumber !== undefined) {
      const context = { ...(await minutesContext(ctx, state)), docNumber };
      await minutes().edit(state.id, (doc) => fillRecorded(doc, context));
    }
    const hash = await minutes().approve(state.id);
    const ack = await ctx.sessions.dispatch(
      { type: 'minutes.approve', id: randomUUID(), sessionId: state.id, hash },
      actorOf(req),
    );
    if (!ack.ok) throw new AppError(ack.code, ack.message, ack.params);
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

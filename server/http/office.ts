/**
 * Office staff's REST calls: the synthesis report and its exports, the audit log, the follow-up of written
 * answers. Thin: parse, authorise, read the session's state or log, call the pure report code in shared/report.
 *
 *   GET  /api/sessions/:id/state                       staff   the session as staff see it (print pages)
 *   GET  /api/sessions/:id/report?today=               staff   the synthesis (JSON)
 *   GET  /api/sessions/:id/export/report.csv?lang=     staff   every table, UTF-8 BOM, CRLF, RFC 4180
 *   GET  /api/sessions/:id/export/report.xlsx?lang=    staff   exceljs, a sheet per table
 *   GET  /api/sessions/:id/export/questions.csv?lang=  staff   the list of opinions
 *   GET  /api/sessions/:id/export/report.docx          staff   the synthesis report (Decree 30, in Vietnamese)
 *   GET  /api/sessions/:id/events?after=&limit=&type=&role=&lang=   admin   the audit log, described
 *   GET  /api/sessions/:id/export/audit.csv?type=&role=&lang=       admin
 *   GET  /api/followup?show=&today=                    admin, chair, vice_chair, official
 *   POST /api/sessions/:id/questions/:questionId/written-answer {id?, text}   same roles
 *
 * Everything is computed from the state (the fold of the event log) projected for staff, so anonymous askers stay
 * anonymous in every file.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { z } from 'zod';
import { Id } from '../../shared/domain/commands.ts';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { projectEvent, projectState } from '../../shared/domain/projection.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import { LIMITS } from '../../shared/domain/limits.ts';
import { AuditDescriber, matchesFilter, type AuditFilter, type AuditRow } from '../../shared/report/audit.ts';
import { compareFollowUp, followUpItems, type FollowUpItem } from '../../shared/report/followup.ts';
import { buildReport, type Report } from '../../shared/report/report.ts';
import type { AppContext } from '../context.ts';
import { todayFrom } from '../reports/wardClock.ts';
import { attendance } from '../../shared/report/attendance.ts';
import { inviteesOf } from '../invitations/lookUp.ts';
import { attendanceWords, auditLabels, exportLabels, exportLanguage } from '../reports/labels.ts';
import { auditCsv, questionsCsv, reportCsv } from '../reports/reportCsv.ts';
import { reportXlsx } from '../reports/reportXlsx.ts';
import { reportDocx } from '../reports/reportDocx.ts';
import { DOCX_MIME } from '../documents/decree30.ts';
import { actorOf, loadSession } from './api.ts';
import { SESSION_INDEX } from '../sessions/sessionIndex.ts';
import { requireRole, type AuthedRequest } from './auth.ts';
import { AppError } from '../errors.ts';
import { parse } from './parse.ts';

const STAFF_VIEW = { audience: 'staff' } as const;

export interface AuditPage {
  /** The events as staff may see them (projectEvent), in seq order, with their rows in the same order. */
  events: DomainEvent[];
  rows: AuditRow[];
  /** Pass as `after` for the next page; null at the end. */
  next: number | null;
  /** Events matching the filter in the whole log. */
  total: number;
}

export interface FollowUpReply {
  today: string;
  items: FollowUpItem[];
  counts: { overdue: number; pending: number; done: number };
  /** Who may sign a reply letter, per session of the items: the session's officials not retired. */
  signers: Record<string, Array<{ id: string; name: string; title: string }>>;
}

const WrittenAnswerBody = z.strictObject({
  id: Id.optional(),
  text: z.string().trim().min(1).max(LIMITS.writtenAnswer),
});

const list = (value: unknown): string[] =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

const int = (value: unknown, fallback: number, min: number, max: number): number => {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : fallback;
  return Math.min(max, Math.max(min, n));
};

/** A file name safe in every browser: ASCII, the session's date, the kind of file. */
const fileName = (kind: string, state: SessionState, ext: string) =>
  `${kind}-${state.date || state.id.slice(0, 8)}.${ext}`;

function sendFile(res: Response, name: string, type: string, body: string | Buffer): void {
  res.set('Cache-Control', 'no-store').type(type).attachment(name).send(body);
}

export function officeRouter(ctx: AppContext): Router {
  const r = Router();
  const staff = requireRole(ctx);
  const admin = requireRole(ctx, ['admin']);
  const answerers = requireRole(ctx, ['admin', 'chair', 'vice_chair', 'official']);

  const staffState = async (id: unknown) => projectState(await loadSession(ctx, String(id)), STAFF_VIEW);
  const report = async (id: unknown, today: unknown): Promise<{ state: SessionState; report: Report }> => {
    const state = await staffState(id);
    // Attendance from the invitee list, counted as the panel's overview counts it (GET …/attendance).
    const present = attendance(await inviteesOf(ctx).list(state.id));
    const built = buildReport(state, { today: todayFrom(today) });
    return { state, report: present.invited > 0 ? { ...built, attendance: present } : built };
  };

  r.get('/sessions/:id/state', staff, async (req, res: Response<SessionState>) => {
    res.set('Cache-Control', 'no-store').json(await staffState(req.params.id));
  });

  r.get('/sessions/:id/report', staff, async (req, res: Response<Report>) => {
    res.set('Cache-Control', 'no-store').json((await report(req.params.id, req.query.today)).report);
  });

  r.get('/sessions/:id/export/report.csv', staff, async (req, res) => {
    const { state, report: rep } = await report(req.params.id, req.query.today);
    const lang = exportLanguage(req.query.lang);
    sendFile(
      res,
      fileName('tong-hop-y-kien', state, 'csv'),
      'text/csv; charset=utf-8',
      reportCsv(rep, exportLabels(lang), Date.now(), attendanceWords(lang)),
    );
  });

  r.get('/sessions/:id/export/questions.csv', staff, async (req, res) => {
    const { state, report: rep } = await report(req.params.id, req.query.today);
    const L = exportLabels(exportLanguage(req.query.lang));
    sendFile(
      res,
      fileName('danh-sach-y-kien', state, 'csv'),
      'text/csv; charset=utf-8',
      questionsCsv(rep, L),
    );
  });

  r.get('/sessions/:id/export/report.xlsx', staff, async (req, res) => {
    const { state, report: rep } = await report(req.params.id, req.query.today);
    const lang = exportLanguage(req.query.lang);
    const body = await reportXlsx(rep, exportLabels(lang), Date.now(), attendanceWords(lang));
    sendFile(
      res,
      fileName('tong-hop-y-kien', state, 'xlsx'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body,
    );
  });

  r.get('/sessions/:id/export/report.docx', staff, async (req, res) => {
    const { state, report: rep } = await report(req.params.id, req.query.today);
    const body = await reportDocx(rep, state, exportLabels('vi'));
    sendFile(res, fileName('bao-cao-tong-hop', state, 'docx'), DOCX_MIME, body);
  });

  /** The whole log, described in order (later events name what earlier ones introduced), then filtered. */
  const auditRows = async (id: unknown, query: AuthedRequest['query']) => {
    const state = await loadSession(ctx, String(id));
    const stored = (await ctx.store.events.read(state.id, 0)) as unknown as DomainEvent[];
    const describer = new AuditDescriber(auditLabels(exportLanguage(query.lang)));
    const filter: AuditFilter = { types: list(query.type), roles: list(query.role) };
    const out: Array<{ event: DomainEvent; row: AuditRow }> = [];
    for (const e of stored) {
      const event = projectEvent(e, STAFF_VIEW);
      if (!event) continue;
      const row = describer.row(event);
      if (matchesFilter(event, filter)) out.push({ event, row });
    }
    return { state, out };
  };

  r.get('/sessions/:id/events', admin, async (req, res: Response<AuditPage>) => {
    const { out } = await auditRows(req.params.id, req.query);
    const after = int(req.query.after, 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = int(req.query.limit, 200, 1, 1000);
    const rest = out.filter((x) => x.event.seq > after);
    const page = rest.slice(0, limit);
    res.set('Cache-Control', 'no-store').json({
      events: page.map((x) => x.event),
      rows: page.map((x) => x.row),
      next: rest.length > limit ? (page.at(-1)?.event.seq ?? null) : null,
      total: out.length,
    });
  });

  r.get('/sessions/:id/export/audit.csv', admin, async (req, res) => {
    const { state, out } = await auditRows(req.params.id, req.query);
    const L = exportLabels(exportLanguage(req.query.lang));
    sendFile(
      res,
      fileName('nhat-ky', state, 'csv'),
      'text/csv; charset=utf-8',
      auditCsv(
        out.map((x) => x.row),
        L,
      ),
    );
  });

  r.get('/followup', answerers, async (req, res: Response<FollowUpReply>) => {
    const today = todayFrom(req.query.today);
    const show = String(req.query.show ?? 'all');
    const ids = (await ctx.store.docs.list(SESSION_INDEX)).map((x) => x.key);
    const items: FollowUpItem[] = [];
    const signers: FollowUpReply['signers'] = {};
    for (const id of ids) {
      const state = await ctx.sessions.state(id);
      if (!state) continue;
      const own = followUpItems(projectState(state, STAFF_VIEW), today);
      items.push(...own);
      if (own.length > 0)
        signers[id] = state.officials
          .filter((o) => !o.retired)
          .map((o) => ({ id: o.id, name: o.name, title: o.title }));
    }
    items.sort(compareFollowUp);
    const counts = {
      overdue: items.filter((i) => i.overdue).length,
      pending: items.filter((i) => !i.done).length,
      done: items.filter((i) => i.done).length,
    };
    const shown = items.filter((i) =>
      show === 'overdue' ? i.overdue : show === 'pending' ? !i.done : show === 'done' ? i.done : true,
    );
    res.set('Cache-Control', 'no-store').json({ today, items: shown, counts, signers });
  });

  r.post('/sessions/:id/questions/:questionId/written-answer', answerers, async (req: AuthedRequest, res) => {
    const body = parse(WrittenAnswerBody, req.body);
    const state = await loadSession(ctx, String(req.params.id));
    const questionId = parse(Id, req.params.questionId);
    const ack = await ctx.sessions.dispatch(
      {
        type: 'question.answer_written',
        id: body.id ?? randomUUID(),
        sessionId: state.id,
        questionId,
        text: body.text,
      },
      actorOf(req),
    );
    if (!ack.ok) throw new AppError(ack.code, ack.message, ack.params);
    res.json(ack);
  });

  return r;
}

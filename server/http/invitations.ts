/**
 * Invitations (giấy mời) that check people in. Staff keep the session's invitee list; each invitee's giấy mời carries
 * a personal QR — the join link with an invitation token — that fills in the join form and marks them present.
 *
 *   GET    /api/sessions/:id/invitees                       admin, secretary   the list with check-ins, no tokens
 *   POST   /api/sessions/:id/invitees                       admin              add one (InviteeInputSchema)
 *   PUT    /api/sessions/:id/invitees/:inviteeId            admin              edit one
 *   DELETE /api/sessions/:id/invitees/:inviteeId            admin              remove one (its QR stops working)
 *   POST   /api/sessions/:id/invitees/import                admin              CSV text or XLSX (base64)
 *   DELETE /api/sessions/:id/invitees                       admin              erase the whole list
 *   PUT    /api/sessions/:id/invitees/:inviteeId/check-in   admin, secretary   {present}: the sign-in list's tick
 *   GET    /api/sessions/:id/invitations                    admin              the giấy mời: settings, links, QR codes
 *   GET    /api/sessions/:id/export/invitations.docx        admin              the giấy mời as DOCX (?invitee=: one)
 *   GET    /api/sessions/:id/invitations/settings           admin              number, signer, date (no QR drawn)
 *   PUT    /api/sessions/:id/invitations/settings           admin              number, signer, date
 *   GET    /api/sessions/:id/attendance                     staff              invited and present per section
 *   POST   /api/invitation {joinCode, token}                anyone             what the join form fills in
 *
 * The token lookup counts against the join budgets like a code lookup: a wrong token is a guess.
 */
import ExcelJS from 'exceljs';
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import {
  CheckInSchema,
  InvitationLookupSchema,
  InvitationSettingsSchema,
  InviteeImportSchema,
  InviteeInputSchema,
  participantKindOf,
  type InvitationView,
  type InvitationsReply,
  type InviteeImportReply,
} from '../../shared/invitations/invitees.ts';
import { csvRows, inviteesFromRows } from '../../shared/invitations/importRows.ts';
import { attendance } from '../../shared/report/attendance.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { withoutToken } from '../invitations/InviteeStore.ts';
import { invitationLink, inviteesOf, lookUpInvitation } from '../invitations/lookUp.ts';
import { DOCX_MIME } from '../documents/decree30.ts';
import { invitationLettersDocx } from '../documents/invitationLetter.ts';
import { joinOrigin } from './addresses.ts';
import { loadSession } from './api.ts';
import { requireRole } from './auth.ts';
import { parse } from './parse.ts';

/** Most invitees one session may have: the plan's hall is 200–400 people. */
const MAX_INVITEES = 1000;

export function invitationsRouter(ctx: AppContext): Router {
  const r = Router();
  const admin = requireRole(ctx, ['admin']);
  const office = requireRole(ctx, ['admin', 'secretary']);
  const staff = requireRole(ctx);
  const store = inviteesOf(ctx);

  const sessionOf = async (req: Request) => loadSession(ctx, String(req.params.id));
  const inviteeIdOf = (req: Request) => String(req.params.inviteeId);

  r.get('/sessions/:id/invitees', office, async (req, res) => {
    const s = await sessionOf(req);
    res.set('Cache-Control', 'no-store').json((await store.list(s.id)).map(withoutToken));
  });

  r.post('/sessions/:id/invitees', admin, async (req, res) => {
    const s = await sessionOf(req);
    const input = parse(InviteeInputSchema, req.body);
    if ((await store.list(s.id)).length >= MAX_INVITEES)
      throw new AppError('too_large', 'too many invitees', { max: MAX_INVITEES });
    res.status(201).json(await store.add(s.id, input));
  });

  r.put('/sessions/:id/invitees/:inviteeId', admin, async (req, res) => {
    const s = await sessionOf(req);
    const updated = await store.update(s.id, inviteeIdOf(req), parse(InviteeInputSchema, req.body));
    if (!updated) throw new AppError('not_found', 'no such invitee');
    res.json(updated);
  });

  r.delete('/sessions/:id/invitees/:inviteeId', admin, async (req, res) => {
    const s = await sessionOf(req);
    if (!(await store.remove(s.id, inviteeIdOf(req)))) throw new AppError('not_found', 'no such invitee');
    res.status(204).end();
  });

  r.delete('/sessions/:id/invitees', admin, async (req, res) => {
    const s = await sessionOf(req);
    const erased = await store.erase(s.id);
    ctx.logger.info({ sessionId: s.id, erased }, 'invitee list erased');
    res.json({ erased });
  });

  r.post('/sessions/:id/invitees/import', admin, async (req, res) => {
    const s = await sessionOf(req);
    const { format, data } = parse(InviteeImportSchema, req.body);
    const rows = format === 'csv' ? csvRows(data) : await xlsxRows(data);
    const { invitees, rejected } = inviteesFromRows(rows);
    const room = MAX_INVITEES - (await store.list(s.id)).length;
    if (invitees.length > room) throw new AppError('too_large', 'too many invitees', { max: MAX_INVITEES });
    for (const input of invitees) await store.add(s.id, input);
    const reply: InviteeImportReply = { added: invitees.length, rejected };
    res.json(reply);
  });

  r.put('/sessions/:id/invitees/:inviteeId/check-in', office, async (req, res) => {
    const s = await sessionOf(req);
    const { present } = parse(CheckInSchema, req.body);
    const id = inviteeIdOf(req);
    if (!(await store.get(s.id, id))) throw new AppError('not_found', 'no such invitee');
    if (present) await store.checkIn(s.id, id, 'staff');
    else await store.undoCheckIn(s.id, id);
    res.json({ present });
  });

  r.get('/sessions/:id/invitations', admin, async (req, res) => {
    const s = await sessionOf(req);
    const origin = await joinOrigin(ctx, req);
    const [invitees, settings, ward] = await Promise.all([
      store.list(s.id),
      store.settings(s.id),
      ctx.ward.get(),
    ]);
    const cards = await Promise.all(
      invitees.map(async (invitee) => {
        const link = invitationLink(origin, s.joinCode, invitee.token);
        const qrSvg = await QRCode.toString(link, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
        return { invitee: withoutToken(invitee), link, qrSvg };
      }),
    );
    const reply: InvitationsReply = { settings, ...(ward.address ? { address: ward.address } : {}), cards };
    res.set('Cache-Control', 'no-store').json(reply);
  });

  r.get('/sessions/:id/export/invitations.docx', admin, async (req, res) => {
    const s = await sessionOf(req);
    const one = typeof req.query.invitee === 'string' ? req.query.invitee : undefined;
    const origin = await joinOrigin(ctx, req);
    const [all, settings, ward] = await Promise.all([store.list(s.id), store.settings(s.id), ctx.ward.get()]);
    const chosen = one === undefined ? all : all.filter((i) => i.id === one);
    if (chosen.length === 0) throw new AppError('not_found', one ? 'no such invitee' : 'nobody is invited');
    const cards = chosen.map((invitee) => ({
      invitee: withoutToken(invitee),
      link: invitationLink(origin, s.joinCode, invitee.token),
    }));
    const body = await invitationLettersDocx(s, cards, settings, ward.address);
    res
      .set('Cache-Control', 'no-store')
      .type(DOCX_MIME)
      .attachment(`giay-moi-${s.date}${chosen.length === 1 ? `-${chosen[0]!.id.slice(0, 8)}` : ''}.docx`)
      .send(body);
  });

  // The Khách mời tab's form reads only these: no invitee's QR is drawn for it.
  r.get('/sessions/:id/invitations/settings', admin, async (req, res) => {
    const s = await sessionOf(req);
    res.set('Cache-Control', 'no-store').json(await store.settings(s.id));
  });

  r.put('/sessions/:id/invitations/settings', admin, async (req, res) => {
    const s = await sessionOf(req);
    const settings = parse(InvitationSettingsSchema, req.body);
    await store.saveSettings(s.id, settings);
    res.json(settings);
  });

  r.get('/sessions/:id/attendance', staff, async (req, res) => {
    const s = await sessionOf(req);
    res.set('Cache-Control', 'no-store').json(attendance(await store.list(s.id)));
  });

  r.post('/invitation', async (req, res) => {
    const { joinCode, token } = parse(InvitationLookupSchema, req.body);
    const { invitee } = await lookUpInvitation(ctx, req, joinCode, token);
    if (!invitee) throw new AppError('invalid_invitation', 'this invitation is not valid for this meeting');
    const view: InvitationView = {
      salutation: invitee.salutation,
      name: invitee.name,
      kind: participantKindOf(invitee.category),
      ...(invitee.group !== undefined ? { group: invitee.group } : {}),
      ...(invitee.organisation ? { organisation: invitee.organisation } : {}),
    };
    res.set('Cache-Control', 'no-store').json(view);
  });

  return r;
}

/** The first worksheet's cells as text. */
async function xlsxRows(base64: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(base64, 'base64') as unknown as ArrayBuffer);
  } catch {
    throw new AppError('bad_request', 'not an XLSX file', { field: 'data' });
  }
  const sheet = workbook.worksheets[0];
  const rows: string[][] = [];
  sheet?.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= row.cellCount; c++) cells.push(row.getCell(c).text ?? '');
    rows.push(cells);
  });
  return rows;
}

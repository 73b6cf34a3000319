/**
 * Written replies that reach everyone (issue 13, finding 3): the askers' contacts, the reply letters and their
 * delivery. Thin: parse, authorise, call the contact book or the session service.
 *
 *   PUT  /api/sessions/:id/my-contact                       attendee of the session   {phone?, address?}
 *   GET  /api/sessions/:id/my-contact                       attendee of the session   → {contact, retentionDays}
 *   PUT  /api/sessions/:id/participants/:pid/contact        admin, secretary (paper forms)
 *   GET  /api/sessions/:id/contacts                         admin (the office sends the replies)
 *   POST /api/sessions/:id/replies/letter                   admin   {id?, questionIds, number, date, signedBy}
 *   POST /api/sessions/:id/replies/delivery                 admin   {id?, questionIds, method, date}
 *   GET  /api/sessions/:id/export/reply-letter.docx?questions=a,b   admin (in Vietnamese: an official letter)
 *
 * A contact never enters the event log: no phone, screen, staff tablet, export or audit row carries it.
 */
import { randomUUID } from 'node:crypto';
import { Router, type Response } from 'express';
import { Id } from '../../shared/domain/commands.ts';
import { own } from '../../shared/domain/records.ts';
import {
  ContactSchema,
  ReplyDeliverySchema,
  ReplyLetterSchema,
  type Ack,
  type Contact,
  type MyContactReply,
} from '../../shared/protocol.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { DOCX_MIME } from '../documents/decree30.ts';
import { replyLetterDocx } from '../documents/replyLetter.ts';
import { actorOf, loadSession } from './api.ts';
import { requireRole, type AuthedRequest } from './auth.ts';
import { parse } from './parse.ts';

/** The attendee's own participant id, when their token is bound to this session. */
function selfIn(req: AuthedRequest, sessionId: string): string {
  const c = req.claims;
  if (!c || c.role !== 'attendee' || c.sid !== sessionId)
    throw new AppError('forbidden', 'a token of this session is needed');
  return c.sub;
}

export function repliesRouter(ctx: AppContext): Router {
  const r = Router();
  const attendee = requireRole(ctx, ['attendee']);
  const office = requireRole(ctx, ['admin']);
  const formEntry = requireRole(ctx, ['admin', 'secretary']);

  r.put('/sessions/:id/my-contact', attendee, async (req: AuthedRequest, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    const me = selfIn(req, state.id);
    await ctx.contacts.set(state.id, me, parse(ContactSchema, req.body), Date.now());
    res.status(204).end();
  });

  r.get('/sessions/:id/my-contact', attendee, async (req: AuthedRequest, res) => {
    const sessionId = parse(Id, req.params.id);
    const stored = await ctx.contacts.get(sessionId, selfIn(req, sessionId));
    const contact = stored && { phone: stored.phone, address: stored.address };
    const reply: MyContactReply = { contact, retentionDays: ctx.config.contactRetentionDays };
    res.set('Cache-Control', 'no-store').json(reply);
  });

  r.put('/sessions/:id/participants/:pid/contact', formEntry, async (req: AuthedRequest, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    const participantId = parse(Id, req.params.pid);
    if (!own(state.participants, participantId))
      throw new AppError('not_found', 'no such participant', { participantId });
    await ctx.contacts.set(state.id, participantId, parse(ContactSchema, req.body), Date.now());
    res.status(204).end();
  });

  r.get('/sessions/:id/contacts', office, async (req, res: Response<Record<string, Contact>>) => {
    const state = await loadSession(ctx, String(req.params.id));
    res.set('Cache-Control', 'no-store').json(await ctx.contacts.ofSession(state.id));
  });

  const dispatch = async (req: AuthedRequest, command: Parameters<AppContext['sessions']['dispatch']>[0]) => {
    const ack: Ack = await ctx.sessions.dispatch(command, actorOf(req));
    if (!ack.ok) throw new AppError(ack.code, ack.message, ack.params);
    return ack;
  };

  r.post('/sessions/:id/replies/letter', office, async (req: AuthedRequest, res) => {
    const { id, ...body } = parse(ReplyLetterSchema, req.body);
    const state = await loadSession(ctx, String(req.params.id));
    res.json(
      await dispatch(req, {
        type: 'question.reply_issue',
        id: id ?? randomUUID(),
        sessionId: state.id,
        ...body,
      }),
    );
  });

  r.post('/sessions/:id/replies/delivery', office, async (req: AuthedRequest, res) => {
    const { id, ...body } = parse(ReplyDeliverySchema, req.body);
    const state = await loadSession(ctx, String(req.params.id));
    res.json(
      await dispatch(req, {
        type: 'question.delivery_record',
        id: id ?? randomUUID(),
        sessionId: state.id,
        ...body,
      }),
    );
  });

  r.get('/sessions/:id/export/reply-letter.docx', office, async (req, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    const ids = String(req.query.questions ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((x) => parse(Id, x));
    if (ids.length === 0) throw new AppError('bad_request', 'name the questions', { field: 'questions' });
    const contacts = await ctx.contacts.ofSession(state.id);
    const { body, number } = await replyLetterDocx(state, ids, contacts);
    const safe = number.replace(/[^A-Za-z0-9-]+/g, '-').replace(/^-|-$/g, '') || 'tra-loi';
    res.set('Cache-Control', 'no-store').type(DOCX_MIME).attachment(`cong-van-${safe}.docx`).send(body);
  });

  return r;
}

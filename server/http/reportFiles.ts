/**
 * The report's pages for the big screen: the office uploads images and PDFs, the panel turns the pages
 * (`report.show_page` on the socket), the screen loads the page it shows from here.
 *
 *   POST   /api/sessions/:id/report-files?name=…   admin            the file as the body (PNG, JPEG, WebP or PDF)
 *   GET    /api/sessions/:id/report-files/:fileId  staff, screen    the file, for the page on the screen
 *   DELETE /api/sessions/:id/report-files/:fileId  admin            the file and its pages
 *
 * The file is stored before its pages are recorded (`report.add_pages`), so no page is ever listed without its file;
 * a refused record takes the stored file away again. Phones never get the files: an attendee token is refused.
 */
import { randomUUID } from 'node:crypto';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import { LIMITS } from '../../shared/domain/limits.ts';
import type { ReportPage } from '../../shared/domain/types.ts';
import type { ReportFileReply } from '../../shared/protocol.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { ReportFiles } from '../reports/ReportFiles.ts';
import { sniffReportFile } from '../reports/reportFileType.ts';
import { actorOf, loadSession } from './api.ts';
import { authenticate, bearer, requireRole, type AuthedRequest } from './auth.ts';
import { parse } from './parse.ts';

const UploadQuerySchema = z.object({ name: z.string().trim().min(1).max(LIMITS.title) });

/** The body as bytes whatever its type; a larger one is refused with the limit in the error. */
const readBytes = express.raw({ type: () => true, limit: LIMITS.reportFileBytes });
const tooLarge = (err: unknown, _req: Request, _res: Response, next: NextFunction) => {
  const status = typeof err === 'object' && err !== null && 'status' in err ? Number(err.status) : 0;
  next(
    status === 413
      ? new AppError('too_large', 'the file is too large', { maxBytes: LIMITS.reportFileBytes })
      : err,
  );
};

export function reportFilesRouter(ctx: AppContext): Router {
  const r = Router();
  const admin = requireRole(ctx, ['admin']);
  const files = new ReportFiles(ctx.store.docs);

  r.post(
    '/sessions/:id/report-files',
    admin,
    readBytes,
    tooLarge,
    async (req: AuthedRequest, res: Response) => {
      const state = await loadSession(ctx, String(req.params.id));
      const { name } = parse(UploadQuerySchema, req.query);
      const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      const sniffed = sniffReportFile(bytes);
      if (!sniffed) throw new AppError('unsupported_file', 'not a PNG, JPEG, WebP image or a readable PDF');
      const held = state.reportPages?.length ?? 0;
      if (held + sniffed.pages > LIMITS.reportPages)
        throw new AppError('too_large', 'too many report pages', { max: LIMITS.reportPages, held });
      const fileId = randomUUID();
      const pages: ReportPage[] = Array.from({ length: sniffed.pages }, (_, i) => ({
        id: `${fileId}-${i + 1}`,
        fileId,
        name,
        mime: sniffed.mime,
        page: i + 1,
      }));
      await files.put(state.id, fileId, { name, mime: sniffed.mime, bytes });
      const ack = await ctx.sessions.dispatch(
        { type: 'report.add_pages', id: randomUUID(), sessionId: state.id, pages },
        actorOf(req),
      );
      if (!ack.ok) {
        await files.delete(state.id, fileId);
        throw new AppError(ack.code, ack.message, ack.params);
      }
      const reply: ReportFileReply = { fileId, pages, seq: ack.seq };
      res.status(201).json(reply);
    },
  );

  r.get('/sessions/:id/report-files/:fileId', async (req, res) => {
    const sessionId = String(req.params.id);
    const claims = await authenticate(ctx, bearer(req));
    if (!claims) throw new AppError('unauthorized', 'sign in first');
    const mayRead = claims.role === 'screen' ? claims.sid === sessionId : claims.role !== 'attendee';
    if (!mayRead) throw new AppError('forbidden', `${claims.role} may not read report files`);
    const file = await files.get(sessionId, String(req.params.fileId));
    if (!file) throw new AppError('not_found', 'no such report file');
    // A file id names one upload's bytes for ever: the screen may keep it.
    res.set('Cache-Control', 'private, max-age=86400, immutable').type(file.mime).send(file.bytes);
  });

  r.delete('/sessions/:id/report-files/:fileId', admin, async (req: AuthedRequest, res) => {
    const state = await loadSession(ctx, String(req.params.id));
    const fileId = String(req.params.fileId);
    const ack = await ctx.sessions.dispatch(
      { type: 'report.remove_file', id: randomUUID(), sessionId: state.id, fileId },
      actorOf(req),
    );
    if (!ack.ok) throw new AppError(ack.code, ack.message, ack.params);
    await files.delete(state.id, fileId);
    res.json({ seq: ack.seq });
  });

  return r;
}

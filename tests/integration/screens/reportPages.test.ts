/**
 * The report's pages on the big screen: the office uploads images and PDFs over HTTP, the panel turns the pages on
 * the socket, the screen is told and loads the page's file; phones learn nothing of it. The files live in the
 * document store, so in a scale-out the node a projector talks to serves a file another node received.
 */
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportFileReply, SyncReply } from '../../../shared/protocol.ts';
import { LIMITS } from '../../../shared/domain/limits.ts';
import { pdfPageCount } from '../../../server/reports/reportFileType.ts';
import { twoNodesOnRedis } from '../../helpers/twoNodes.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==',
  'base64',
);

/** A PDF whose page objects are written out, as older tools write them. */
function plainPdf(pages: number): Buffer {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    `2 0 obj << /Type /Pages /Kids [${kids}] /Count ${pages} >> endobj`,
    ...Array.from(
      { length: pages },
      (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] >> endobj`,
    ),
  ];
  return Buffer.from(`%PDF-1.4\n${objects.join('\n')}\ntrailer << /Root 1 0 R >>\n%%EOF\n`, 'latin1');
}

/** A PDF 1.5 whose page objects sit in a compressed object stream (what office suites write today). */
function compressedPdf(pages: number): Buffer {
  const inner = Array.from({ length: pages }, () => '<</Type/Page/Parent 2 0 R>>').join(' ');
  const stream = deflateSync(Buffer.from(`2 0 ${inner}`, 'latin1'));
  return Buffer.concat([
    Buffer.from(
      `%PDF-1.5\n1 0 obj <</Type/Catalog/Pages 2 0 R>> endobj\n5 0 obj <</Type/ObjStm/N ${pages}/First 4/Filter/FlateDecode/Length ${stream.length}>>stream\n`,
      'latin1',
    ),
    stream,
    Buffer.from('\nendstream endobj\n%%EOF\n', 'latin1'),
  ]);
}

async function upload(node: TestServer, sessionId: string, bytes: Buffer, name: string, type: string) {
  const res = await fetch(
    `${node.url}/api/sessions/${sessionId}/report-files?name=${encodeURIComponent(name)}`,
    {
      method: 'POST',
      headers: { authorization: `Bearer ${node.adminToken}`, 'content-type': type },
      body: new Uint8Array(bytes),
    },
  );
  return {
    status: res.status,
    body: (await res.json()) as ReportFileReply & { code?: string; params?: object },
  };
}

const readFile = (node: TestServer, sessionId: string, fileId: string, token: string) =>
  fetch(`${node.url}/api/sessions/${sessionId}/report-files/${fileId}`, {
    headers: { authorization: `Bearer ${token}` },
  });

async function displayToken(node: TestServer, sessionId: string): Promise<string> {
  const res = await node.api<{ token: string }>('POST', `/api/sessions/${sessionId}/display-token`, {
    token: node.adminToken,
  });
  return res.body.token;
}

/** Waits until `received` holds an event of `type` after `from` events, and returns it. */
async function next(received: Array<{ type: string }>, type: string, from: number) {
  for (let i = 0; i < 200; i++) {
    const found = received.slice(from).find((e) => e.type === type);
    if (found) return found as Record<string, unknown>;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${type}`);
}

describe('report pages on one node', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts the pages of written-out and compressed PDFs', () => {
    expect(pdfPageCount(plainPdf(3))).toBe(3);
    expect(pdfPageCount(compressedPdf(4))).toBe(4);
  });

  it('uploads, turns and removes pages: staff and the screen follow, phones never hear of it', async () => {
    const { id, joinCode } = await server.createSession();
    await server.setStatus(id, 'live');
    const chair = await server.staffToken('chair');
    const screenToken = await displayToken(server, id);
    const phone = await server.join(joinCode, { name: 'Ông Ba' });
    const screen = await subscribe(await server.connect(screenToken), id);
    const attendee = await subscribe(await server.connect(phone.token), id);

    // A picture and a three-page PDF: four pages in upload order.
    const image = await upload(server, id, PNG, 'so-lieu.png', 'image/png');
    expect(image.status).toBe(201);
    expect(image.body.pages).toEqual([
      {
        id: `${image.body.fileId}-1`,
        fileId: image.body.fileId,
        name: 'so-lieu.png',
        mime: 'image/png',
        page: 1,
      },
    ]);
    const pdf = await upload(server, id, plainPdf(3), 'Báo cáo CCHC.pdf', 'application/pdf');
    expect(pdf.status).toBe(201);
    expect(pdf.body.pages.map((p) => [p.mime, p.page, p.name])).toEqual([
      ['application/pdf', 1, 'Báo cáo CCHC.pdf'],
      ['application/pdf', 2, 'Báo cáo CCHC.pdf'],
      ['application/pdf', 3, 'Báo cáo CCHC.pdf'],
    ]);
    const changed = await next(screen.received, 'report.pages_changed', 1);
    expect((changed.pages as unknown[]).length).toBe(4);

    // The panel turns to the PDF's second page; the screen is told which, and may read the file.
    const shown = pdf.body.pages[1]!.id;
    const from = screen.received.length;
    const ack = await server.command(chair, { type: 'report.show_page', sessionId: id, pageId: shown });
    expect(ack.ok).toBe(true);
    expect((await next(screen.received, 'report.page_shown', from)).pageId).toBe(shown);
    const file = await readFile(server, id, pdf.body.fileId, screenToken);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await file.arrayBuffer()).equals(plainPdf(3))).toBe(true);
    expect((await readFile(server, id, image.body.fileId, chair)).status).toBe(200);

    // A page that is not there is refused.
    const unknown = await server.command(chair, { type: 'report.show_page', sessionId: id, pageId: 'nope' });
    expect(unknown).toMatchObject({ ok: false, code: 'not_found' });

    // Phones: no event, nothing in a fresh snapshot, no file.
    expect(attendee.received.filter((e) => e.type.startsWith('report.'))).toEqual([]);
    const fresh = await server.connect(phone.token);
    const sync: SyncReply = await fresh.emitWithAck('sync', { sessionId: id, since: 0 });
    const state = sync.ok && sync.mode === 'snapshot' ? sync.state : undefined;
    expect(state?.reportPages).toBeUndefined();
    expect(state?.reportPageId).toBeUndefined();
    expect((await readFile(server, id, pdf.body.fileId, phone.token)).status).toBe(403);
    const screenSync: SyncReply = await (
      await server.connect(screenToken)
    ).emitWithAck('sync', {
      sessionId: id,
      since: 0,
    });
    expect(screenSync.ok && screenSync.mode === 'snapshot' && screenSync.state.reportPageId).toBe(shown);
    // Another session's screen may not read this one's files.
    const other = await server.createSession({ title: 'Hội nghị khác' });
    expect((await readFile(server, id, pdf.body.fileId, await displayToken(server, other.id))).status).toBe(
      403,
    );

    // Removing the PDF takes its pages off and the screen back to the figures; its file is gone.
    const before = screen.received.length;
    const removed = await server.api('DELETE', `/api/sessions/${id}/report-files/${pdf.body.fileId}`, {
      token: server.adminToken,
    });
    expect(removed.status).toBe(200);
    expect((await next(screen.received, 'report.page_shown', before)).pageId).toBeNull();
    expect(((await next(screen.received, 'report.pages_changed', before)).pages as unknown[]).length).toBe(1);
    expect((await readFile(server, id, pdf.body.fileId, screenToken)).status).toBe(404);
    expect(attendee.received.filter((e) => e.type.startsWith('report.'))).toEqual([]);
  });

  it('refuses what the screen cannot show, with typed errors, and records nothing', async () => {
    const { id } = await server.createSession();
    const text = await upload(server, id, Buffer.from('not a picture'), 'ghi-chu.txt', 'image/png');
    expect(text).toMatchObject({ status: 415, body: { code: 'unsupported_file' } });
    const pdfWithoutPages = await upload(
      server,
      id,
      Buffer.from('%PDF-1.4\n%%EOF'),
      'rong.pdf',
      'application/pdf',
    );
    expect(pdfWithoutPages).toMatchObject({ status: 415, body: { code: 'unsupported_file' } });
    const big = Buffer.concat([PNG, Buffer.alloc(LIMITS.reportFileBytes)]);
    expect(await upload(server, id, big, 'lon.png', 'image/png')).toMatchObject({
      status: 413,
      body: { code: 'too_large', params: { maxBytes: LIMITS.reportFileBytes } },
    });
    const tooMany = await upload(server, id, plainPdf(LIMITS.reportPages + 1), 'dai.pdf', 'application/pdf');
    expect(tooMany).toMatchObject({
      status: 413,
      body: { code: 'too_large', params: { max: LIMITS.reportPages } },
    });
    const noName = await fetch(`${server.url}/api/sessions/${id}/report-files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'image/png' },
      body: new Uint8Array(PNG),
    });
    expect(noName.status).toBe(400);
    const chair = await server.staffToken('chair');
    const res = await fetch(`${server.url}/api/sessions/${id}/report-files?name=a.png`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chair}`, 'content-type': 'image/png' },
      body: new Uint8Array(PNG),
    });
    expect(res.status).toBe(403);
    const state = await server.app.ctx.sessions.state(id);
    expect(state?.reportPages).toBeUndefined();
  });
});

describe('report pages in a scale-out', () => {
  const nodes = twoNodesOnRedis();

  it('a file uploaded to one node is served by the other to the screen', async () => {
    const { a, b } = nodes;
    const { id } = await a.createSession();
    const uploaded = await upload(a, id, PNG, 'so-lieu.png', 'image/png');
    expect(uploaded.status).toBe(201);
    const file = await readFile(b, id, uploaded.body.fileId, await displayToken(b, id));
    expect(file.status).toBe(200);
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);
  });
});

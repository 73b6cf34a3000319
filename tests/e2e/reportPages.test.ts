/**
 * The report's pages on the big screen, through the real UI: the office uploads two slides on the session's
 * programme tab (a wrong file gets a clear error), the chairman's panel turns the pages during the report, and the
 * projector follows with the page as large as the join card leaves, the QR and the join address still there.
 * axe on each surface; the screen's page goes to docs/screenshots/screen-report-page.png for the README.
 * A PDF's pages are drawn on a canvas (pdf.js): the browser's own PDF viewer is a plugin, which the CSP keeps out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { LoginReply, ReportFileReply } from '../../shared/protocol.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.ts';
import { clientEnv, SHOTS } from './attendeeHelpers.ts';
import { must, openPanel, openScreen, PROJECTOR, signIn, type StaffLogin } from './panelHelpers.ts';

let server: TestServer;
let browser: Browser;
let chair: StaffLogin;

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  chair = await signIn(server, 'chair', 'Nguyễn Văn Hùng');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A report slide as the office would export it from its presentation: drawn in the browser, saved as PNG. */
async function slide(title: string, rows: Array<[string, number]>): Promise<Buffer> {
  const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
  const bars = rows
    .map(
      ([label, value]) =>
        `<div class="row"><span>${label}</span><div class="bar" style="width:${value * 8}px"></div><b>${value}%</b></div>`,
    )
    .join('');
  await page.setContent(`<!doctype html><html lang="vi"><body style="margin:0;font-family:sans-serif;background:#fff">
    <div style="padding:60px 80px"><p style="color:#b91c1c;font-size:28px;margin:0">UBND PHƯỜNG AN BÌNH</p>
    <h1 style="font-size:64px;margin:10px 0 50px;color:#0b1f3a">${title}</h1>
    <style>.row{display:flex;align-items:center;gap:24px;font-size:34px;margin:22px 0}.row span{width:420px}
    .bar{height:48px;background:#1d4ed8;border-radius:6px}</style>${bars}</div></body></html>`);
  const png = await page.screenshot({ type: 'png' });
  await page.close();
  return png;
}

/**
 * A landscape A4 PDF written out by hand, one content stream per page (text in Helvetica, filled bars), with the
 * cross-reference table a PDF reader expects.
 */
function handWrittenPdf(pages: string[]): Buffer {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${pages.map((_, i) => `${4 + 2 * i} 0 R`).join(' ')}] /Count ${pages.length} >>`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ...pages.flatMap((content, i) => [
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 842 595] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`,
      `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    ]),
  ];
  let text = '%PDF-1.4\n';
  const offsets = objects.map((object, i) => {
    const at = text.length;
    text += `${i + 1} 0 obj\n${object}\nendobj\n`;
    return at;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, 'latin1');
}

/** The canvas shrunk to 64×36 grey levels (0 black … 255 white): enough to tell two pages apart. */
function canvasGreys(canvas: Locator): Promise<number[]> {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const small = document.createElement('canvas');
    small.width = 64;
    small.height = 36;
    const context = small.getContext('2d')!;
    context.drawImage(c, 0, 0, small.width, small.height);
    const rgba = context.getImageData(0, 0, small.width, small.height).data;
    const greys: number[] = [];
    for (let i = 0; i < rgba.length; i += 4)
      greys.push(Math.round((rgba[i]! + rgba[i + 1]! + rgba[i + 2]!) / 3));
    return greys;
  });
}

/** The canvas's pixels per CSS pixel of its box, and its box: a crisp page has one pixel per device pixel. */
function canvasDensity(canvas: Locator) {
  return canvas.evaluate((c: HTMLCanvasElement) => {
    const box = c.getBoundingClientRect();
    return { pixels: c.width / box.width / devicePixelRatio, width: box.width, height: box.height };
  });
}

/** The page drawn on the figure's canvas; null without one (an image, or a PDF in an <iframe>). */
function drawnPage(figure: Locator): Promise<string | null> {
  return figure.evaluate((f) => f.querySelector('canvas')?.getAttribute('data-drawn-page-id') ?? null);
}

async function shownPage(screen: Page): Promise<string | null> {
  const figure = screen.getByTestId('screen-report-page');
  return (await figure.count()) ? figure.getAttribute('data-page-id') : null;
}

describe('report pages', () => {
  it('the office uploads, the panel turns, the screen follows', async () => {
    const { id: sessionId, joinCode } = await server.createSession({
      title: 'Hội nghị đối thoại cuối năm 2026',
    });
    const slides = [
      {
        name: 'bao-cao-1.png',
        mimeType: 'image/png',
        buffer: await slide('Kết quả giải quyết hồ sơ năm 2026', [
          ['Đúng hạn', 98],
          ['Trực tuyến toàn trình', 64],
          ['Hài lòng', 95],
        ]),
      },
      {
        name: 'bao-cao-2.png',
        mimeType: 'image/png',
        buffer: await slide('Lĩnh vực có hồ sơ trễ hạn', [
          ['Đất đai', 4],
          ['Xây dựng', 2],
        ]),
      },
    ];

    // The office, on the programme tab.
    const login = await server.api<LoginReply>('POST', '/api/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const office = await browser.newContext({ baseURL: server.url, viewport: { width: 1024, height: 768 } });
    await office.addInitScript(
      (staff) => localStorage.setItem('dialogue-board:staff', staff),
      JSON.stringify(login.body),
    );
    const admin = await office.newPage();
    await admin.goto(`/admin/sessions/${sessionId}/agenda`);
    const section = admin.getByTestId('report-pages');
    await section.waitFor();
    await admin.getByTestId('report-file').setInputFiles({
      name: 'ghi-chu.png',
      mimeType: 'image/png',
      buffer: Buffer.from('không phải ảnh'),
    });
    await admin.getByTestId('report-upload').click();
    await section.getByRole('alert').getByText('Tệp không đúng loại').waitFor();
    await admin.getByTestId('report-file').setInputFiles(slides);
    await admin.getByTestId('report-upload').click();
    await section.getByText('Đã tải lên 2 trang.').waitFor();
    await expect.poll(() => admin.getByTestId('report-file-list').locator('li').count()).toBe(2);
    await axeCheck(admin, { label: 'admin report pages' });
    await office.close();

    await server.setStatus(sessionId, 'live');
    const reportItem = (await server.app.ctx.sessions.state(sessionId))!.agenda.find(
      (a) => a.kind === 'report',
    )!;
    await must(server, chair.token, { sessionId, type: 'agenda.start', itemId: reportItem.id });

    // The hall's address, as the office sets it on the server PC (no localhost warning over the page).
    await server.api('PUT', '/api/addresses/join', {
      token: server.adminToken,
      body: { address: 'http://192.168.1.10:3000' },
    });
    const { context: screenContext, page: screen } = await openScreen(browser, server, sessionId);
    await expect.poll(() => screen.getByTestId('screen-live').getAttribute('data-mode')).toBe('report');
    expect(await shownPage(screen)).toBeNull();

    const { context: panelContext, page: panel } = await openPanel(browser, server.url, chair, sessionId, {
      tab: 'agenda',
    });
    const pager = panel.getByTestId('report-pager');
    await pager.waitFor();
    expect(await panel.getByTestId('report-pager-status').textContent()).toContain('số liệu nổi bật');
    const state = await server.app.ctx.sessions.state(sessionId);
    const [first, second] = state!.reportPages!;

    await panel.getByTestId('report-next').click();
    await expect.poll(() => shownPage(screen)).toBe(first!.id);
    const image = screen.getByTestId('screen-report-page').locator('img');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1600);
    expect(await screen.getByTestId('screen-report-page-number').textContent()).toContain('Trang 1/2');
    // The page takes most of the projector; the QR and the join address stay.
    const box = (await image.boundingBox())!;
    expect(box.width).toBeGreaterThan(PROJECTOR.width * 0.7);
    expect(box.height).toBeGreaterThan(PROJECTOR.height * 0.8);
    expect(await screen.getByTestId('join-code').textContent()).toBe(joinCode);
    const qr = (await screen.getByTestId('join-qr').boundingBox())!;
    expect(qr.y + qr.height).toBeLessThanOrEqual(PROJECTOR.height);
    const address = (await screen.getByTestId('join-address').boundingBox())!;
    expect(address.height).toBeGreaterThanOrEqual(40);
    await axeCheck(screen, { label: 'screen report page' });
    await axeCheck(panel, { label: 'panel report pager' });
    await screen.screenshot({ path: `${SHOTS}/screen-report-page.png` });
    await pager.screenshot({ path: `${SHOTS}/panel-report-pager.png` });

    await panel.getByTestId('report-next').click();
    await expect.poll(() => shownPage(screen)).toBe(second!.id);
    expect(await panel.getByTestId('report-next').isDisabled()).toBe(true);
    await panel.getByTestId('report-prev').click();
    await expect.poll(() => shownPage(screen)).toBe(first!.id);
    await panel.getByRole('button', { name: 'Về số liệu nổi bật' }).click();
    await expect.poll(() => shownPage(screen)).toBeNull();
    await panelContext.close();

    // In English on a phone, the pager reads and fits.
    const { context: phoneContext, page: small } = await openPanel(browser, server.url, chair, sessionId, {
      tab: 'agenda',
      lang: 'en',
      viewport: { width: 360, height: 640 },
    });
    const next = small.getByRole('button', { name: 'Next page' });
    await next.scrollIntoViewIfNeeded();
    const nextBox = (await next.boundingBox())!;
    expect(nextBox.x + nextBox.width).toBeLessThanOrEqual(360);
    await axeCheck(small, { label: 'panel report pager en phone' });
    await next.click();
    await expect.poll(() => shownPage(screen)).toBe(first!.id);
    await phoneContext.close();
    await screenContext.close();
  }, 180_000);

  it('a PDF page is drawn on the screen, crisp and whole, and the panel turns to its second page', async () => {
    const { id: sessionId } = await server.createSession({ title: 'Hội nghị đối thoại quý IV' });
    const pdf = handWrittenPdf([
      '0 0 0 rg BT /F1 40 Tf 60 500 Td (Ket qua giai quyet ho so 2026) Tj ET 0.11 0.31 0.85 rg 60 300 700 60 re f 60 180 520 60 re f',
      '0 0 0 rg BT /F1 40 Tf 60 500 Td (Linh vuc tre han) Tj ET 0.73 0.11 0.11 rg 500 60 280 380 re f',
    ]);
    const uploaded = await fetch(
      `${server.url}/api/sessions/${sessionId}/report-files?name=${encodeURIComponent('Báo cáo CCHC.pdf')}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/pdf' },
        body: new Uint8Array(pdf),
      },
    );
    expect(uploaded.status).toBe(201);
    const [first, second] = ((await uploaded.json()) as ReportFileReply).pages;
    expect([first?.page, second?.page]).toEqual([1, 2]);

    await server.setStatus(sessionId, 'live');
    const reportItem = (await server.app.ctx.sessions.state(sessionId))!.agenda.find(
      (a) => a.kind === 'report',
    )!;
    await must(server, chair.token, { sessionId, type: 'agenda.start', itemId: reportItem.id });
    const { context: screenContext, page: screen } = await openScreen(browser, server, sessionId);
    const fileRequests: string[] = [];
    screen.on('request', (req) => {
      if (req.url().includes('/report-files/')) fileRequests.push(req.url());
    });
    const { context: panelContext, page: panel } = await openPanel(browser, server.url, chair, sessionId, {
      tab: 'agenda',
    });
    await panel.getByTestId('report-pager').waitFor();

    const figure = screen.getByTestId('screen-report-page');
    const canvas = figure.locator('canvas');
    await panel.getByTestId('report-next').click();
    await expect.poll(() => shownPage(screen)).toBe(first!.id);
    await expect.poll(() => drawnPage(figure), { timeout: 20_000 }).toBe(first!.id);
    expect(await figure.getByRole('img').getAttribute('aria-label')).toBe('Báo cáo CCHC.pdf, trang 1');
    const one = await canvasGreys(canvas);
    expect(one.filter((g) => g < 200).length).toBeGreaterThan(20);
    // Whole and as large as the figure allows: inside it, touching two of its sides; crisp on the projector.
    const frame = (await figure.boundingBox())!;
    const drawn = (await canvas.boundingBox())!;
    expect(drawn.x).toBeGreaterThanOrEqual(frame.x - 1);
    expect(drawn.y).toBeGreaterThanOrEqual(frame.y - 1);
    expect(drawn.x + drawn.width).toBeLessThanOrEqual(frame.x + frame.width + 1);
    expect(drawn.y + drawn.height).toBeLessThanOrEqual(frame.y + frame.height + 1);
    expect(Math.max(drawn.width / frame.width, drawn.height / frame.height)).toBeGreaterThan(0.98);
    expect(drawn.width).toBeGreaterThan(PROJECTOR.width * 0.6);
    expect((await canvasDensity(canvas)).pixels).toBeCloseTo(1, 1);
    await axeCheck(screen, { label: 'screen report pdf page' });

    await panel.getByTestId('report-next').click();
    await expect.poll(() => shownPage(screen)).toBe(second!.id);
    await expect.poll(() => drawnPage(figure), { timeout: 20_000 }).toBe(second!.id);
    const two = await canvasGreys(canvas);
    expect(two.filter((g) => g < 200).length).toBeGreaterThan(20);
    expect(two.filter((g, i) => Math.abs(g - one[i]!) > 40).length).toBeGreaterThan(20);
    // One PDF, one download: its pages share the document.
    expect(fileRequests).toHaveLength(1);

    // A smaller window: the page is drawn again to fit, still crisp.
    await screen.setViewportSize({ width: 1280, height: 720 });
    await expect
      .poll(async () => (await canvasDensity(canvas)).width, { timeout: 20_000 })
      .toBeLessThan(drawn.width * 0.8);
    await expect
      .poll(async () => (await canvasDensity(canvas)).pixels, { timeout: 20_000 })
      .toBeCloseTo(1, 1);
    expect(fileRequests).toHaveLength(1);
    await panelContext.close();
    await screenContext.close();
  }, 120_000);
});

/**
 * The office's day, through the real UI in Debian's Chromium: sign in, create a session from scratch, open the
 * collection of opinions, enter a paper form with the keyboard alone, go live, close, download the synthesis
 * (XLSX and CSV, parsed back) — with axe on every admin page, on a desktop and on a 360×640 phone, in Vietnamese
 * and English. Screenshots go to docs/screenshots/admin-*.png.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/report/csv.ts';
import { addMonths } from '../../shared/report/followup.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { signIn } from '../helpers/staffSignIn.ts';
import { wardDay } from '../helpers/wardDay.ts';

const SHOTS = 'docs/screenshots';
const T = 60_000;
const clientEnv = (): Record<string, string> =>
  process.env.E2E_CLIENT_DIR ? { CLIENT_DIR: process.env.E2E_CLIENT_DIR } : {};
/** The ward's date, as the form and the server count days (not the machine's: they differ in the UTC evening). */
const today = () => wardDay();

let server: TestServer;
let browser: Browser;
let desk: BrowserContext;
let page: Page;
let sessionId = '';
let joinCode = '';

async function shot(p: Page, name: string) {
  await p.waitForLoadState('networkidle').catch(() => {});
  await p.screenshot({ path: `${SHOTS}/admin-${name}.png`, fullPage: true });
}

const status = (p: Page) => p.getByTestId('session-status');

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  desk = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    baseURL: server.url,
    acceptDownloads: true,
  });
  page = await desk.newPage();
  page.on('dialog', (d) => void d.accept());
}, T);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the admin surface, from a new session to the downloaded synthesis', () => {
  it(
    'signs in and shows the empty list of sessions',
    async () => {
      await page.goto('/admin');
      await signIn(page);
      // The admin's chunk loads after sign-in: wait for it as long as the test allows (a loaded machine), then count.
      await page.getByRole('heading', { name: 'Các hội nghị', level: 1 }).waitFor();
      expect(await page.getByRole('heading', { name: 'Các hội nghị', level: 1 }).count()).toBe(1);
      await page.getByText('Chưa có hội nghị nào').waitFor();
      await axeCheck(page, { label: 'sessions' });
      await shot(page, 'sessions-empty');
    },
    T,
  );

  it(
    'refuses a date in the past with a clear message',
    async () => {
      await page.getByLabel('Ngày họp').fill('2020-06-15');
      await page.getByLabel('Địa điểm').fill('Hội trường UBND phường Kiến Hưng');
      await expect
        .poll(() =>
          page.getByText('Ngày họp của hội nghị mới không được ở trong quá khứ.').first().isVisible(),
        )
        .toBe(true);
      await page.getByRole('button', { name: 'Tạo hội nghị' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('không được ở trong quá khứ');
      expect(
        (await server.api<unknown[]>('GET', '/api/sessions', { token: server.adminToken })).body,
      ).toHaveLength(0);
    },
    T,
  );

  it(
    'creates a session from scratch through the form',
    async () => {
      await page.getByLabel('Tên hội nghị').fill('Hội nghị đối thoại lần 1 năm 2026');
      await page.getByLabel('Ngày họp').fill(today());
      await page.getByLabel('Giờ bắt đầu').fill('08:30');
      await page.getByRole('button', { name: 'Tạo hội nghị' }).click();
      await page.waitForURL(/\/admin\/sessions\/[^/]+$/);
      sessionId = page.url().split('/').pop() ?? '';
      await expect.poll(() => status(page).textContent()).toBe('Đang chuẩn bị');
      joinCode = (await page.getByTestId('join-code').textContent()) ?? '';
      expect(joinCode).toMatch(/^[A-Z0-9]{6}$/);
      await axeCheck(page, { label: 'session overview' });
      await shot(page, 'session-draft');
    },
    T,
  );

  it(
    'opens the collection of opinions; a phone sends one before the day',
    async () => {
      await page.getByRole('button', { name: 'Mở lấy ý kiến trước hội nghị' }).click();
      await expect.poll(() => status(page).textContent()).toBe('Đang lấy ý kiến');
      const phone = await server.join(joinCode, { name: 'Nguyễn Văn An', group: 4 });
      const ack = await server.command(phone.token, {
        type: 'question.submit',
        sessionId,
        questionId: randomUUID(),
        text: 'Xin hỏi thời gian cấp giấy chứng nhận quyền sử dụng đất?',
        fieldId: 'dia-chinh',
      });
      expect(ack.ok).toBe(true);
      await page.getByRole('link', { name: 'Ý kiến', exact: true }).click();
      await page.getByText('Xin hỏi thời gian cấp giấy chứng nhận').waitFor();
      expect(await page.getByText('Trước hội nghị', { exact: true }).count()).toBeGreaterThan(0);
      await axeCheck(page, { label: 'opinions' });
      await shot(page, 'opinions');
    },
    T,
  );

  it(
    'enters a paper form with the keyboard alone',
    async () => {
      await page.getByRole('link', { name: 'Nhập phiếu giấy' }).click();
      const name = page.getByLabel('Họ và tên');
      await name.waitFor();
      await name.focus();
      await page.keyboard.type('Trần Thị Bình');
      await page.keyboard.press('Tab');
      await page.keyboard.type('3');
      await page.keyboard.press('Tab'); // kind: resident by default
      await page.keyboard.press('Tab'); // organisation
      await page.keyboard.press('Tab'); // question 1
      await page.keyboard.type('Giờ tiếp dân của bộ phận một cửa có kéo dài sang thứ Bảy không?');
      await page.keyboard.press('Tab'); // field
      await page.keyboard.press('ArrowDown'); // the first field: Văn phòng – Thống kê
      await page.getByLabel('Thủ tục hành chính', { exact: true }).focus();
      await page.keyboard.type('5443'); // one digit per criterion, the cursor moves on by itself
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pf-comment');
      await page.keyboard.type('Cần thêm ghế chờ.');
      await page.keyboard.press('Control+Enter');
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Đã lưu phiếu số 1' }).count())
        .toBe(1);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('pf-name');
      expect(await name.inputValue()).toBe('');
      await page.locator('.recent li', { hasText: /Trần Thị Bình\s*·\s*Tổ 3/ }).waitFor();
      const state = await server.app.ctx.sessions.state(sessionId);
      const paper = Object.values(state?.participants ?? {}).find((p) => p.source === 'paper');
      expect(paper).toMatchObject({ name: 'Trần Thị Bình', group: 3, kind: 'resident' });
      const q = Object.values(state?.questions ?? {}).find((x) => x.source === 'paper');
      expect(q).toMatchObject({ fieldId: 'van-phong', preMeeting: true, source: 'paper' });
      expect(paper && state?.surveys[paper.id]).toMatchObject({
        answers: { procedures: 5, official: 4, result: 4, feedback: 3 },
        source: 'paper',
        comment: 'Cần thêm ghế chờ.',
      });
      await axeCheck(page, { label: 'paper form' });
      await shot(page, 'paper-form');
    },
    T,
  );

  it(
    'goes live; the synthesis is live and follows the meeting',
    async () => {
      await page.getByRole('link', { name: 'Tổng quan', exact: true }).click();
      await page.getByRole('button', { name: 'Khai mạc hội nghị' }).click();
      await expect.poll(() => status(page).textContent()).toBe('Đang diễn ra');
      const chair = await server.staffToken('chair', { name: 'Chủ tịch UBND phường' });
      const state = await server.app.ctx.sessions.state(sessionId);
      const [phoneQ, paperQ] = Object.values(state?.questions ?? {});
      await server.command(chair, {
        type: 'question.approve',
        sessionId,
        questionIds: [phoneQ?.id, paperQ?.id],
      });
      expect(
        await server.command(chair, {
          type: 'question.answer',
          sessionId,
          questionId: phoneQ?.id,
          mode: 'live',
          note: '15 ngày làm việc',
        }),
      ).toMatchObject({ ok: true });
      await page.getByRole('link', { name: 'Tổng hợp', exact: true }).click();
      await expect.poll(() => page.getByTestId('report-kind').textContent()).toContain('trực tiếp');
      const total = page.getByTestId('report-by-field').locator('tfoot tr');
      await expect
        .poll(() => total.locator('td').allTextContents())
        // received, opinions, at the meeting, in writing (done, pending, overdue), upward, outside, open, merged,
        // hidden, before the meeting, paper, delivered, speech
        .toEqual(['2', '2', '1', '0', '0', '0', '0', '0', '0', '1', '0', '0', '2', '1', '0', '0']);
      await page.locator('canvas').first().waitFor();
      await axeCheck(page, { label: 'report (live)' });
      await shot(page, 'report-live');
    },
    T,
  );

  it(
    'closes the meeting and downloads the final synthesis as XLSX, CSV and the DOCX report',
    async () => {
      await page.getByRole('link', { name: 'Tổng quan', exact: true }).click();
      await page.getByRole('button', { name: 'Bế mạc hội nghị' }).click();
      await expect.poll(() => status(page).textContent()).toBe('Đã bế mạc');
      await page.getByRole('link', { name: 'Tổng hợp', exact: true }).click();
      await expect.poll(() => page.getByTestId('report-kind').textContent()).toContain('chính thức');

      const [xlsx] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Bảng tổng hợp (Excel)' }).click(),
      ]);
      expect(xlsx.suggestedFilename()).toMatch(/^tong-hop-y-kien-\d{4}-\d{2}-\d{2}\.xlsx$/);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(readFileSync((await xlsx.path()) ?? '') as unknown as ArrayBuffer);
      const totals: unknown[] = [];
      wb.getWorksheet('Theo lĩnh vực')?.eachRow((r) => {
        const v = (r.values as unknown[]).slice(1);
        if (v[0] === 'Tổng cộng') totals.push(...v);
      });
      expect(totals.slice(1, 4)).toEqual([2, 1, 0]);

      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Bảng tổng hợp (CSV)' }).click(),
      ]);
      const bytes = readFileSync((await csv.path()) ?? '');
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const rows = parseCsv(bytes.toString('utf8'));
      expect(rows.find((r) => r[0] === 'Trạng thái')?.[1]).toBe('Đã bế mạc');
      expect(rows.find((r) => r[0] === 'Thủ tục hành chính')?.slice(1, 3)).toEqual(['1', '5']);

      // The synthesis report to the level above, in the Decree 30 layout.
      const [docx] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Báo cáo tổng hợp ý kiến, kiến nghị (Word)' }).click(),
      ]);
      expect(docx.suggestedFilename()).toMatch(/^bao-cao-tong-hop-\d{4}-\d{2}-\d{2}\.docx$/);
      const zip = await JSZip.loadAsync(readFileSync((await docx.path()) ?? ''));
      expect(await zip.file('word/document.xml')?.async('string')).toContain('Tổng hợp ý kiến, kiến nghị');
      await axeCheck(page, { label: 'report (final)' });
      await shot(page, 'report-final');
    },
    T,
  );

  it(
    'shows the print views: the synthesis and the invitations per residential group',
    async () => {
      await page.getByRole('link', { name: 'Bản in' }).click();
      await page.getByRole('heading', { name: 'BÁO CÁO TỔNG HỢP Ý KIẾN' }).waitFor();
      // Decree 30 (issue 13, finding 11): issuing body, number, national name and motto, place and date; the
      // signature block with "Nơi nhận"; dates and times as the ward writes them.
      const header = await page.getByTestId('report-print-header').innerText();
      for (const line of [
        'ỦY BAN NHÂN DÂN',
        'Số: …/BC-UBND',
        'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
        'Độc lập - Tự do - Hạnh phúc',
      ])
        expect(header).toContain(line);
      expect(header).toMatch(/PHƯỜNG \S/);
      expect(header).toMatch(/, ngày \d{2} tháng \d{1,2} năm \d{4}/);
      const signature = await page.getByTestId('report-print-signature').innerText();
      for (const line of ['Nơi nhận:', '- Lưu: VT.', 'TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH'])
        expect(signature).toContain(line);
      const printed = await page.locator('article.doc').innerText();
      expect(printed).toMatch(/Hội nghị lúc \d{2} giờ \d{2}, ngày \d{2} tháng \d{1,2} năm \d{4}/);
      expect(printed).toMatch(/In lúc \d{2} giờ \d{2}, ngày/);
      expect(printed).not.toMatch(/\d{1,2} tháng \d{1,2}, \d{4}|\d{2}:\d{2} \d{1,2}\/\d{1,2}\/\d{2}\b/);
      await axeCheck(page, { label: 'report print' });
      await page.emulateMedia({ media: 'print' });
      await shot(page, 'report-print');
      await page.emulateMedia({ media: 'screen' });
      await page.goto(`/admin/sessions/${sessionId}/invitations`);
      await page.getByText('Trân trọng kính mời đại diện Tổ dân phố số 22').waitFor();
      expect(await page.locator('li.invite').count()).toBe(22);
      await expect
        .poll(() =>
          page
            .locator('li.invite img')
            .first()
            .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
        )
        .toBe(true);
      await axeCheck(page, { label: 'invitations' });
      await page.emulateMedia({ media: 'print' });
      await page.setViewportSize({ width: 794, height: 1123 });
      await page.screenshot({ path: `${SHOTS}/admin-invitations-print.png` });
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.emulateMedia({ media: 'screen' });
    },
    T,
  );

  it(
    'shows the history of the session, filterable',
    async () => {
      await page.goto(`/admin/sessions/${sessionId}/audit`);
      await page.getByTestId('audit-table').waitFor();
      await page.getByText('Đang chuẩn bị → Đang lấy ý kiến').waitFor();
      await shot(page, 'audit');
      await page.getByLabel('Người thực hiện').selectOption('chair');
      await expect
        .poll(async () =>
          (await page.getByTestId('audit-table').locator('tbody tr').allTextContents()).every((t) =>
            t.includes('Chủ tịch'),
          ),
        )
        .toBe(true);
      await axeCheck(page, { label: 'audit' });
      await shot(page, 'audit-chair');
    },
    T,
  );

  it(
    'creates the next session six months later, carrying the open questions over',
    async () => {
      await page.goto(`/admin/sessions/${sessionId}`);
      await page.getByRole('link', { name: 'Tạo hội nghị tiếp theo (6 tháng sau)' }).click();
      await page.waitForURL(/\/admin\?next=/);
      await expect
        .poll(() => page.getByLabel('Chuyển tiếp ý kiến chưa giải quyết từ hội nghị').inputValue())
        .toBe(sessionId);
      const nextDate = addMonths(today(), 6);
      expect(await page.getByLabel('Ngày họp').inputValue()).toBe(nextDate);
      // Numbered on from "… lần 1 năm <this year>" (issue 13, finding 9), never the same title again.
      const year = nextDate.slice(0, 4);
      expect(await page.getByLabel('Tên hội nghị').inputValue()).toBe(
        `Hội nghị đối thoại lần ${year === today().slice(0, 4) ? 2 : 1} năm ${year}`,
      );
      await page.getByRole('button', { name: 'Tạo hội nghị' }).click();
      await page.waitForURL(
        (u) => /^\/admin\/sessions\/[^/]+$/.test(u.pathname) && !u.pathname.endsWith(sessionId),
      );
      const nextId = page.url().split('/').pop() ?? '';
      const next = await server.app.ctx.sessions.state(nextId);
      // Only the paper form's question was still open (the phone's was answered at the meeting).
      expect(Object.values(next?.questions ?? {}).map((q) => [q.text, q.carriedFrom?.sessionId])).toEqual([
        ['Giờ tiếp dân của bộ phận một cửa có kéo dài sang thứ Bảy không?', sessionId],
      ]);
      await page.getByRole('link', { name: 'Ý kiến', exact: true }).click();
      await page.getByText(/Chuyển từ: Hội nghị đối thoại lần 1 năm 2026, ý kiến số \d+/).waitFor();
      await shot(page, 'carried-over');
    },
    T,
  );

  it(
    'shows the ward profile, accounts (refusing a duplicate) and the follow-up',
    async () => {
      await page.getByRole('link', { name: 'Hồ sơ phường' }).click();
      await page.getByLabel('Tên đơn vị (phường)').waitFor();
      // Deleting a field with questions is refused, with the reason, and changes nothing.
      const before = (await server.api('GET', '/api/ward', { token: server.adminToken })).body;
      await page.getByRole('button', { name: 'Xóa: Địa chính – Xây dựng' }).click();
      await page.getByRole('button', { name: 'Lưu hồ sơ phường' }).click();
      await expect
        .poll(() => page.getByRole('alert').textContent())
        .toContain('Không xóa được lĩnh vực đang có câu hỏi (Địa chính – Xây dựng)');
      expect((await server.api('GET', '/api/ward', { token: server.adminToken })).body).toEqual(before);
      await expect
        .poll(() =>
          page
            .getByTestId('ward-fields')
            .locator('input')
            .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value)),
        )
        .toContain('Địa chính – Xây dựng');
      await page.getByRole('button', { name: 'Thêm cán bộ' }).click();
      await page.getByLabel('Họ và tên').fill('Nguyễn Thị Hoa');
      await page.getByLabel('Chức vụ').fill('Công chức Tư pháp – Hộ tịch');
      await page.getByRole('group', { name: 'Lĩnh vực phụ trách' }).getByLabel('Tư pháp – Hộ tịch').check();
      await page.getByRole('button', { name: /^Ngừng sử dụng\s*:\s*Quân sự$/ }).click();
      await page.getByRole('button', { name: 'Lưu hồ sơ phường' }).click();
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Đã lưu hồ sơ phường' }).count())
        .toBe(1);
      const ward = await server.api<{
        officials: Array<{ name: string; fieldIds: string[] }>;
        fields: Array<{ id: string; retired?: boolean }>;
      }>('GET', '/api/ward', { token: server.adminToken });
      expect(ward.body.officials).toMatchObject([{ name: 'Nguyễn Thị Hoa', fieldIds: ['tu-phap'] }]);
      expect(ward.body.fields.find((f) => f.id === 'quan-su')?.retired).toBe(true);
      await axeCheck(page, { label: 'ward' });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: `${SHOTS}/admin-ward.png` });
      await page.getByRole('heading', { name: 'Cán bộ trả lời' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: `${SHOTS}/admin-ward-officials.png` });

      await page.getByRole('link', { name: 'Tài khoản' }).click();
      await page.getByLabel('Tên đăng nhập').fill('admin');
      await page.getByLabel('Mật khẩu').fill('password-123');
      await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('Tên đăng nhập admin đã có');
      await axeCheck(page, { label: 'users' });
      await shot(page, 'users');

      await page.getByRole('link', { name: 'Theo dõi trả lời' }).click();
      await page.getByRole('heading', { name: 'Theo dõi trả lời bằng văn bản' }).waitFor();
      await axeCheck(page, { label: 'follow-up' });
      await shot(page, 'followup');
    },
    T,
  );

  it(
    'works in English too',
    async () => {
      await page.goto(`/admin/sessions/${sessionId}/report`);
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Synthesis of opinions' }).waitFor();
      await page.locator('canvas').first().waitFor();
      await axeCheck(page, { label: 'report (en)' });
      await shot(page, 'report-en');
      await page.getByRole('link', { name: 'Paper forms' }).click();
      await page.getByRole('heading', { name: 'Enter paper opinion forms' }).waitFor();
      await shot(page, 'paper-en');
      await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    },
    T,
  );
});

describe('the admin surface on a 360×640 phone', () => {
  let phone: Page;
  let openId = '';
  beforeAll(async () => {
    // A session collecting opinions, for the pages that differ while open (paper forms).
    const open = await server.createSession({
      title: 'Hội nghị đối thoại lần 2 năm 2026',
      venue: 'Nhà văn hóa tổ dân phố 5',
    });
    await server.setStatus(open.id, 'collecting');
    openId = open.id;
    const context = await browser.newContext({
      viewport: { width: 360, height: 640 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
      baseURL: server.url,
    });
    phone = await context.newPage();
    phone.on('dialog', (d) => void d.accept());
    await phone.goto('/admin');
    await signIn(phone);
    await phone.getByRole('heading', { name: 'Các hội nghị', level: 1 }).waitFor();
  }, T);

  const noSideScroll = (p: Page) =>
    p.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1);

  it.each([
    ['sessions', ''],
    ['session', '/sessions/:open'],
    ['paper', '/sessions/:open/paper'],
    ['report', '/sessions/:id/report'],
    ['ward', '/ward'],
    ['users', '/users'],
  ])(
    'fits the %s page on the phone, with no serious axe violation',
    async (name, path) => {
      await phone.goto(`/admin${path.replace(':id', sessionId).replace(':open', openId)}`);
      await phone.locator('main h1, main h2').first().waitFor();
      if (name === 'report') await phone.locator('canvas').first().waitFor();
      expect(await noSideScroll(phone), `${name} scrolls sideways`).toBe(true);
      await axeCheck(phone, { label: `phone ${name}` });
      await shot(phone, `phone-${name}`);
    },
    T,
  );
});

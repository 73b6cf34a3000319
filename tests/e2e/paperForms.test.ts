/**
 * Paper forms after the meeting through the real UI (issue 13, finding 5): on a closed session the paper tab still
 * takes forms (the Front's come in later), an entered form is opened again and corrected, another removed, and the
 * forms handed out per residential group are recorded next to those collected — on a desktop and on a 360×640
 * phone, in Vietnamese and English, with axe.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { signIn } from '../helpers/staffSignIn.ts';

const T = 60_000;
const clientEnv = (): Record<string, string> =>
  process.env.E2E_CLIENT_DIR ? { CLIENT_DIR: process.env.E2E_CLIENT_DIR } : {};

let server: TestServer;
let browser: Browser;
let page: Page;
let sessionId = '';
const mistyped = randomUUID();
const duplicate = randomUUID();

const state = async () => (await server.app.ctx.sessions.state(sessionId))!;

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  const session = await server.createSession({
    moderation: 'open',
    title: 'Hội nghị đối thoại lần 2 năm 2026',
  });
  sessionId = session.id;
  await server.setStatus(sessionId, 'live');
  const enter = (participantId: string, name: string) =>
    server.command(server.adminToken, {
      sessionId,
      type: 'paper_form.enter',
      participantId,
      name,
      group: 2,
      questions: [{ questionId: randomUUID(), text: 'Thủ tục cấp sổ đỏ quá lâu' }],
      answers: { procedures: 2 },
    });
  expect(await enter(mistyped, 'Nguyen Thi Hao')).toMatchObject({ ok: true });
  expect(await enter(duplicate, 'Phiếu nhập trùng')).toMatchObject({ ok: true });
  await server.setStatus(sessionId, 'closed');
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    baseURL: server.url,
  });
  page = await context.newPage();
  await page.goto(`/admin/sessions/${sessionId}/paper`);
  await signIn(page);
}, T);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the paper tab after closing', () => {
  it(
    'takes a form collected by the Front after the meeting',
    async () => {
      await page.getByTestId('paper-after-closing').waitFor();
      const name = page.getByLabel('Họ và tên');
      await name.fill('Trần Văn Minh');
      await page.getByLabel('Cơ quan, đơn vị').fill('Ủy ban MTTQ phường');
      await page.getByLabel('Câu hỏi 1').fill('Xin hướng dẫn thủ tục chứng thực bản sao');
      await page.keyboard.press('Control+Enter');
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Đã lưu phiếu số 3' }).count())
        .toBe(1);
      const s = await state();
      expect(Object.values(s.participants).find((p) => p.name === 'Trần Văn Minh')).toMatchObject({
        source: 'paper',
        organisation: 'Ủy ban MTTQ phường',
      });
    },
    T,
  );

  it(
    'opens a form again, corrects it, and the correction is in the audit log',
    async () => {
      await page.getByRole('button', { name: /Sửa phiếu\s*: Nguyen Thi Hao/ }).click();
      await page.getByText('Đang sửa phiếu của Nguyen Thi Hao').waitFor();
      const name = page.getByLabel('Họ và tên');
      expect(await name.inputValue()).toBe('Nguyen Thi Hao');
      expect(await page.getByLabel('Câu hỏi 1').inputValue()).toBe('Thủ tục cấp sổ đỏ quá lâu');
      await name.fill('Nguyễn Thị Hảo');
      await page.locator('#pf-group').fill('4');
      await page.getByLabel('Thủ tục hành chính', { exact: true }).fill('3');
      // The procedure box, as on the phone's form (SIPAS "thủ tục đã thực hiện").
      await page.getByLabel(/Thủ tục đã thực hiện/).fill('Cấp giấy chứng nhận quyền sử dụng đất');
      await page.getByRole('button', { name: 'Lưu sửa đổi (Ctrl+Enter)' }).click();
      await expect
        .poll(() =>
          page.getByRole('status').filter({ hasText: 'Đã lưu sửa đổi phiếu của Nguyễn Thị Hảo' }).count(),
        )
        .toBe(1);
      const s = await state();
      expect(s.participants[mistyped]).toMatchObject({ name: 'Nguyễn Thị Hảo', group: 4 });
      expect(s.surveys[mistyped]?.answers).toEqual({ procedures: 3 });
      expect(s.surveys[mistyped]?.procedure).toBe('Cấp giấy chứng nhận quyền sử dụng đất');
      expect(Object.keys(s.participants)).toHaveLength(3);
      await axeCheck(page, { label: 'paper tab after a correction' });

      await page.getByRole('link', { name: 'Nhật ký', exact: true }).click();
      await page.getByText('Sửa phiếu giấy').first().waitFor();
      await page
        .getByText(/Nguyen Thi Hao.*→.*Nguyễn Thị Hảo/)
        .first()
        .waitFor();
      await page
        .getByText(/điểm: 2 → 3/)
        .first()
        .waitFor();
      await page.getByRole('link', { name: 'Nhập phiếu giấy' }).click();
    },
    T,
  );

  it(
    'removes a form entered twice, after a confirmation',
    async () => {
      await page.getByRole('button', { name: /Xóa phiếu\s*: Phiếu nhập trùng/ }).click();
      await page.getByRole('button', { name: 'Xác nhận xóa' }).click();
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Đã xóa phiếu của Phiếu nhập trùng' }).count())
        .toBe(1);
      const s = await state();
      expect(s.participants[duplicate]).toBeUndefined();
      expect(Object.values(s.questions)).toHaveLength(2);
      await expect.poll(() => page.getByTestId('paper-forms').locator('li').count()).toBe(2);
    },
    T,
  );

  it(
    'records the forms handed out per residential group next to those collected',
    async () => {
      await page.getByLabel('Số phiếu phát ra: Tổ 4').fill('10');
      await page.getByRole('button', { name: 'Lưu số phiếu phát ra' }).click();
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'Đã lưu số phiếu phát ra.' }).count())
        .toBe(1);
      expect((await state()).paperIssued?.groups).toEqual([{ group: 4, count: 10 }]);
      const row = page.getByTestId('issued-groups').getByRole('row', { name: /Tổ 4/ });
      await expect.poll(() => row.locator('td').last().textContent()).toBe('1');
      await page.getByRole('link', { name: 'Tổng hợp' }).click();
      await page.getByTestId('report-paper-groups').waitFor();
      await axeCheck(page, { label: 'report with paper forms' });
    },
    T,
  );

  it(
    'fits a 360×640 phone and reads in English',
    async () => {
      const context = await browser.newContext({
        viewport: { width: 360, height: 640 },
        deviceScaleFactor: 2,
        isMobile: true,
        hasTouch: true,
        locale: 'vi-VN',
        baseURL: server.url,
      });
      const phone = await context.newPage();
      await phone.goto(`/admin/sessions/${sessionId}/paper`);
      await signIn(phone);
      await phone.getByTestId('paper-after-closing').waitFor();
      expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1)).toBe(
        true,
      );
      await axeCheck(phone, { label: 'phone paper tab' });
      await phone.getByRole('button', { name: 'English' }).click();
      await phone.getByRole('button', { name: /Correct\s*: Nguyễn Thị Hảo/ }).waitFor();
      await phone.getByText('Forms handed out and collected').waitFor();
      await context.close();
    },
    T,
  );
});

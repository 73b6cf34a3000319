/**
 * Issue #14, finding 7, through the real UI: the office adds an invitee, prints their giấy mời (Decree 30 layout,
 * a personal QR); the invitee opens the invitation's link on a 360×640 phone, finds their name and residential
 * group filled in, joins and is checked in; the sign-in sheet and the attendance figures show it. A delegate without
 * a phone is ticked by staff on the list.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoginReply } from '../../shared/protocol.ts';
import { axeCheck, launchBrowser, newPhone } from '../helpers/browser.ts';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../helpers/server.ts';
import { SHOTS, clientEnv } from './attendeeHelpers.ts';

describe('invitations that check people in', { timeout: 90_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let session: { id: string; joinCode: string };
  let office: { context: BrowserContext; page: Page };
  let link = '';

  beforeAll(async () => {
    server = await startServer({ env: clientEnv() });
    browser = await launchBrowser();
    session = await server.createSession({ title: 'Hội nghị đối thoại năm 2026' });
    await server.setStatus(session.id, 'live');
    const login = await server.api<LoginReply>('POST', '/api/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: 1024, height: 768 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    });
    await context.addInitScript(
      (staff) => localStorage.setItem('dialogue-board:staff', staff),
      JSON.stringify(login.body),
    );
    office = { context, page: await context.newPage() };
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the office adds invitees and prints a giấy mời per person with a personal QR', async () => {
    const { page } = office;
    await page.goto(`/admin/sessions/${session.id}/invitees`);
    await page.getByTestId('invitee-privacy').waitFor();
    const add = async (salutation: string, name: string, category: string, group?: number) => {
      await page.getByLabel('Danh xưng').first().selectOption({ label: salutation });
      await page.getByLabel('Họ và tên').first().fill(name);
      await page.getByLabel('Thành phần').first().selectOption({ label: category });
      if (group) await page.getByLabel('Tổ dân phố').first().selectOption(String(group));
      await page.getByRole('button', { name: 'Thêm khách mời' }).click();
      await page.getByText(`Đã thêm ${name}.`).waitFor();
    };
    await add('Bà', 'Trần Thị Lan', 'Người dân', 3);
    await add('Ông', 'Lê Văn Hùng', 'Tổ trưởng tổ dân phố', 3);
    await add('Ông', 'Nguyễn Văn An', 'Đảng ủy');
    await expect.poll(() => page.getByTestId('invitee').count()).toBe(3);
    await axeCheck(page, { label: 'invitees' });
    await page.screenshot({ path: `${SHOTS}/admin-invitees.png`, fullPage: true });

    await page.getByRole('link', { name: 'In giấy mời (3)' }).click();
    const letter = page.getByTestId('letter').filter({ hasText: 'Kính gửi: Bà Trần Thị Lan' });
    await letter.waitFor();
    await expect.poll(() => page.getByTestId('letter').count()).toBe(3);
    const text = await letter.innerText();
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
    expect(text).toContain('GIẤY MỜI');
    expect(text).toMatch(/Số: …\/GM-UBND/);
    expect(text).toMatch(
      /Vào hồi \d{2} giờ \d{2}, (thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ nhật), ngày \d{2} tháng \d{1,2} năm \d{4}\./,
    );
    expect(text).toContain('Tổ dân phố số 3');
    expect(text).toContain('TM. ỦY BAN NHÂN DÂN');
    link = (await letter.locator('img').getAttribute('data-link')) ?? '';
    // The same letters as DOCX, all at once, to sign and file.
    const [docx] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('letters-docx').click(),
    ]);
    expect(docx.suggestedFilename()).toMatch(/^giay-moi-.+\.docx$/);
    expect(link).toMatch(new RegExp(`/j/${session.joinCode}#moi=[A-Za-z0-9_-]{22}$`));
    // Every giấy mời has its own QR.
    const links = await page
      .getByTestId('letter')
      .locator('img')
      .evaluateAll((imgs) => imgs.map((i) => i.getAttribute('data-link')));
    expect(new Set(links).size).toBe(3);
    await axeCheck(page, { label: 'letters' });
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: 794, height: 1123 });
    await letter.screenshot({ path: `${SHOTS}/admin-invitation-letter.png` });
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.emulateMedia({ media: 'screen' });
  });

  it('the invitee opens the link on a phone: name and group filled in, joined and checked in', async () => {
    const { page } = await newPhone(browser, server.url);
    await page.goto(link.replace(/^https?:\/\/[^/]+/, ''));
    await page.getByTestId('invitation').waitFor();
    expect(await page.getByTestId('invitation').innerText()).toContain('Giấy mời của Bà Trần Thị Lan');
    expect(await page.getByLabel('Họ và tên').inputValue()).toBe('Trần Thị Lan');
    expect(await page.getByLabel('Tổ dân phố').inputValue()).toBe('3');
    // The join button is on the first screen of a 360×640 phone.
    const box = await page.getByRole('button', { name: 'Tham gia' }).boundingBox();
    expect(box && box.y + box.height).toBeLessThanOrEqual(640);
    await axeCheck(page, { label: 'join with invitation' });
    await page.screenshot({ path: `${SHOTS}/attendee-join-invitation.png` });
    await page.getByRole('button', { name: 'Tham gia' }).click();
    await page.getByTestId('session-status').waitFor();

    const state = await server.app.ctx.sessions.state(session.id);
    const joined = Object.values(state?.participants ?? {});
    expect(joined).toHaveLength(1);
    expect(joined[0]).toMatchObject({ name: 'Trần Thị Lan', group: 3, kind: 'resident' });
  });

  it('the sign-in sheet and the attendance figures show it; staff tick a delegate without a phone', async () => {
    const { page } = office;
    await page.goto(`/admin/sessions/${session.id}/invitees`);
    await expect.poll(() => page.getByTestId('attendance-present').innerText()).toBe('1');
    expect(await page.getByTestId('attendance-invited').innerText()).toBe('3');
    await page.getByRole('checkbox', { name: 'Đánh dấu có mặt: Ông Nguyễn Văn An' }).check();
    await expect.poll(() => page.getByTestId('attendance-present').innerText()).toBe('2');

    await page.getByRole('link', { name: 'In danh sách ký tên' }).click();
    await page.getByRole('heading', { name: 'DANH SÁCH ĐẠI BIỂU KÝ TÊN' }).waitFor();
    const row = (name: string) => page.getByTestId('signin-row').filter({ hasText: name });
    await expect.poll(() => row('Bà Trần Thị Lan').getAttribute('data-present')).toBe('yes');
    expect(await row('Ông Nguyễn Văn An').getAttribute('data-present')).toBe('yes');
    expect(await row('Ông Lê Văn Hùng').getAttribute('data-present')).toBe('no');
    expect(await page.getByTestId('signin-summary').innerText()).toBe('Có mặt 2/3 người được mời.');
    await axeCheck(page, { label: 'sign-in sheet' });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: `${SHOTS}/admin-sign-in-sheet.png` });
    await page.emulateMedia({ media: 'screen' });

    // The chairman's panel: attendance by residential group against invited, on its overview.
    await page.goto(`/panel/${session.id}?tab=overview`);
    await expect
      .poll(() => page.getByTestId('panel-attendance').innerText(), { timeout: 20_000 })
      .toBe('2/3 người được mời đã có mặt');
    const group3 = page.getByTestId('attendance').locator('tr', { hasText: 'Tổ dân phố số 3' });
    expect(await group3.innerText()).toMatch(/Tổ dân phố số 3\s+1\s+2/);
  });
});

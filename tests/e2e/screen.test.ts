/**
 * The big screen (1920×1080, no interaction) against the real server: a calm state before and after the meeting,
 * the live board, one mode per kind of programme item (set in the admin's programme tab), a bad link,
 * reconnecting by itself after a network loss, and a countdown that stays right when the projector's clock is
 * wrong. axe runs on each state; screenshots go to docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { SessionState } from '../../shared/domain/types.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, subscribe, type TestServer } from '../helpers/server.ts';
import { clientEnv, SHOTS } from './attendeeHelpers.ts';
import {
  addOfficials,
  must,
  openPanel,
  openScreen,
  PROJECTOR,
  signIn,
  type StaffLogin,
} from './panelHelpers.ts';
import type { LoginReply } from '../../shared/protocol.ts';
import { ADMIN_PASSWORD } from '../helpers/server.ts';

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

const seconds = (text: string | null) => {
  const m = /^(\+?)(\d+):(\d{2})$/.exec((text ?? '').trim());
  if (!m) throw new Error(`not a countdown: "${text}"`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
};

/** What a person at the back of the hall needs on every mode: the QR, the short code, a large join address. */
async function expectJoinVisible(page: Page, joinCode: string) {
  const qr = page.getByTestId('join-qr');
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const qrBox = await qr.boundingBox();
  expect(qrBox, 'QR on screen').not.toBeNull();
  expect(qrBox!.width).toBeGreaterThanOrEqual(250);
  expect(qrBox!.y + qrBox!.height).toBeLessThanOrEqual(PROJECTOR.height);
  expect(await page.getByTestId('join-code').textContent()).toBe(joinCode);
  const address = page.getByTestId('join-address');
  expect(await address.textContent()).toContain(`/j/${joinCode}`);
  const box = await address.boundingBox();
  expect(box, 'join address on screen').not.toBeNull();
  expect(box!.height).toBeGreaterThanOrEqual(40);
  expect(box!.y + box!.height).toBeLessThanOrEqual(PROJECTOR.height);
  const fontPx = await address.evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
  expect(fontPx, 'join address font size').toBeGreaterThanOrEqual(40);
}

describe('big screen', () => {
  it('follows the programme: a mode for each of the six default items, QR and address always visible', async () => {
    await addOfficials(server, [
      {
        id: 'o-screen-dc',
        name: 'Trần Thị Bình',
        title: 'Công chức Địa chính – Xây dựng',
        fieldIds: ['dia-chinh'],
      },
    ]);
    const { id: sessionId, joinCode } = await server.createSession({
      title: 'Hội nghị đối thoại cuối năm 2026',
    });
    const base = { sessionId };

    // The office gives the report its key figures and the conclusion its points in the admin's programme tab.
    const login = await server.api<LoginReply>('POST', '/api/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const office = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    await office.addInitScript(
      (staff) => localStorage.setItem('dialogue-board:staff', staff),
      JSON.stringify(login.body),
    );
    const admin = await office.newPage();
    await admin.goto(`/admin/sessions/${sessionId}/agenda`);
    const kinds = admin.getByTestId('agenda-kind');
    await kinds.first().waitFor();
    expect(await kinds.evaluateAll((els) => els.map((e) => (e as HTMLSelectElement).value))).toEqual([
      'opening',
      'purpose',
      'report',
      'speak',
      'answers',
      'conclusion',
    ]);
    await admin
      .getByLabel(/Số liệu nổi bật/)
      .fill('Hồ sơ tiếp nhận: 1.245\nGiải quyết đúng hạn: 98,6%\nMột cửa liên thông từ tháng 3');
    await admin.getByLabel(/Kết luận \(mỗi dòng/).fill('Rút ngắn thời gian cấp giấy phép xây dựng');
    await axeCheck(admin, { label: 'admin programme with kinds' });
    await admin.getByRole('button', { name: 'Lưu chương trình' }).click();
    await admin.getByText('Đã lưu').first().waitFor();
    await office.close();

    await server.setStatus(sessionId, 'live');
    const phone = await server.join(joinCode, { name: 'Nguyễn Thị Lan', group: 3 });
    const chairToken = chair.token;
    await must(server, phone.token, {
      ...base,
      type: 'question.submit',
      questionId: 'q-screen-1',
      text: 'Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ mất bao nhiêu ngày?',
      fieldId: 'dia-chinh',
    });
    await must(server, phone.token, {
      ...base,
      type: 'question.submit',
      questionId: 'q-screen-2',
      text: 'Đề nghị kéo dài giờ tiếp nhận hồ sơ vào sáng thứ Bảy.',
      fieldId: 'van-phong',
    });
    await must(server, chairToken, {
      ...base,
      type: 'question.approve',
      questionIds: ['q-screen-1', 'q-screen-2'],
    });
    await must(server, chairToken, {
      ...base,
      type: 'question.assign',
      questionId: 'q-screen-1',
      fieldId: 'dia-chinh',
      officialId: 'o-screen-dc',
    });
    await must(server, chairToken, {
      ...base,
      type: 'question.answer',
      questionId: 'q-screen-2',
      mode: 'writing',
      note: 'Văn phòng trả lời bằng văn bản.',
      dueDate: '2099-12-31',
    });

    const { context, page } = await openScreen(browser, server, sessionId);
    const live = page.getByTestId('screen-live');
    await live.waitFor();
    // Before the first item: the board of the speakers, as always.
    expect(await live.getAttribute('data-mode')).toBe('speak');
    const title = page.getByTestId('screen-title');
    expect(await title.textContent()).toBe('Hội nghị đối thoại cuối năm 2026');
    expect(await title.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(
      48,
    );

    const steps: Array<{ item: string; mode: string; shows: string[]; text?: string }> = [
      { item: 'a1', mode: 'opening', shows: ['screen-delegates', 'screen-programme'], text: 'Bí thư chi bộ' },
      { item: 'a2', mode: 'purpose', shows: ['screen-points'], text: 'Đơn giản hóa thủ tục hành chính' },
      { item: 'a3', mode: 'report', shows: ['screen-figures'], text: '98,6%' },
      { item: 'a4', mode: 'speak', shows: ['screen-speaker', 'screen-next'] },
      { item: 'a5', mode: 'answers', shows: ['screen-question', 'screen-answering'], text: 'Trần Thị Bình' },
      {
        item: 'a6',
        mode: 'conclusion',
        shows: ['screen-conclusions', 'screen-written', 'screen-thanks'],
        text: 'Hạn 31/12/2099',
      },
    ];
    for (const step of steps) {
      if (step.mode === 'answers')
        await must(server, chairToken, { ...base, type: 'question.highlight', questionId: 'q-screen-1' });
      await must(server, chairToken, { ...base, type: 'agenda.start', itemId: step.item });
      await expect.poll(() => live.getAttribute('data-mode')).toBe(step.mode);
      for (const id of step.shows)
        expect(await page.getByTestId(id).isVisible(), `${step.mode}: ${id}`).toBe(true);
      if (step.text) expect(await page.getByTestId('screen-live').textContent()).toContain(step.text);
      await expectJoinVisible(page, joinCode);
      await axeCheck(page, { label: `screen ${step.mode}` });
      await page.screenshot({ path: `${SHOTS}/screen-${step.mode}-vi.png` });
    }
    await context.close();
  }, 180_000);

  it('pairs in seconds: the projector shows a code at /screen, the chairman types it on the panel', async () => {
    const { id: sessionId, joinCode } = await server.createSession({ title: 'Hội nghị ghép màn hình' });
    await server.setStatus(sessionId, 'live');
    // A fresh browser on the projector's computer: no token, no storage, nothing typed but /screen.
    const projector = await browser.newContext({ baseURL: server.url, viewport: PROJECTOR, locale: 'vi-VN' });
    const screen = await projector.newPage();
    await screen.goto('/screen');
    const shown = screen.getByTestId('pairing-code');
    await shown.waitFor();
    const code = ((await shown.textContent()) ?? '').replace(/\s/g, '');
    expect(code).toMatch(/^[A-Z0-9]{6}$/);
    expect(await shown.evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(
      120,
    );
    await axeCheck(screen, { label: 'screen pairing' });
    await screen.screenshot({ path: `${SHOTS}/screen-pairing-vi.png` });

    const panel = await openPanel(browser, server.url, chair, sessionId);
    await panel.page
      .getByRole('button', { name: /Mở màn hình lớn|Màn hình lớn/ })
      .first()
      .click();
    const dialog = panel.page.locator('dialog[open]');
    await dialog.getByLabel('Mã trên màn hình lớn').fill('AAAAAA');
    await dialog.getByRole('button', { name: 'Chiếu hội nghị này' }).click();
    await dialog.getByText('Không có màn hình nào đang chờ với mã này').waitFor();
    await dialog.getByLabel('Mã trên màn hình lớn').fill(code.toLowerCase());
    await dialog.getByRole('button', { name: 'Chiếu hội nghị này' }).click();
    await dialog.getByText('Đã ghép').waitFor();
    await axeCheck(panel.page, { label: 'panel pairing dialog' });

    // Within a few seconds the projector shows the meeting, on its own.
    await screen.getByTestId('screen-live').waitFor({ timeout: 15_000 });
    expect(new URL(screen.url()).pathname).toBe(`/screen/${sessionId}`);
    expect(await screen.getByTestId('join-code').textContent()).toBe(joinCode);
    // A reload keeps the meeting.
    await screen.reload();
    await screen.getByTestId('screen-live').waitFor();
    await Promise.all([projector.close(), panel.context.close()]);
  }, 120_000);

  it('says when the QR would point at localhost, and uses the address the office chooses', async () => {
    const { id: sessionId, joinCode } = await server.createSession();
    await server.setStatus(sessionId, 'live');
    const { context, page } = await openScreen(browser, server, sessionId);
    // The test server is reached on 127.0.0.1 with no PUBLIC_URL: exactly the server PC's case.
    await page.getByTestId('address-warning').waitFor();
    expect(await page.getByTestId('join-address').textContent()).toContain(`127.0.0.1`);

    const login = await server.api<LoginReply>('POST', '/api/login', {
      body: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const office = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 900 } });
    await office.addInitScript(
      (staff) => localStorage.setItem('dialogue-board:staff', staff),
      JSON.stringify(login.body),
    );
    const admin = await office.newPage();
    await admin.goto(`/admin/sessions/${sessionId}`);
    await admin.getByTestId('address-warning').waitFor();
    await admin.getByLabel(/Địa chỉ khác/).fill('http://hall.example:3000');
    await admin.getByRole('button', { name: 'Dùng địa chỉ này' }).click();
    await expect
      .poll(() => admin.getByTestId('chosen-address').textContent())
      .toBe('http://hall.example:3000');
    expect(await admin.getByTestId('address-warning').count()).toBe(0);
    expect(await admin.getByTestId('join-link').textContent()).toBe(`http://hall.example:3000/j/${joinCode}`);
    await office.close();

    await page.reload();
    await expect
      .poll(() => page.getByTestId('join-address').textContent())
      .toBe(`hall.example:3000/j/${joinCode}`);
    expect(await page.getByTestId('address-warning').count()).toBe(0);
    await server.api('PUT', '/api/addresses/join', { token: server.adminToken, body: { address: null } });
    await context.close();
  }, 120_000);

  it('is calm before the meeting, live during it, calm again after it', async () => {
    const { id: sessionId, joinCode } = await server.createSession({
      title: 'Hội nghị đối thoại năm 2025',
      startTime: '14:00',
    });
    const { context, page } = await openScreen(browser, server, sessionId);

    const calm = page.getByTestId('screen-calm');
    await calm.waitFor();
    expect(await calm.getAttribute('data-state')).toBe('before');
    expect(await calm.textContent()).toContain('Hội nghị khai mạc lúc 14:00');
    expect(await page.getByTestId('join-code').textContent()).toBe(joinCode);
    // The QR code is the server's SVG and it loads.
    await expect
      .poll(() => page.getByTestId('join-qr').evaluate((img: HTMLImageElement) => img.naturalWidth))
      .toBeGreaterThan(0);
    await axeCheck(page, { label: 'screen before' });

    await server.setStatus(sessionId, 'collecting');
    await server.join(joinCode, { name: 'Bùi Thị Mai' });
    await expect.poll(() => calm.textContent()).toContain('Quý vị có thể gửi câu hỏi ngay từ bây giờ');
    await expect.poll(() => page.getByTestId('count-present').textContent()).toContain('1');
    await page.screenshot({ path: `${SHOTS}/screen-before-vi.png` });

    await server.setStatus(sessionId, 'live');
    await page.getByTestId('screen-speaker').waitFor();
    expect(await page.getByTestId('screen-speaker').textContent()).toContain('Mời quý vị đăng ký phát biểu');
    expect(await page.getByTestId('count-present').textContent()).toBe('1');
    await axeCheck(page, { label: 'screen live, nobody speaking' });

    await server.setStatus(sessionId, 'closed');
    await expect.poll(() => calm.getAttribute('data-state')).toBe('ended');
    expect(await calm.textContent()).toContain('Hội nghị đã bế mạc');
    await axeCheck(page, { label: 'screen ended' });
    await page.screenshot({ path: `${SHOTS}/screen-ended-vi.png` });
    await context.close();
  });

  it('says so calmly when the link is wrong or has no token', async () => {
    const { id: sessionId } = await server.createSession();
    const context = await browser.newContext({ baseURL: server.url, viewport: PROJECTOR });
    const page = await context.newPage();
    await page.goto(`/screen/${sessionId}?token=not-a-token`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Đường dẫn màn hình không hợp lệ');
    await page.goto(`/screen/${sessionId}`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Đường dẫn màn hình không hợp lệ');
    // A display token of another session does not open this one.
    const other = await server.createSession();
    const res = await server.api<{ path: string }>('POST', `/api/sessions/${other.id}/display-token`, {
      token: chair.token,
    });
    const token = new URL(res.body.path, server.url).searchParams.get('token') ?? '';
    await page.goto(`/screen/${sessionId}?token=${encodeURIComponent(token)}`);
    await expect.poll(() => page.locator('h1').textContent()).toContain('Đường dẫn màn hình không hợp lệ');
    await axeCheck(page, { label: 'screen bad link' });
    await context.close();
  });

  it('reconnects by itself after the network drops and catches up', async () => {
    const { id: sessionId, joinCode } = await server.createSession();
    await server.setStatus(sessionId, 'live');
    const { context, page } = await openScreen(browser, server, sessionId);
    await page.getByTestId('screen-speaker').waitFor();

    await context.setOffline(true);
    // After a few seconds (never on a short blip) the screen says it is reconnecting.
    await expect.poll(() => page.getByText('Đang kết nối lại…').count(), { timeout: 8000 }).toBe(1);

    const phone = await server.join(joinCode, { name: 'Hoàng Minh Tuấn', group: 21 });
    await must(server, phone.token, {
      type: 'hand.raise',
      sessionId,
      handId: 'h-offline',
      topic: 'Chiếu sáng ngõ 12',
    });
    await must(server, chair.token, { type: 'speaker.give_floor', sessionId, handId: 'h-offline' });

    await context.setOffline(false);
    await expect
      .poll(() => page.getByTestId('screen-speaker-name').textContent(), { timeout: 15_000 })
      .toBe('Hoàng Minh Tuấn');
    await expect.poll(() => page.getByText('Đang kết nối lại…').count()).toBe(0);
    expect(await page.getByTestId('count-present').textContent()).toBe('1');
    await context.close();
  });

  it('shows the server’s remaining time even when the projector’s clock is 90 s wrong', async () => {
    const { id: sessionId, joinCode } = await server.createSession();
    await server.setStatus(sessionId, 'live');
    const phone = await server.join(joinCode, { name: 'Lý Văn Sơn' });
    await must(server, phone.token, { type: 'hand.raise', sessionId, handId: 'h-clock' });

    const res = await server.api<{ path: string }>('POST', `/api/sessions/${sessionId}/display-token`, {
      token: chair.token,
    });
    const context = await browser.newContext({ baseURL: server.url, viewport: PROJECTOR });
    await context.addInitScript(() => {
      const real = Date.now.bind(Date);
      Date.now = () => real() + 90_000;
    });
    const page = await context.newPage();
    await page.goto(`${res.body.path}&lang=en`);
    await page.getByTestId('screen-speaker').waitFor();
    expect(await page.getByTestId('screen-speaker').textContent()).toContain(
      'You are welcome to ask to speak',
    );

    await must(server, chair.token, {
      type: 'speaker.give_floor',
      sessionId,
      handId: 'h-clock',
      durationSec: 120,
    });
    const socket = await server.connect(chair.token);
    const { reply } = await subscribe(socket, sessionId);
    if (!reply.ok || reply.mode !== 'snapshot') throw new Error('no snapshot');
    const floor = (reply.state as SessionState).floor!;
    await page.getByTestId('countdown').waitFor();
    for (let i = 0; i < 3; i++) {
      const expected = Math.ceil((floor.startedAt + floor.durationSec * 1000 - Date.now()) / 1000);
      const shown = seconds(await page.getByTestId('countdown').textContent());
      expect(Math.abs(shown - expected), `shown ${shown}, server says ${expected}`).toBeLessThanOrEqual(1);
      await page.waitForTimeout(600);
    }
    socket.disconnect();
    await context.close();
  });
});

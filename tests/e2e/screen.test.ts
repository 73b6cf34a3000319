/**
 * The big screen (1920×1080, no interaction) against the real server: a calm state before and after the meeting,
 * the live board, a bad link, reconnecting by itself after a network loss, and a countdown that stays right when
 * the projector's clock is wrong. axe runs on each state; screenshots go to docs/screenshots/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { SessionState } from '../../shared/domain/types.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, subscribe, type TestServer } from '../helpers/server.ts';
import { clientEnv, SHOTS } from './attendeeHelpers.ts';
import { must, openScreen, PROJECTOR, signIn, type StaffLogin } from './panelHelpers.ts';

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

describe('big screen', () => {
  it('is calm before the meeting, live during it, calm again after it', async () => {
    const { id: sessionId, joinCode } = await server.createSession({
      title: 'Hội nghị đối thoại năm 2025',
      startTime: '14:00',
    });
    const { context, page } = await openScreen(browser, server, sessionId);

    const calm = page.getByTestId('screen-calm');
    await calm.waitFor();
    expect(await calm.getAttribute('data-state')).toBe('before');
    expect(await calm.textContent()).toContain('Hội nghị sẽ bắt đầu lúc 14:00');
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
    expect(await calm.textContent()).toContain('Hội nghị đã kết thúc');
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

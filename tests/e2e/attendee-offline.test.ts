/**
 * The hall Wi-Fi drops: actions taken offline wait in the persistent outbox ("sending…"), survive a reload, and are
 * delivered exactly once when the connection returns; short drops show no banner, long ones a calm one. Bad input
 * (empty or oversize text, a vote on a question hidden meanwhile, a hand raised twice) gets a clear message in the
 * person's language and changes nothing.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../shared/domain/types.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import type { TestServer } from '../helpers/server.ts';
import { ask, clientEnv, joinPhone, openTab, shot, statusOf, waitUntil } from './attendeeHelpers.ts';
import type { Phone } from './attendeeHelpers.ts';

describe('attendee phone offline and bad input', () => {
  let server: TestServer;
  let browser: Browser;
  let session: { id: string; joinCode: string };
  let chair: string;
  let phone: Phone;

  const cmd = async (body: Record<string, unknown>) => {
    const ack = await server.command(chair, { sessionId: session.id, ...body });
    expect(ack, JSON.stringify(body)).toMatchObject({ ok: true });
  };
  /** The session as staff see it. */
  const staffState = async (): Promise<SessionState> => {
    const socket = await server.connect(chair);
    try {
      const reply = await socket.emitWithAck('sync', { sessionId: session.id, since: 0 });
      if (!reply.ok || reply.mode !== 'snapshot') throw new Error('no snapshot');
      return reply.state;
    } finally {
      socket.disconnect();
    }
  };
  const connection = (p: Phone) => p.page.locator('.app').getAttribute('data-connection');

  beforeAll(async () => {
    server = await startServer({ env: clientEnv() });
    browser = await launchBrowser();
    session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    chair = await server.staffToken('chair');
    phone = await joinPhone(browser, server.url, session.joinCode, { name: 'Phạm Văn Hòa', group: 7 });
    // The offline shell is in place (service worker + cached page) and the state is saved on the device.
    await waitUntil(() =>
      phone.page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        return Boolean(await (await caches.open('dialogue-board-shell-v1')).match('/__shell'));
      }),
    );
    await waitUntil(() =>
      phone.page.evaluate(() => Object.keys(localStorage).some((k) => k.startsWith('dialogue-board:state:'))),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a short drop shows no banner', async () => {
    const { page, context } = phone;
    await page.evaluate(() => {
      const w = window as unknown as { bannerSeen: boolean };
      w.bannerSeen = false;
      new MutationObserver(() => {
        if (document.querySelector('[data-testid="offline-banner"]')) w.bannerSeen = true;
      }).observe(document.body, { subtree: true, childList: true });
    });
    await context.setOffline(true);
    await expect.poll(() => connection(phone)).toBe('offline');
    await context.setOffline(false);
    await expect.poll(() => connection(phone)).toBe('online');
    expect(await page.evaluate(() => (window as unknown as { bannerSeen: boolean }).bannerSeen)).toBe(false);
  });

  it('keeps a question asked offline through a reload and delivers it exactly once', async () => {
    const { page, context } = phone;
    const text = 'Hồ sơ đăng ký khai sinh cho con cần những giấy tờ gì?';
    await context.setOffline(true);
    await expect.poll(() => connection(phone)).toBe('offline');
    const id = await ask(page, text);
    await expect.poll(() => statusOf(page, id)).toBe('sending');
    // After ~3 s a calm banner says what waits to be sent.
    await page.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.getByTestId('offline-banner').textContent())
      .toContain('1 thao tác đang chờ gửi');
    await axeCheck(page, { label: 'offline' });
    await shot(page, 'attendee-offline.png', page.getByTestId('my-question').first());

    // The browser reloads the page with no network: the shell, the saved state and the outbox are on the device.
    await page.reload();
    await expect.poll(() => statusOf(page, id)).toBe('sending');
    await page.getByTestId('offline-banner').waitFor({ timeout: 10_000 });
    expect((await staffState()).questions[id]).toBeUndefined();

    await context.setOffline(false);
    await expect.poll(() => statusOf(page, id), { timeout: 15_000 }).toBe('published');
    await expect.poll(() => page.getByTestId('offline-banner').count()).toBe(0);
    const state = await staffState();
    expect(Object.values(state.questions).filter((q) => q.text === text)).toHaveLength(1);
    // Reloading again resends nothing: the outbox is empty.
    await page.reload();
    await expect.poll(() => statusOf(page, id)).toBe('published');
    expect(Object.values((await staffState()).questions).filter((q) => q.text === text)).toHaveLength(1);
  });

  it('notices a silent drop (no answer on a socket that looks open) and delivers through a new connection', async () => {
    const { context } = phone;
    // A fresh page whose WebSocket goes through a relay we can silence, as hall Wi-Fi does without telling anyone.
    const page = await context.newPage();
    const silenced: { ws?: unknown } = {};
    const relays: unknown[] = [];
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      relays.push(ws);
      ws.onMessage((m) => {
        if (silenced.ws !== ws) server.send(m);
      });
      server.onMessage((m) => {
        if (silenced.ws !== ws) ws.send(m);
      });
    });
    await page.goto(`/j/${session.joinCode}#ask`);
    // A loaded machine may take more than a second to connect: this is about behaviour, not speed.
    await expect
      .poll(() => page.locator('.app').getAttribute('data-connection'), { timeout: 10_000 })
      .toBe('online');
    silenced.ws = relays.at(-1);
    const text = 'Khi nào phường tổ chức tiêm chủng mở rộng?';
    const id = await ask(page, text);
    await expect.poll(() => statusOf(page, id)).toBe('sending');
    // The command's ack times out (10 s), the connection is replaced, the question goes through — once.
    await expect.poll(() => statusOf(page, id), { timeout: 20_000 }).toBe('published');
    expect(relays.length).toBeGreaterThan(1);
    expect(Object.values((await staffState()).questions).filter((q) => q.text === text)).toHaveLength(1);
    await page.close();
  }, 40_000);

  it('refuses empty and oversize questions with a clear message and sends nothing', async () => {
    const { page } = phone;
    await openTab(page, 'ask');
    const before = await page.getByTestId('my-question').count();
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await page.getByRole('alert').filter({ hasText: 'Vui lòng nhập câu hỏi.' }).waitFor();
    await page.getByLabel('Câu hỏi hoặc ý kiến của Ông/Bà').fill('   ');
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await page.getByRole('alert').filter({ hasText: 'Vui lòng nhập câu hỏi.' }).waitFor();

    await page.getByLabel('Câu hỏi hoặc ý kiến của Ông/Bà').fill('x'.repeat(1001));
    await expect.poll(() => page.getByTestId('counter').textContent()).toContain('1.001 / 1.000');
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await page.getByRole('alert').filter({ hasText: 'Câu hỏi dài quá 1.000 ký tự' }).waitFor();
    await axeCheck(page, { label: 'ask with an error' });
    await shot(page, 'attendee-ask-error.png', page.getByTestId('counter'));
    expect(await page.getByTestId('my-question').count()).toBe(before);
    const outbox = await page.evaluate(() =>
      Object.entries(localStorage).filter(([k, v]) => k.startsWith('dialogue-board:outbox:') && v !== '[]'),
    );
    expect(outbox).toEqual([]);
  });

  it('a vote on a question hidden meanwhile gets a clear message and changes nothing', async () => {
    const other = await joinPhone(browser, server.url, session.joinCode);
    const qid = await ask(other.page, 'Câu hỏi sẽ bị ẩn vì trùng lặp nội dung.');
    await other.context.close();
    const { page, context } = phone;
    await openTab(page, 'questions');
    const card = page.locator(`[data-testid="public-question"][data-id="${qid}"]`);
    await card.waitFor();
    await context.setOffline(true);
    await expect.poll(() => connection(phone)).toBe('offline');
    await card.getByTestId('vote').click(); // kept in the outbox
    await expect.poll(() => card.getByTestId('vote').getAttribute('aria-pressed')).toBe('true');
    await cmd({ type: 'question.hide', questionId: qid, reason: 'Trùng lặp' });
    await context.setOffline(false);
    await page
      .getByRole('alert')
      .filter({ hasText: 'Câu hỏi này hiện không thể ủng hộ.' })
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => card.count()).toBe(0);
    expect((await staffState()).questions[qid]).toMatchObject({ status: 'hidden', votes: 0 });
    await axeCheck(page, { label: 'vote error' });
    await shot(page, 'attendee-vote-error.png');
    await page.getByRole('button', { name: 'Đóng' }).click();
  });

  it('a hand raised twice (two screens of the same phone) gets a clear message; the queue keeps one hand', async () => {
    const { page, context } = phone;
    // A second browser window of the same person: same identity, its own network.
    const twin = await browser.newContext({
      ...{ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true },
      baseURL: server.url,
      storageState: await context.storageState(),
    });
    const twinPage = await twin.newPage();
    await twinPage.goto(`/j/${session.joinCode}#speak`);
    await twinPage.getByRole('button', { name: 'Đăng ký phát biểu' }).waitFor();
    await expect.poll(() => twinPage.locator('.app').getAttribute('data-connection')).toBe('online');
    await twin.setOffline(true);
    await expect.poll(() => twinPage.locator('.app').getAttribute('data-connection')).toBe('offline');

    await openTab(page, 'speak');
    await page.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
    await expect.poll(() => page.getByTestId('speak-state').getAttribute('data-stage')).toBe('next');

    await twinPage.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
    await twin.setOffline(false);
    await twinPage
      .getByRole('alert')
      .filter({ hasText: 'Ông/Bà đã đăng ký phát biểu rồi.' })
      .waitFor({ timeout: 15_000 });
    await expect.poll(() => twinPage.getByTestId('speak-state').getAttribute('data-stage')).toBe('next');
    expect((await staffState()).queue).toHaveLength(1);
    await twin.close();
  });
});

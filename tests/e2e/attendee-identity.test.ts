/**
 * The phone's identity (issue #12, findings 1 and 3) through the real UI: the device secret makes a join whose reply
 * was lost come back as the same participant; a token the server no longer accepts is renewed silently with the
 * secret, keeping what waited in the outbox; a join refused by the hall budget gets a calm message in Vietnamese
 * and English.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser, newPhone } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { ask, clientEnv, shot, statusOf, type Phone } from './attendeeHelpers.ts';

// A loaded machine runs three phones, axe and screenshots slowly: a minute per step, not the default 30 s.
describe('attendee identity on the phone', { timeout: 60_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let session: { id: string; joinCode: string };
  let phone: Phone;

  const participantCount = async () => (await server.app.ctx.sessions.state(session.id))?.participantCount;
  const saved = (p: Phone) =>
    p.page.evaluate(
      ([code, sessionId]) => ({
        identity: JSON.parse(localStorage.getItem(`dialogue-board:attendee:${code}`) ?? '{}') as {
          token?: string;
          participantId?: string;
        },
        secret: JSON.parse(localStorage.getItem(`dialogue-board:attendee-secret:${sessionId}`) ?? 'null') as
          string | null,
      }),
      [session.joinCode, session.id],
    );

  beforeAll(async () => {
    // One new identity per address: the second phone on this (loopback) address is over the hall budget.
    server = await startServer({ env: { ...clientEnv(), JOIN_NEW_BUDGET: '1/600' } });
    browser = await launchBrowser();
    session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('a join whose reply was lost is retried as the same participant', async () => {
    const { context, page } = await newPhone(browser, server.url);
    let lost = false;
    await page.route('**/api/join', async (route) => {
      if (route.request().method() !== 'POST' || lost) return route.continue();
      // The server gets the join and answers; the Wi-Fi loses the answer.
      lost = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await page.goto(`/j/${session.joinCode}`);
    await page.getByLabel('Họ và tên').fill('Đỗ Thị Mất Sóng');
    await page.getByRole('button', { name: 'Tham gia' }).click();
    await page.getByText('Không kết nối được máy chủ').waitFor();
    expect(await participantCount()).toBe(1);
    await page.getByRole('button', { name: 'Tham gia' }).click();
    await page.getByTestId('session-status').waitFor();
    expect(await participantCount()).toBe(1);
    const { identity, secret } = await saved({ context, page, participantId: '' });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const state = await server.app.ctx.sessions.state(session.id);
    expect(state?.participants[identity.participantId ?? '']?.name).toBe('Đỗ Thị Mất Sóng');
    phone = { context, page, participantId: identity.participantId ?? '' };
  });

  it('a token the server no longer accepts is renewed with the secret: same participant, the outbox delivered once', async () => {
    const { page, context } = phone;
    await context.setOffline(true);
    await expect.poll(() => page.locator('.app').getAttribute('data-connection')).toBe('offline');
    const text = 'Câu hỏi gửi khi mất sóng, trước khi thẻ hết hạn';
    const id = await ask(page, text);
    await expect.poll(() => statusOf(page, id)).toBe('sending');
    // The token is refused from now on (expired, or the server's signing key rotated); the secret is still here.
    await page.evaluate((code) => {
      const key = `dialogue-board:attendee:${code}`;
      const identity = JSON.parse(localStorage.getItem(key) ?? '{}') as Record<string, unknown>;
      localStorage.setItem(key, JSON.stringify({ ...identity, token: 'not-a-token' }));
    }, session.joinCode);
    await context.setOffline(false);
    await page.reload();
    await expect.poll(() => statusOf(page, id), { timeout: 20_000 }).toBe('published');
    expect(await page.getByText('Thông tin tham dự trên máy này không còn hợp lệ').count()).toBe(0);
    const { identity } = await saved(phone);
    expect(identity.participantId).toBe(phone.participantId);
    expect(identity.token).not.toBe('not-a-token');
    const state = await server.app.ctx.sessions.state(session.id);
    const mine = Object.values(state?.questions ?? {}).filter((q) => q.text === text);
    expect(mine.map((q) => q.authorId)).toEqual([phone.participantId]);
    expect(state?.participantCount).toBe(1);
  });

  it('a join over the hall budget gets a calm message in Vietnamese and English', async () => {
    const { context, page } = await newPhone(browser, server.url);
    await page.goto(`/j/${session.joinCode}`);
    await page.getByRole('button', { name: 'Tham gia' }).click();
    const wait = page.getByTestId('join-notice');
    await wait.waitFor();
    expect(await wait.textContent()).toContain('Nhiều người đang tham gia cùng lúc');
    expect(await wait.textContent()).toContain('khoảng 10 phút');
    expect(await wait.getAttribute('class')).toContain('notice-info');
    expect(await page.locator('.notice-error').count()).toBe(0);
    await axeCheck(page, { label: 'join over the budget' });
    await shot(page, 'attendee-join-busy.png', wait);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => wait.textContent()).toContain('Many people are joining at the same time');
    expect(await participantCount()).toBe(1);
    await context.close();
  });
});

/**
 * After "Bế mạc" every surface knows (issue 14, finding 4): the phone, the chair's panel and the big screen say the
 * meeting has closed; what no longer applies is gone (votes, raising a hand, asking); answers stay readable.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import type { TestServer } from '../helpers/server.ts';
import { ask, clientEnv, joinPhone, openTab } from './attendeeHelpers.ts';
import { openPanel, openScreen, signIn } from './panelHelpers.ts';

describe('after the meeting is closed', () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer({ env: clientEnv() });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('phones, panel and screen say so, and the actions that no longer apply are gone', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const chair = await signIn(server, 'chair', 'Nguyễn Văn Chủ');
    const cmd = (body: Record<string, unknown>) =>
      server.command(chair.token, { sessionId: session.id, ...body });
    expect(await cmd({ type: 'agenda.start', itemId: 'a6' })).toMatchObject({ ok: true });
    const phone = await joinPhone(browser, server.url, session.joinCode, { name: 'Trần Văn Nam' });
    const questionId = await ask(phone.page, 'Khi nào phường sửa xong đường ngõ 5?');
    expect(
      await cmd({ type: 'question.answer', questionId, mode: 'live', note: 'Trong tháng 3.' }),
    ).toMatchObject({
      ok: true,
    });
    const panel = await openPanel(browser, server.url, chair, session.id);
    const screen = await openScreen(browser, server, session.id);
    await openTab(phone.page, 'questions');
    await phone.page.getByTestId('vote').first().waitFor();
    await expect.poll(() => panel.page.getByTestId('current-agenda').textContent()).toContain('Đang diễn ra');

    await server.setStatus(session.id, 'closed');

    // The phone: no vote, no speak section, no ask form; the answer stays.
    await expect.poll(() => phone.page.getByTestId('vote').count()).toBe(0);
    await phone.page.getByTestId('public-question').first().waitFor();
    expect(await phone.page.locator('nav button[data-tab="speak"]').count()).toBe(0);
    await openTab(phone.page, 'now');
    await expect
      .poll(() => phone.page.getByTestId('session-status').textContent())
      .toContain('Hội nghị đã bế mạc');
    expect(await phone.page.getByText('Chương trình').count()).toBe(0);
    expect(await phone.page.getByText('Người đang phát biểu').count()).toBe(0);
    await openTab(phone.page, 'ask');
    await phone.page.getByText('Hội nghị đã bế mạc, không nhận thêm câu hỏi.').waitFor();
    expect(await phone.page.getByRole('button', { name: 'Gửi câu hỏi' }).count()).toBe(0);
    await phone.page.getByText('Trả lời: Trong tháng 3.').waitFor();
    await axeCheck(phone.page, { label: 'ask after closing' });

    // The panel no longer says the programme runs.
    await expect
      .poll(() => panel.page.getByTestId('current-agenda').textContent())
      .toContain('Hội nghị đã bế mạc');
    expect(await panel.page.getByTestId('current-agenda').textContent()).not.toContain('Đang diễn ra');

    // The screen is calm again and says the meeting has closed.
    await expect.poll(() => screen.page.getByTestId('screen-calm').getAttribute('data-state')).toBe('ended');
    expect(await screen.page.getByTestId('screen-calm').textContent()).toContain('Hội nghị đã bế mạc');
    for (const c of [phone.context, panel.context, screen.context]) await c.close();
  }, 120_000);
});

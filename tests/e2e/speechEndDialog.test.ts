/**
 * "Kết thúc" on the panel opens the dialog that records the speech as opinions (issue 13: "a speech becomes one or
 * more opinions at 'Kết thúc' … in at most three taps on the panel"), even when the command's ack reaches the
 * tablet before the event that ends the speech; the opinion recorded there joins the register.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { clientEnv } from './attendeeHelpers.ts';
import { must, openPanel, recordSpokenOpinions, signIn } from './panelHelpers.ts';

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

it('ending a speech on the panel opens the speech-opinions dialog, which records them', async () => {
  const chair = await signIn(server, 'chair', 'Nguyễn Văn Chủ');
  const { id: sessionId } = await server.createSession({ moderation: 'open' });
  await server.setStatus(sessionId, 'live');
  for (const [handId, name] of [
    ['h1', 'Nguyễn Thị Hoa'],
    ['h2', 'Trần Văn Sơn'],
  ])
    await must(server, chair.token, { sessionId, type: 'hand.add', handId, name, group: 9 });
  const { context, page } = await openPanel(browser, server.url, chair, sessionId, { tab: 'speakers' });
  for (const name of ['Nguyễn Thị Hoa', 'Trần Văn Sơn']) {
    await page.getByTestId('queue-item').filter({ hasText: name }).getByTestId('give-floor').click();
    await expect.poll(() => page.getByTestId('floor-name').textContent()).toContain(name);
    await page.getByTestId('end-speech').click();
    const dialog = page.getByRole('dialog', { name: 'Ghi nhận ý kiến phát biểu' });
    await dialog.waitFor({ timeout: 5_000 });
    expect(await dialog.innerText()).toContain(name);
    await recordSpokenOpinions(dialog, [{ fieldId: 'tu-phap', text: `Lệ phí chứng thực cao (${name})` }]);
  }
  const state = (await server.app.ctx.sessions.state(sessionId))!;
  expect(
    Object.values(state.questions)
      .map((q) => [q.speech?.handId, q.text, q.source])
      .sort(),
  ).toEqual([
    ['h1', 'Lệ phí chứng thực cao (Nguyễn Thị Hoa)', 'speech'],
    ['h2', 'Lệ phí chứng thực cao (Trần Văn Sơn)', 'speech'],
  ]);
  await context.close();
});

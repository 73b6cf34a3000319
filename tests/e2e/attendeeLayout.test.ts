/**
 * The attendee's phone as an older resident meets it: on a 360×640 and a 320×568 phone, at normal and at large
 * text, every section (join, now, ask, questions, speak, form) keeps its words whole (text ranges: a word is on one
 * line), its header compact (≤ 64 px, the title once), its clocks and counts whole, its main action and its first
 * list item on the first screen, nothing clipped, and passes axe. LAYOUT_SHOTS=<dir> saves a screenshot of each.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser, layoutProblems, newPhone, visibleIn } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import type { TestServer } from '../helpers/server.ts';
import { clientEnv, openTab, SHOTS } from './attendeeHelpers.ts';

const TITLE = 'Hội nghị đối thoại giữa Chủ tịch UBND phường với Nhân dân năm 2026';
const SIZES = [
  { width: 360, height: 640 },
  { width: 320, height: 568 },
] as const;

describe('attendee layout on small phones', () => {
  let server: TestServer;
  let browser: Browser;
  let session: { id: string; joinCode: string };
  let chair: string;

  beforeAll(async () => {
    server = await startServer({ env: clientEnv() });
    browser = await launchBrowser();
    session = await server.createSession({ title: TITLE, moderation: 'open', startTime: '08:00' });
    await server.setStatus(session.id, 'live');
    chair = await server.staffToken('chair', { name: 'Nguyễn Văn Chủ' });
    const cmd = async (token: string, body: Record<string, unknown>) =>
      expect(await server.command(token, { sessionId: session.id, ...body })).toMatchObject({ ok: true });
    await cmd(chair, { type: 'agenda.start', itemId: 'a4' });
    const asker = await server.join(session.joinCode, { name: 'Phạm Văn Bình', group: 12 });
    for (const [i, text] of [
      'Thủ tục đăng ký thường trú cho con mất bao nhiêu ngày?',
      'Đề nghị phường bố trí thêm ghế chờ tại Bộ phận Một cửa.',
    ].entries())
      await cmd(asker.token, {
        type: 'question.submit',
        questionId: `00000000-0000-4000-8000-00000000000${i + 1}`,
        text,
        fieldId: 'tu-phap',
      });
    // A speech of 10 s given now runs into overtime ("+0:1x", two digits) while the tests go on.
    const handId = '00000000-0000-4000-8000-0000000000a1';
    await cmd(asker.token, { type: 'hand.raise', handId, topic: 'Hộ tịch' });
    await cmd(chair, { type: 'speaker.give_floor', handId, durationSec: 10 });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function check(page: Page, label: string, main: string, first?: string): Promise<void> {
    if (process.env.LAYOUT_SHOTS) await page.screenshot({ path: `${process.env.LAYOUT_SHOTS}/${label}.png` });
    const problems = await layoutProblems(page);
    expect(problems, `${label}: words broken or text clipped`).toEqual([]);
    expect(await visibleIn(page, main), `${label}: the main action (${main}) on the first screen`).toBe(true);
    if (first)
      expect(
        await visibleIn(page, first, 96),
        `${label}: the first list item (${first}) on the first screen`,
      ).toBe(true);
    await axeCheck(page, { label });
  }

  for (const size of SIZES)
    for (const large of [false, true]) {
      const name = `${size.width}x${size.height}${large ? '-large' : ''}`;
      it(`at ${size.width}×${size.height}, ${large ? 'large' : 'normal'} text: join, now, ask, questions, speak, form`, async () => {
        const { context, page } = await newPhone(browser, server.url, { viewport: size });
        if (large)
          await context.addInitScript(() => localStorage.setItem('dialogue-board:large-text', 'true'));
        await page.goto(`/j/${session.joinCode}`);
        await page.getByRole('button', { name: 'Tham gia', exact: true }).waitFor();
        await check(page, `join-${name}`, 'button[type="submit"]');

        await page.getByRole('button', { name: 'Tham gia', exact: true }).click();
        await page.getByTestId('session-status').waitFor();
        // The title once, in the header, on one line; the rest of the meeting's facts on demand.
        await expect
          .poll(() => page.getByText(TITLE, { exact: true }).filter({ visible: true }).count())
          .toBe(1);
        const header = await page.locator('header.top').boundingBox();
        expect(header!.height, 'header height').toBeLessThanOrEqual(64);
        // Ten seconds or more over: two digits after the colon must show whole ("+0:11", not "+0:1").
        await expect
          .poll(() => page.getByTestId('countdown').textContent(), { timeout: 25_000 })
          .toMatch(/^\+(0:[1-5]\d|[1-9]\d*:\d\d)$/);
        await check(page, `now-${name}`, '[data-testid="countdown"]', '[data-testid="agenda-item"]');

        await page.getByTestId('meeting-details-toggle').click();
        await page.getByTestId('meeting-details').getByText('08 giờ 00', { exact: false }).waitFor();
        expect(await page.getByTestId('meeting-details').textContent()).toContain(TITLE);
        await check(page, `details-${name}`, '[data-testid="meeting-details"]');
        await page.getByTestId('meeting-details-toggle').click();

        await openTab(page, 'ask');
        await check(page, `ask-${name}`, 'form button[type="submit"]');
        await openTab(page, 'questions');
        await check(
          page,
          `questions-${name}`,
          '[data-testid="public-question"] [data-testid="vote"]',
          '[data-testid="public-question"]',
        );
        await openTab(page, 'speak');
        await check(page, `speak-${name}`, 'form button[type="submit"]');
        await openTab(page, 'form');
        await check(page, `form-${name}`, 'form button[type="submit"]', '[data-testid="criterion"]');
        if (size.width === 320 && large) {
          await page.screenshot({ path: `${SHOTS}/attendee-form-320-large.png` });
          await openTab(page, 'now');
          await page.screenshot({ path: `${SHOTS}/attendee-now-320-large.png` });
          await openTab(page, 'questions');
          await page.screenshot({ path: `${SHOTS}/attendee-questions-320-large.png` });
        }
        await context.close();
      }, 90_000);
    }

  it('names the text-size control in words and remembers it', async () => {
    const { context, page } = await newPhone(browser, server.url);
    await page.goto(`/j/${session.joinCode}`);
    const control = page.getByRole('button', { name: 'Cỡ chữ' });
    expect(await control.textContent()).toContain('Cỡ chữ');
    await control.click();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('20px');
    await expect.poll(() => control.getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('20px');
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Text size' }).waitFor();
    await context.close();
  });
});

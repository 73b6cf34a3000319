/**
 * The secretary records a speech as opinions from the minutes' side list (issue 13: "the secretary can do it from
 * the minutes' side list"), as the panel does at "Kết thúc": a speech without opinions offers "Ghi ý kiến", the
 * form takes a field, a summary and who answers, and the opinions join the register; on a laptop and a tablet,
 * with axe on the open dialog.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { clientEnv } from './attendeeHelpers.ts';
import { must, seedMeeting, signIn, TABLET, type Seeded, type StaffLogin } from './panelHelpers.ts';

const LAPTOP = { width: 1280, height: 800 };
let server: TestServer;
let browser: Browser;
let seeded: Seeded;
let secretary: StaffLogin;

async function openMinutes(login: StaffLogin, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport, locale: 'vi-VN' });
  await context.addInitScript(
    (staff) => localStorage.setItem('dialogue-board:staff', staff),
    JSON.stringify(login),
  );
  const page = await context.newPage();
  await page.goto(`/minutes/${seeded.sessionId}`);
  await page.getByTestId('event-list').locator('[data-kind="speech"]').first().waitFor();
  return page;
}
const opinionsOf = async (handId: string) =>
  Object.values((await server.app.ctx.sessions.state(seeded.sessionId))!.questions).filter(
    (q) => q.speech?.handId === handId,
  );

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  seeded = await seedMeeting(server);
  await must(server, seeded.chair.token, { sessionId: seeded.sessionId, type: 'speaker.end' });
  secretary = await signIn(server, 'secretary', 'Trần Thị Thu');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('recording spoken opinions from the minutes', { timeout: 120_000 }, () => {
  {
    const label = 'laptop';
    const viewport = LAPTOP;
    it('the secretary records a speech as opinions from the side list (laptop)', async () => {
      const state = (await server.app.ctx.sessions.state(seeded.sessionId))!;
      const speech = state.speeches.at(-1)!;
      const page = await openMinutes(secretary, viewport);
      const record = page.getByTestId('record-opinions');
      expect(await opinionsOf(speech.handId)).toEqual([]);
      await record.first().click();
      const dialog = page.getByRole('dialog', { name: 'Ghi nhận ý kiến phát biểu' });
      await dialog.waitFor();
      await dialog.getByTestId('speech-opinion-field').first().selectOption('dia-chinh');
      await dialog.getByTestId('speech-opinion-text').first().fill('Đề nghị rút ngắn thời gian cấp sổ đỏ');
      await dialog.getByTestId('speech-opinion-official').first().selectOption('o-dia-chinh');
      await axeCheck(page, { label: `record opinions from the minutes (${label})` });
      await dialog.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
      await page.getByTestId('opinions-recorded').waitFor();
      await expect.poll(() => record.count()).toBe(0);
      expect(await opinionsOf(speech.handId)).toMatchObject([
        {
          text: 'Đề nghị rút ngắn thời gian cấp sổ đỏ',
          fieldId: 'dia-chinh',
          assignedOfficialId: 'o-dia-chinh',
          source: 'speech',
        },
      ]);
    });
  }

  it('on a tablet too, and an official reading the minutes is not offered it', async () => {
    const official = await signIn(server, 'official', 'Lê Văn Cường', { fieldIds: ['tu-phap'] });
    await must(server, seeded.chair.token, {
      sessionId: seeded.sessionId,
      type: 'hand.add',
      handId: '00000000-0000-4000-8000-0000000000f1',
      name: 'Hoàng Văn Nam',
    });
    await must(server, seeded.chair.token, {
      sessionId: seeded.sessionId,
      type: 'speaker.give_floor',
      handId: '00000000-0000-4000-8000-0000000000f1',
    });
    await must(server, seeded.chair.token, { sessionId: seeded.sessionId, type: 'speaker.end' });
    const page = await openMinutes(official, LAPTOP);
    await page.getByText('Hoàng Văn Nam').first().waitFor();
    expect(await page.getByTestId('record-opinions').count()).toBe(0);

    const sec = await openMinutes(secretary, TABLET);
    await expect.poll(() => sec.getByTestId('record-opinions').count()).toBe(1);
    await sec.getByTestId('record-opinions').click();
    const dialog = sec.getByRole('dialog', { name: 'Ghi nhận ý kiến phát biểu' });
    await dialog.getByTestId('speech-opinion-text').first().fill('Lệ phí chứng thực cao');
    await axeCheck(sec, { label: 'record opinions from the minutes (tablet)' });
    await dialog.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
    await expect.poll(() => sec.getByTestId('record-opinions').count()).toBe(0);
    expect(await opinionsOf('00000000-0000-4000-8000-0000000000f1')).toMatchObject([
      { text: 'Lệ phí chứng thực cao', source: 'speech' },
    ]);
  });
});

/**
 * The ask form forgets what it sent and asks for a name when a name is to be shown (issue 14, finding 3): a second
 * question starts fresh; "Hiện tên tôi" without a name asks for it, so the hall never reads "Ẩn danh · Tổ 12" on a
 * named question; attendees never read the moderators' "nothing to review"; with open moderation the chair's board
 * opens where the questions are.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import type { TestServer } from '../helpers/server.ts';
import { clientEnv, joinPhone, openTab } from './attendeeHelpers.ts';
import { openPanel, signIn } from './panelHelpers.ts';

describe('the ask form and the board under open moderation', () => {
  let server: TestServer;
  let browser: Browser;
  let session: { id: string; joinCode: string };

  beforeAll(async () => {
    server = await startServer({ env: clientEnv() });
    browser = await launchBrowser();
    session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('starts each question fresh and asks for the name to show', async () => {
    const { page, context, participantId } = await joinPhone(browser, server.url, session.joinCode, {
      group: 12,
    });
    await openTab(page, 'questions');
    // Nothing waits for review: the hall is not told so (that is the moderators' business).
    await page.getByRole('heading', { name: 'Các câu hỏi' }).waitFor();
    expect(await page.getByText('Không có câu hỏi nào đang chờ duyệt.').count()).toBe(0);

    await openTab(page, 'ask');
    const text = page.getByLabel('Câu hỏi hoặc ý kiến của Ông/Bà');
    const field = page.getByLabel('Lĩnh vực liên quan');
    const named = page.getByRole('radio', { name: 'Hiện tên tôi' });
    const anonymous = page.getByRole('radio', { name: 'Ẩn danh' });
    // No name given when joining: a new question starts anonymous.
    expect(await anonymous.isChecked()).toBe(true);

    // "Show my name" without a name asks for one; sending without it is refused on the phone.
    await text.fill('Đề nghị sửa đèn đường tổ 12.');
    await field.selectOption({ label: 'Quản lý đô thị' });
    await named.check();
    const name = page.getByLabel('Họ và tên');
    await name.waitFor();
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await page.getByText('Vui lòng nhập họ và tên, hoặc chọn “Ẩn danh”.').waitFor();
    await axeCheck(page, { label: 'ask, name asked' });
    expect(Object.keys((await server.app.ctx.sessions.state(session.id))!.questions)).toHaveLength(0);
    await name.fill('Đỗ Thị Hoa');
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await expect.poll(() => page.getByTestId('my-question').count()).toBe(1);

    // The form starts fresh: no text, no field, and (the name now known) named by default, no name field.
    expect(await text.inputValue()).toBe('');
    expect(await field.inputValue()).toBe('');
    await expect.poll(() => named.isChecked()).toBe(true);
    expect(await page.getByLabel('Họ và tên').count()).toBe(0);

    // The question went out under the name, and the name is kept for the next one.
    await expect
      .poll(
        async () =>
          Object.values((await server.app.ctx.sessions.state(session.id))!.questions)[0]?.authorName,
      )
      .toBe('Đỗ Thị Hoa');
    const state = await server.app.ctx.sessions.state(session.id);
    expect(state?.participants[participantId]).toMatchObject({ name: 'Đỗ Thị Hoa', group: 12 });
    await openTab(page, 'questions');
    await expect
      .poll(() => page.getByTestId('public-question').first().textContent())
      .toContain('Đỗ Thị Hoa');

    // A second question, anonymous this time, with another field; the third starts fresh again.
    await openTab(page, 'ask');
    await text.fill('Thời gian làm căn cước cho người cao tuổi?');
    await field.selectOption({ label: 'Công an' });
    await anonymous.check();
    await page.getByRole('button', { name: 'Gửi câu hỏi' }).click();
    await expect.poll(() => page.getByTestId('my-question').count()).toBe(2);
    expect(await field.inputValue()).toBe('');
    expect(await named.isChecked()).toBe(true);
    await context.close();
  });

  it("opens the chair's board on the questions published without review", async () => {
    const chair = await signIn(server, 'chair', 'Nguyễn Văn Chủ');
    const { context, page } = await openPanel(browser, server.url, chair, session.id);
    await expect
      .poll(() => page.getByTestId('board-tab-published').getAttribute('aria-pressed'))
      .toBe('true');
    await expect.poll(() => page.getByTestId('board-empty').count()).toBe(0);
    await page.getByText('Đề nghị sửa đèn đường tổ 12.').waitFor();
    await context.close();
  });
});

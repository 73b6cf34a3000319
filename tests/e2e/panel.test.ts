/**
 * The leadership panel against the real server, with several browser contexts at once (tablets, phones, the big
 * screen): the life of a question from a phone to its answer; the floor given to a raised hand with one countdown
 * on panel, screen and phone; two panels answering the same question at once; the speaker queue and the agenda;
 * keyboard use. axe runs on what each step shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { ask, clientEnv, joinPhone, openTab, statusOf } from './attendeeHelpers.ts';
import {
  addOfficials,
  must,
  openPanel,
  openScreen,
  PASSWORD,
  signIn,
  TABLET,
  type StaffLogin,
} from './panelHelpers.ts';

let server: TestServer;
let browser: Browser;
let chair: StaffLogin;
let official: StaffLogin;

/** Whole seconds a countdown shows: "2:59" → 179, "+0:04" → −4. */
function seconds(text: string): number {
  const m = /^\s*(\+?)(?:(\d+):)?(\d+):(\d{2})\s*$/.exec(text);
  if (!m) throw new Error(`not a countdown: "${text}"`);
  const value = Number(m[2] ?? 0) * 3600 + Number(m[3]) * 60 + Number(m[4]);
  return m[1] ? -value : value;
}

const card = (page: Page, questionId: string) =>
  page.locator(`[data-testid="question-card"][data-question-id="${questionId}"]`);
const dialog = (page: Page) => page.locator('dialog[open]');

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  chair = await signIn(server, 'chair', 'Nguyễn Văn Hùng');
  official = await signIn(server, 'official', 'Trần Thị Bình', { fieldIds: ['dia-chinh'] });
  await addOfficials(server, [
    {
      id: 'o-binh',
      name: 'Trần Thị Bình',
      title: 'Công chức Địa chính – Xây dựng',
      fieldIds: ['dia-chinh'],
      userId: official.username,
    },
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('panel', () => {
  it('phone submits → panel approves and assigns → official marks answered → phone and screen show it', async () => {
    const { id: sessionId, joinCode } = await server.createSession({ title: 'Đối thoại quý III' });
    await server.setStatus(sessionId, 'live');
    const screen = await openScreen(browser, server, sessionId);

    // The chairman signs in on the tablet with the form and picks the meeting.
    const chairCtx = await browser.newContext({
      baseURL: server.url,
      viewport: TABLET,
      hasTouch: true,
      locale: 'vi-VN',
    });
    const panel = await chairCtx.newPage();
    await panel.goto('/panel');
    await panel.getByLabel('Tên đăng nhập').fill(chair.username);
    await panel.getByLabel('Mật khẩu').fill(PASSWORD);
    await panel.getByRole('button', { name: 'Đăng nhập' }).click();
    await panel.getByRole('link', { name: /Đối thoại quý III/ }).click();
    await panel.getByTestId('floor-strip').waitFor();

    const phone = await joinPhone(browser, server.url, joinCode, { name: 'Nguyễn Thị Lan', group: 3 });
    const text = 'Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ mất bao nhiêu ngày?';
    const questionId = await ask(phone.page, text);

    // Awaiting review, live on the panel within a blink.
    await expect.poll(() => panel.getByTestId('board-count-new').textContent()).toBe('1');
    await card(panel, questionId).waitFor();
    await axeCheck(panel, { label: 'board with a new question' });
    await card(panel, questionId).getByRole('button', { name: 'Duyệt', exact: true }).click();
    await expect.poll(() => panel.getByTestId('board-count-published').textContent()).toBe('1');
    await expect.poll(() => statusOf(phone.page, questionId)).toBe('published');

    await panel.getByTestId('board-tab-published').click();
    await card(panel, questionId).getByRole('button', { name: 'Phân công' }).click();
    await dialog(panel).getByLabel('Lĩnh vực').selectOption('dia-chinh');
    await dialog(panel).getByLabel('Cán bộ trả lời').selectOption('o-binh');
    await axeCheck(panel, { label: 'assign dialog' });
    await dialog(panel).getByRole('button', { name: 'Phân công' }).click();
    await expect.poll(() => dialog(panel).count()).toBe(0);
    await expect.poll(() => panel.getByTestId('board-count-assigned').textContent()).toBe('1');

    await panel.getByTestId('board-tab-assigned').click();
    await card(panel, questionId).getByRole('button', { name: 'Chiếu lên màn hình' }).click();
    await expect.poll(() => screen.page.getByTestId('screen-question-text').textContent()).toBe(text);
    expect(await screen.page.getByTestId('screen-question').textContent()).toContain('Địa chính – Xây dựng');

    // The official of that field finds it first on their tablet and marks it answered.
    const off = await openPanel(browser, server.url, official, sessionId);
    await expect
      .poll(() => off.page.getByRole('heading', { name: /Thuộc lĩnh vực của tôi/ }).count())
      .toBe(1);
    expect(await card(off.page, questionId).textContent()).toContain('Lĩnh vực của tôi');
    // Officials may not approve, hide, merge or assign.
    expect(await card(off.page, questionId).getByRole('button', { name: 'Ẩn', exact: true }).count()).toBe(0);
    await card(off.page, questionId).getByRole('button', { name: 'Đánh dấu đã trả lời' }).click();
    await dialog(off.page)
      .getByLabel(/Tóm tắt nội dung trả lời/)
      .fill('Tối đa 15 ngày làm việc kể từ khi nhận đủ hồ sơ.');
    await axeCheck(off.page, { label: 'answer dialog' });
    await dialog(off.page).getByRole('button', { name: 'Xác nhận đã trả lời' }).click();
    await expect.poll(() => dialog(off.page).count()).toBe(0);

    // The phone shows the answer; the screen marks it answered and counts it; the chairman's board moves it.
    await expect.poll(() => statusOf(phone.page, questionId)).toBe('answered');
    expect(
      await phone.page.locator(`[data-testid="my-question"][data-id="${questionId}"]`).textContent(),
    ).toContain('Tối đa 15 ngày làm việc');
    await screen.page.getByTestId('screen-question-answered').waitFor();
    await expect.poll(() => screen.page.getByTestId('count-answered').textContent()).toBe('1');
    await expect.poll(() => panel.getByTestId('board-count-answered').textContent()).toBe('1');

    await Promise.all([chairCtx.close(), off.context.close(), phone.context.close(), screen.context.close()]);
  });

  it('hand raised on a phone → floor given on the panel → one countdown on panel, screen and phone', async () => {
    const { id: sessionId, joinCode } = await server.createSession({ title: 'Đối thoại — phát biểu' });
    await server.setStatus(sessionId, 'live');
    const { context, page: panel } = await openPanel(browser, server.url, chair, sessionId, {
      tab: 'speakers',
    });
    const screen = await openScreen(browser, server, sessionId);
    const phone = await joinPhone(browser, server.url, joinCode, { name: 'Trần Văn Minh', group: 7 });

    await openTab(phone.page, 'speak');
    await phone.page.locator('#speak-topic').fill('Giờ làm việc của bộ phận một cửa');
    await phone.page.getByRole('button', { name: 'Đăng ký phát biểu' }).click();

    const item = panel.getByTestId('queue-item').filter({ hasText: 'Trần Văn Minh' });
    await item.waitFor();
    expect(await item.textContent()).toContain('Giờ làm việc của bộ phận một cửa');
    await expect.poll(() => screen.page.getByTestId('screen-next').textContent()).toContain('Trần Văn Minh');
    await axeCheck(panel, { label: 'speaker queue' });
    await item.getByTestId('give-floor').click();

    await openTab(phone.page, 'now');
    const clocks = [panel, screen.page, phone.page].map((p) => p.getByTestId('countdown'));
    await Promise.all(clocks.map((c) => c.waitFor()));
    expect(await panel.getByTestId('floor-name').textContent()).toContain('Trần Văn Minh');
    expect(await screen.page.getByTestId('screen-speaker-name').textContent()).toBe('Trần Văn Minh');
    for (let i = 0; i < 3; i++) {
      const shown = (await Promise.all(clocks.map((c) => c.textContent()))).map((t) => seconds(t ?? ''));
      expect(
        Math.max(...shown) - Math.min(...shown),
        `panel, screen, phone: ${shown.join(', ')}`,
      ).toBeLessThanOrEqual(1);
      expect(shown[0]).toBeGreaterThan(170);
      expect(shown[0]).toBeLessThanOrEqual(180);
      await panel.waitForTimeout(700);
    }

    // +30 s on the panel: every surface follows.
    await panel.getByRole('button', { name: '+30 giây' }).click();
    await expect
      .poll(async () => seconds((await screen.page.getByTestId('countdown').textContent()) ?? ''))
      .toBeGreaterThan(195);
    await expect
      .poll(async () => seconds((await phone.page.getByTestId('countdown').textContent()) ?? ''))
      .toBeGreaterThan(195);

    await panel.getByTestId('end-speech').click();
    await expect.poll(() => screen.page.getByTestId('countdown').count()).toBe(0);
    await expect.poll(() => panel.getByTestId('countdown').count()).toBe(0);

    await Promise.all([context.close(), phone.context.close(), screen.context.close()]);
  });

  it('two panels answer the same question at once: one wins, the other reads who answered', async () => {
    const { id: sessionId, joinCode } = await server.createSession({
      title: 'Đối thoại — trả lời cùng lúc',
      moderation: 'open',
    });
    await server.setStatus(sessionId, 'live');
    const asker = await server.join(joinCode, { name: 'Phạm Quốc Bảo' });
    const questionId = 'q-conflict';
    const ack = await server.command(asker.token, {
      type: 'question.submit',
      sessionId,
      questionId,
      text: 'Khi nào ngõ 42 được sửa?',
    });
    expect(ack.ok).toBe(true);

    const vice = await signIn(server, 'vice_chair', 'Lê Văn Cường');
    const a = await openPanel(browser, server.url, chair, sessionId);
    const b = await openPanel(browser, server.url, vice, sessionId);
    for (const p of [a.page, b.page]) {
      await p.getByTestId('board-tab-published').click();
      await card(p, questionId).getByRole('button', { name: 'Đánh dấu đã trả lời' }).click();
      await dialog(p)
        .getByLabel(/Tóm tắt nội dung trả lời/)
        .fill('Trong quý IV.');
    }
    const submit = (p: Page) => dialog(p).getByRole('button', { name: 'Xác nhận đã trả lời' }).click();
    await Promise.all([submit(a.page), submit(b.page)]);

    // Exactly one dialog closes (accepted); the other stays open with the reason and the winner's name.
    await expect.poll(async () => (await dialog(a.page).count()) + (await dialog(b.page).count())).toBe(1);
    const [winner, loser, winnerName] =
      (await dialog(a.page).count()) === 0 ? [a, b, 'Nguyễn Văn Hùng'] : [b, a, 'Lê Văn Cường'];
    const error = loser.page.getByTestId('dialog-error');
    await error.waitFor();
    expect(await error.textContent()).toContain(`Câu hỏi này đã được ${winnerName} trả lời.`);
    await axeCheck(loser.page, { label: 'conflict message' });

    // Both boards agree on the one answer.
    for (const p of [winner.page, loser.page]) {
      await expect.poll(() => p.getByTestId('board-count-answered').textContent()).toBe('1');
    }
    await Promise.all([a.context.close(), b.context.close()]);
  });

  it('runs the queue and the agenda: someone without a phone, reorder, first-time first, remove, next item', async () => {
    const { id: sessionId, joinCode } = await server.createSession({ title: 'Đối thoại — điều hành' });
    await server.setStatus(sessionId, 'live');
    const secretary = await signIn(server, 'secretary', 'Lê Thị Thu');
    const { context, page } = await openPanel(browser, server.url, secretary, sessionId, { tab: 'speakers' });
    const screen = await openScreen(browser, server, sessionId);

    // Two phones raise their hands; one of them has spoken before.
    const first = await server.join(joinCode, { name: 'Đỗ Thị Hoa', group: 3 });
    const second = await server.join(joinCode, { name: 'Vũ Đức Thắng', group: 5 });
    const raise = (token: string, handId: string) =>
      server.command(token, { type: 'hand.raise', sessionId, handId });
    expect((await raise(first.token, 'h1')).ok).toBe(true);
    await server.command(chair.token, { type: 'speaker.give_floor', sessionId, handId: 'h1' });
    await server.command(chair.token, { type: 'speaker.end', sessionId });
    expect((await raise(first.token, 'h2')).ok).toBe(true);
    expect((await raise(second.token, 'h3')).ok).toBe(true);

    // The secretary adds someone without a phone.
    await page.getByTestId('add-speaker').click();
    await dialog(page).getByLabel('Họ và tên').fill('Ông Đặng Văn Lợi');
    await dialog(page).getByLabel('Tổ dân phố').selectOption('4');
    await dialog(page).getByLabel('Nội dung muốn phát biểu').fill('Trật tự đô thị');
    await axeCheck(page, { label: 'add speaker dialog' });
    await dialog(page).getByRole('button', { name: 'Thêm vào danh sách' }).click();
    const names = () => page.getByTestId('queue-item').locator('[id*="-hand-"]').allTextContents();
    await expect.poll(names).toEqual(['Đỗ Thị Hoa', 'Vũ Đức Thắng', 'Ông Đặng Văn Lợi']);

    // First-time speakers first: Đỗ Thị Hoa has spoken already, so she goes after the others.
    await page.getByLabel('Ưu tiên người phát biểu lần đầu').check();
    await expect.poll(names).toEqual(['Vũ Đức Thắng', 'Ông Đặng Văn Lợi', 'Đỗ Thị Hoa']);

    // Move up, then remove (with confirmation).
    await page.getByTestId('queue-item').nth(1).getByRole('button', { name: 'Chuyển lên' }).click();
    await expect.poll(names).toEqual(['Ông Đặng Văn Lợi', 'Vũ Đức Thắng', 'Đỗ Thị Hoa']);
    await expect
      .poll(() => screen.page.getByTestId('screen-next').locator('li').first().textContent())
      .toContain('Ông Đặng Văn Lợi');
    await page.getByTestId('queue-item').nth(2).getByRole('button', { name: 'Xóa khỏi danh sách' }).click();
    await dialog(page).getByRole('button', { name: 'Xóa khỏi danh sách' }).click();
    await expect.poll(names).toEqual(['Ông Đặng Văn Lợi', 'Vũ Đức Thắng']);

    // The floor from the strip, with the chosen speaking time.
    await page.getByLabel('Thời gian cho người tiếp theo').selectOption('120');
    await page.getByTestId('give-floor-next').click();
    await expect.poll(() => page.getByTestId('floor-name').textContent()).toBe('Ông Đặng Văn Lợi');
    await expect
      .poll(async () => seconds((await screen.page.getByTestId('countdown').textContent()) ?? ''))
      .toBeLessThanOrEqual(120);

    // Agenda: start the first item, then the next; the screen follows.
    await page.getByTestId('tab-agenda').click();
    await page.getByTestId('agenda-next').click();
    await expect.poll(() => screen.page.getByTestId('screen-agenda').textContent()).toContain('Nội dung 1/6');
    await page.getByTestId('agenda-next').click();
    await expect.poll(() => screen.page.getByTestId('screen-agenda').textContent()).toContain('Nội dung 2/6');
    await expect
      .poll(() => page.getByTestId('current-agenda').textContent())
      .toContain('Chủ tịch UBND phường nêu rõ mục đích');
    await axeCheck(page, { label: 'agenda' });

    await Promise.all([context.close(), screen.context.close()]);
  });

  it('approves in bulk, merges a duplicate (votes carried, asker told), filters, keeps an internal note', async () => {
    const { id: sessionId, joinCode } = await server.createSession({ title: 'Đối thoại — duyệt câu hỏi' });
    await server.setStatus(sessionId, 'live');
    const secretary = await signIn(server, 'secretary', 'Lê Thị Thu');
    const { context, page } = await openPanel(browser, server.url, secretary, sessionId);
    const phone = await joinPhone(browser, server.url, joinCode, { name: 'Đỗ Thị Hoa' });
    const original = await server.join(joinCode, { name: 'Bùi Thị Mai' });
    const voters = await Promise.all([1, 2, 3].map(() => server.join(joinCode, {})));
    const submit = (token: string, questionId: string, text: string, fieldId?: string) =>
      must(server, token, {
        type: 'question.submit',
        sessionId,
        questionId,
        text,
        ...(fieldId ? { fieldId } : {}),
      });
    await submit(original.token, 'q-main', 'Cấp giấy phép xây dựng mất bao lâu?', 'dia-chinh');
    await submit(original.token, 'q-other', 'Đề nghị mở cửa một cửa vào thứ Bảy.', 'van-phong');
    const duplicate = await ask(phone.page, 'Giấy phép xây dựng mất bao lâu thì được cấp?');

    // Select all awaiting review, approve in one go.
    await expect.poll(() => page.getByTestId('board-count-new').textContent()).toBe('3');
    await page.getByLabel(/Chọn tất cả/).check();
    await page.getByTestId('approve-selected').click();
    await expect.poll(() => page.getByTestId('board-count-published').textContent()).toBe('3');
    await expect.poll(() => page.getByTestId('board-count-new').textContent()).toBe('0');

    // Votes on both, then merge the duplicate into the original: the votes are carried over.
    for (const v of voters)
      await must(server, v.token, { type: 'question.vote', sessionId, questionId: 'q-main', value: true });
    await must(server, voters[0]!.token, {
      type: 'question.vote',
      sessionId,
      questionId: duplicate,
      value: true,
    });
    const orig = await server.join(joinCode, {});
    await must(server, orig.token, { type: 'question.vote', sessionId, questionId: duplicate, value: true });
    await page.getByTestId('board-tab-published').click();
    await card(page, duplicate).getByRole('button', { name: 'Gộp câu trùng' }).click();
    // The likely original comes first among the candidates.
    await expect.poll(() => dialog(page).getByRole('radio').first().getAttribute('value')).toBe('q-main');
    await dialog(page).getByRole('radio').first().check();
    await axeCheck(page, { label: 'merge dialog' });
    await dialog(page).getByRole('button', { name: 'Gộp', exact: true }).click();
    await expect.poll(() => dialog(page).count()).toBe(0);
    await expect.poll(() => card(page, 'q-main').locator('.votes').textContent()).toContain('4');
    await expect.poll(() => statusOf(phone.page, duplicate)).toBe('merged');
    expect(
      await phone.page.locator(`[data-testid="my-question"][data-id="${duplicate}"]`).textContent(),
    ).toContain('Cấp giấy phép xây dựng mất bao lâu?');

    // Filters: by field, and by text without tone marks.
    await page.getByLabel('Lĩnh vực').selectOption('van-phong');
    await expect.poll(() => page.getByTestId('question-card').count()).toBe(1);
    await page.getByLabel('Lĩnh vực').selectOption('all');
    await page.getByLabel('Tìm trong câu hỏi').fill('giay phep');
    await expect.poll(() => page.getByTestId('question-card').count()).toBe(1);
    expect(await page.getByTestId('question-card').getAttribute('data-question-id')).toBe('q-main');

    // An internal note: written, shown on the card for staff, never on a phone; emptied to remove it.
    const note = 'Đã có văn bản trả lời năm 2024, cần kiểm tra lại.';
    await card(page, 'q-main').getByRole('button', { name: 'Ghi chú', exact: true }).click();
    await dialog(page).getByLabel('Ghi chú').fill(note);
    await axeCheck(page, { label: 'note dialog' });
    await dialog(page).getByRole('button', { name: 'Lưu ghi chú' }).click();
    await expect.poll(() => dialog(page).count()).toBe(0);
    await expect.poll(() => card(page, 'q-main').textContent()).toContain(note);
    expect((await server.app.ctx.sessions.state(sessionId))?.questions['q-main']?.staffNote).toBe(note);
    await openTab(phone.page, 'questions');
    await expect
      .poll(() => phone.page.getByText('Cấp giấy phép xây dựng mất bao lâu?').count())
      .toBeGreaterThan(0);
    expect(await phone.page.content()).not.toContain('Đã có văn bản trả lời');
    await card(page, 'q-main').getByRole('button', { name: 'Ghi chú', exact: true }).click();
    expect(await dialog(page).getByLabel('Ghi chú').inputValue()).toBe(note);
    await dialog(page).getByLabel('Ghi chú').fill('');
    await dialog(page).getByRole('button', { name: 'Lưu ghi chú' }).click();
    await expect.poll(() => card(page, 'q-main').textContent()).not.toContain(note);
    await Promise.all([context.close(), phone.context.close()]);
  });

  it('works with the keyboard: tabs with arrow keys, dialogs open, close on Esc and give focus back', async () => {
    const { id: sessionId, joinCode } = await server.createSession({
      title: 'Đối thoại — bàn phím',
      moderation: 'open',
    });
    await server.setStatus(sessionId, 'live');
    const asker = await server.join(joinCode, {});
    await server.command(asker.token, {
      type: 'question.submit',
      sessionId,
      questionId: 'q-kbd',
      text: 'Câu hỏi ẩn danh',
      anonymous: true,
    });
    const { context, page } = await openPanel(browser, server.url, chair, sessionId);

    await page.getByTestId('tab-questions').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.getByTestId('tab-speakers').getAttribute('aria-selected')).toBe('true');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('tab-speakers');
    await page.keyboard.press('End');
    await expect.poll(() => page.getByTestId('tab-overview').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Home');
    await expect.poll(() => page.getByTestId('tab-questions').getAttribute('aria-selected')).toBe('true');

    await page.getByTestId('board-tab-published').click();
    expect(await card(page, 'q-kbd').textContent()).toContain('Người dân (ẩn danh)');
    const hide = card(page, 'q-kbd').getByRole('button', { name: 'Ẩn', exact: true });
    await hide.focus();
    await page.keyboard.press('Enter');
    await dialog(page).waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
    // Hiding needs a reason: an empty one is refused in the dialog.
    await dialog(page).getByRole('button', { name: 'Ẩn câu hỏi' }).click();
    expect(await dialog(page).getByLabel('Lý do ẩn').getAttribute('aria-invalid')).toBe('true');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog(page).count()).toBe(0);
    await expect.poll(() => hide.evaluate((el) => el === document.activeElement)).toBe(true);

    // Hide with a preset reason, all by keyboard.
    await page.keyboard.press('Enter');
    await dialog(page).getByRole('button', { name: 'Trùng với câu hỏi khác' }).focus();
    await page.keyboard.press('Enter');
    await dialog(page).getByRole('button', { name: 'Ẩn câu hỏi' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('board-count-hidden').textContent()).toBe('1');
    await page.getByTestId('board-tab-hidden').click();
    expect(await card(page, 'q-kbd').textContent()).toContain('Trùng với câu hỏi khác');
    await context.close();
  });
});

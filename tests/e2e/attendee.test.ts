/**
 * The attendee's phone at 360×640 against the real server: join through /j/<code>, ask and see the question
 * published once a staff member approves it, vote with live counts, raise a hand and follow one's place in the
 * queue, the satisfaction form, answers after the meeting, English and large text; axe on every screen.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer } from '../helpers/server.ts';
import type { TestServer } from '../helpers/server.ts';
import { ask, clientEnv, joinPhone, openTab, shot, statusOf } from './attendeeHelpers.ts';
import type { Phone } from './attendeeHelpers.ts';

describe('attendee phone', () => {
  let server: TestServer;
  let browser: Browser;
  let session: { id: string; joinCode: string };
  let chair: string;
  let lan: Phone;
  let minh: Phone;
  let questionId: string;
  const cmd = async (body: Record<string, unknown>) => {
    const ack = await server.command(chair, { sessionId: session.id, ...body });
    expect(ack, JSON.stringify(body)).toMatchObject({ ok: true });
  };

  beforeAll(async () => {
    server = await startServer({ env: clientEnv() });
    browser = await launchBrowser();
    session = await server.createSession({ moderation: 'review' });
    await server.setStatus(session.id, 'live');
    chair = await server.staffToken('chair', { name: 'Nguyễn Văn Chủ' });
    await cmd({ type: 'agenda.start', itemId: 'a4' });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('joins through /j/<code> and shows where the meeting is', async () => {
    lan = await joinPhone(browser, server.url, session.joinCode, {
      name: 'Trần Thị Lan',
      group: 3,
      screenshot: 'attendee-join.png',
    });
    const { page } = lan;
    await expect
      .poll(() => page.getByTestId('agenda-item').textContent())
      .toContain('Tổ chức, công dân phát biểu');
    await axeCheck(page, { label: 'now' });
    await shot(page, 'attendee-now.png');
    // Returning to the link keeps the identity.
    await page.reload();
    await page.getByTestId('session-status').waitFor();
    const again = await page.evaluate(
      (code) => JSON.parse(localStorage.getItem(`dialogue-board:attendee:${code}`) ?? '{}').participantId,
      session.joinCode,
    );
    expect(again).toBe(lan.participantId);
  });

  it("changes one's details after joining; the panel has the new name, and it stays after a reload", async () => {
    const { page } = lan;
    const card = page.getByTestId('my-details');
    await expect.poll(() => card.getByTestId('my-name').textContent()).toBe('Trần Thị Lan');
    await card.getByRole('button', { name: 'Sửa thông tin' }).click();
    await card.getByLabel('Họ và tên').fill('Trần Thị Lan Anh');
    await card.getByLabel('Tổ dân phố').selectOption('5');
    await axeCheck(page, { label: 'my details form' });
    await shot(page, 'attendee-details.png', card);
    await card.getByRole('button', { name: 'Lưu' }).click();
    await card.getByText('Đã lưu thông tin của Ông/Bà.').waitFor();
    await expect.poll(() => card.getByTestId('my-name').textContent()).toBe('Trần Thị Lan Anh');
    await expect(card.getByText('Tổ dân phố số 5').isVisible()).resolves.toBe(true);
    const state = await server.app.ctx.sessions.state(session.id);
    expect(state?.participants[lan.participantId]).toMatchObject({ name: 'Trần Thị Lan Anh', group: 5 });
    await page.reload();
    await expect.poll(() => page.getByTestId('my-name').textContent()).toBe('Trần Thị Lan Anh');
    // Too long a name is refused on the phone, and nothing is sent.
    await page.getByRole('button', { name: 'Sửa thông tin' }).click();
    await page.getByLabel('Họ và tên').fill('x'.repeat(500));
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.getByText('Nội dung quá dài.').waitFor();
    await page.getByRole('button', { name: 'Hủy' }).click();
    const after = await server.app.ctx.sessions.state(session.id);
    expect(after?.participants[lan.participantId]?.name).toBe('Trần Thị Lan Anh');
  });

  it('the join page passes axe', async () => {
    const { context, page } = await (async () => {
      const c = await browser.newContext({
        viewport: { width: 360, height: 640 },
        baseURL: server.url,
        isMobile: true,
        hasTouch: true,
      });
      return { context: c, page: await c.newPage() };
    })();
    await page.goto(`/j/${session.joinCode}`);
    await page.getByRole('button', { name: 'Tham gia' }).waitFor();
    await axeCheck(page, { label: 'join' });
    await page.goto('/j/NOPE99');
    await page.getByText('Mã tham dự không đúng').waitFor();
    await axeCheck(page, { label: 'join with a wrong code' });
    // A token the server no longer accepts (data reset, expired): the phone asks to join again.
    await page.evaluate(
      ([code, sessionId]) =>
        localStorage.setItem(
          `dialogue-board:attendee:${code}`,
          JSON.stringify({ token: 'not-a-token', sessionId, participantId: 'ghost', joinCode: code }),
        ),
      [session.joinCode, session.id],
    );
    await page.goto(`/j/${session.joinCode}`);
    await page.getByText('Thông tin tham dự trên máy này không còn hợp lệ').waitFor();
    await page.getByRole('button', { name: 'Tham gia' }).waitFor();
    await page.goto('/');
    await page.getByLabel('Mã tham dự').fill(session.joinCode.toLowerCase());
    await page.getByRole('button', { name: 'Vào hội nghị' }).click();
    await page.waitForURL(`**/j/${session.joinCode}`);
    await page.getByRole('button', { name: 'Tham gia' }).waitFor();
    await context.close();
  });

  it('submits a question, which shows as published once a staff member approves it', async () => {
    const { page } = lan;
    questionId = await ask(page, 'Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ mất bao lâu?');
    await expect.poll(() => statusOf(page, questionId)).toBe('pending');
    await expect(page.getByText('Đang chờ duyệt').first().isVisible()).resolves.toBe(true);
    await axeCheck(page, { label: 'ask' });
    await shot(page, 'attendee-ask.png', page.getByTestId('my-question').first());

    await cmd({ type: 'question.approve', questionIds: [questionId] });
    await expect.poll(() => statusOf(page, questionId)).toBe('published');
  });

  it('votes on a published question; counts update live on other phones', async () => {
    minh = await joinPhone(browser, server.url, session.joinCode, { name: 'Lê Minh' });
    await openTab(minh.page, 'questions');
    await openTab(lan.page, 'questions');
    const card = (p: Phone) => p.page.locator(`[data-testid="public-question"][data-id="${questionId}"]`);
    await card(minh).waitFor();
    await expect.poll(() => card(minh).getByTestId('votes').getAttribute('data-count')).toBe('0');

    await card(minh).getByTestId('vote').click();
    await expect.poll(() => card(minh).getByTestId('vote').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => card(lan).getByTestId('votes').getAttribute('data-count')).toBe('1');
    await expect.poll(() => card(minh).getByTestId('votes').getAttribute('data-count')).toBe('1');
    await axeCheck(minh.page, { label: 'questions' });
    await shot(minh.page, 'attendee-questions.png', card(minh));

    // One vote per person, toggled.
    await card(minh).getByTestId('vote').click();
    await expect.poll(() => card(lan).getByTestId('votes').getAttribute('data-count')).toBe('0');
    await expect.poll(() => card(minh).getByTestId('vote').getAttribute('aria-pressed')).toBe('false');
    await card(minh).getByTestId('vote').click();
    await expect.poll(() => card(lan).getByTestId('votes').getAttribute('data-count')).toBe('1');

    // Moderation is visible: a pending question is counted.
    await ask(minh.page, 'Đề nghị bổ sung đèn chiếu sáng ngõ 12.');
    await openTab(lan.page, 'questions');
    await expect.poll(() => lan.page.getByTestId('awaiting-review').textContent()).toContain('1 câu hỏi');
  });

  it('raises hands; the place in the queue changes when someone ahead lowers theirs; "next" and "the floor"', async () => {
    for (const p of [lan, minh]) await openTab(p.page, 'speak');
    await lan.page.getByLabel('Ông/Bà muốn nói về nội dung gì?').fill('Cấp phép xây dựng');
    await lan.page.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
    await expect.poll(() => lan.page.getByTestId('speak-state').getAttribute('data-stage')).toBe('next');
    await minh.page.getByRole('button', { name: 'Đăng ký phát biểu' }).click();
    await expect.poll(() => minh.page.getByTestId('queue-position').getAttribute('data-position')).toBe('2');
    await axeCheck(minh.page, { label: 'speak (queued)' });
    await shot(minh.page, 'attendee-speak-queued.png');

    // Lan, ahead, lowers her hand: Minh moves up and is told he is next.
    await lan.page.getByRole('button', { name: 'Rút đăng ký phát biểu' }).click();
    await expect.poll(() => lan.page.getByTestId('speak-state').getAttribute('data-stage')).toBe('none');
    await expect.poll(() => minh.page.getByTestId('speak-state').getAttribute('data-stage')).toBe('next');
    await expect.poll(() => minh.page.getByTestId('queue-position').getAttribute('data-position')).toBe('1');
    await expect
      .poll(() =>
        minh.page.getByRole('alert').filter({ hasText: 'Ông/Bà là người phát biểu tiếp theo' }).count(),
      )
      .toBeGreaterThan(0);
    await axeCheck(minh.page, { label: 'speak (next)' });
    await shot(minh.page, 'attendee-speak-next.png');
    // Whatever section is open, the bar at the top says it and leads to the queue.
    await openTab(minh.page, 'questions');
    await minh.page.getByTestId('speak-alert').click();
    await minh.page.locator('nav button[data-tab="speak"][aria-current="page"]').waitFor();

    // The chair gives Minh the floor.
    const staff = await server.connect(chair);
    const reply = await staff.emitWithAck('sync', { sessionId: session.id, since: 0 });
    staff.disconnect();
    expect(reply.ok && reply.mode === 'snapshot').toBe(true);
    const hand = reply.ok && reply.mode === 'snapshot' ? reply.state.queue[0] : undefined;
    expect(hand?.participantId).toBe(minh.participantId);
    await cmd({ type: 'speaker.give_floor', handId: hand!.id, durationSec: 120 });
    await expect.poll(() => minh.page.getByTestId('speak-state').getAttribute('data-stage')).toBe('floor');
    await minh.page.getByText('Kính mời Ông/Bà phát biểu').first().waitFor();
    await axeCheck(minh.page, { label: 'speak (floor)' });
    await shot(minh.page, 'attendee-speak-floor.png');

    // Everyone sees who has the floor and the countdown.
    await openTab(lan.page, 'now');
    await expect.poll(() => lan.page.getByTestId('floor-name').textContent()).toContain('Lê Minh');
    await expect.poll(() => lan.page.getByTestId('countdown').textContent()).toMatch(/^[12]:\d\d$/);
    await shot(lan.page, 'attendee-now-floor.png', lan.page.getByTestId('countdown'));
  });

  it('fills the satisfaction form, sees the thank-you state and can change it', async () => {
    const { page } = lan;
    await openTab(page, 'form');
    await expect(page.getByTestId('criterion').count()).resolves.toBe(5);
    await axeCheck(page, { label: 'form' });
    await shot(page, 'attendee-form.png');
    await page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await page.getByText('Vui lòng chọn ít nhất một mức đánh giá.').waitFor();
    await page.getByLabel('Thủ tục hành chính Ông/Bà đã thực hiện').fill('Đăng ký khai sinh');
    await page.getByRole('group', { name: '1. Tiếp cận dịch vụ' }).getByLabel('Bình thường').check();
    await page
      .getByRole('group', { name: '2. Thủ tục hành chính' })
      .getByLabel('Hài lòng', { exact: true })
      .check();
    await page.getByRole('group', { name: '3. Công chức' }).getByLabel('Rất hài lòng').check();
    await page.getByLabel('Ý kiến, kiến nghị khác').fill('Cán bộ một cửa rất nhiệt tình.');
    await page.getByRole('button', { name: 'Gửi phiếu' }).click();
    await page.getByTestId('survey-thanks').waitFor();
    await expect.poll(() => page.getByText('Đang gửi…').count()).toBe(0);
    await axeCheck(page, { label: 'form thanks' });
    await shot(page, 'attendee-form-thanks.png');

    await page.getByRole('button', { name: 'Sửa phiếu' }).click();
    await expect(page.getByLabel('Thủ tục hành chính Ông/Bà đã thực hiện').inputValue()).resolves.toBe(
      'Đăng ký khai sinh',
    );
    await page.getByRole('group', { name: '2. Thủ tục hành chính' }).getByLabel('Rất hài lòng').check();
    await page.getByRole('button', { name: 'Cập nhật phiếu' }).click();
    await page.getByTestId('survey-thanks').waitFor();
    await expect.poll(() => page.locator('.summary dd').nth(1).textContent()).toBe('Rất hài lòng');
  });

  it('works in English with large text', async () => {
    const { page } = minh;
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    await openTab(page, 'questions');
    await page.getByRole('heading', { name: 'Questions' }).waitFor();
    await axeCheck(page, { label: 'questions (en)' });
    await shot(page, 'attendee-questions-en.png');
    await page.getByRole('button', { name: 'Text size' }).click();
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.body).fontSize)).toBe('20px');
    await openTab(page, 'ask');
    await axeCheck(page, { label: 'ask (en, large text)' });
    await shot(page, 'attendee-ask-en-large.png');
    // Both choices are remembered on the device.
    await page.reload();
    await page.getByRole('heading', { name: 'Ask a question' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.classList.contains('large-text'))).toBe(true);
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByRole('button', { name: 'Cỡ chữ' }).click();
    await page.getByRole('heading', { name: 'Gửi câu hỏi' }).waitFor();
  });

  it('is usable at 200 % zoom (a 180 px wide viewport)', async () => {
    const { page } = lan;
    await page.setViewportSize({ width: 180, height: 320 });
    await openTab(page, 'questions');
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await axeCheck(page, { label: 'questions at 200 %' });
    await page.setViewportSize({ width: 360, height: 640 });
  });

  it('shows final statuses and written answers after the meeting', async () => {
    const mine = questionId;
    const minhs = await minh.page.getByTestId('my-question').first().getAttribute('data-id');
    await cmd({ type: 'speaker.end' });
    await cmd({
      type: 'question.answer',
      questionId: mine,
      mode: 'live',
      note: 'Tối đa 15 ngày làm việc theo quy định.',
    });
    await cmd({ type: 'question.approve', questionIds: [minhs] });
    await cmd({ type: 'question.answer', questionId: minhs, mode: 'writing', dueDate: '2030-01-15' });
    await server.setStatus(session.id, 'closed');

    await openTab(lan.page, 'ask');
    await expect.poll(() => statusOf(lan.page, mine)).toBe('answered');
    await lan.page.getByText('Trả lời: Tối đa 15 ngày làm việc').waitFor();
    await openTab(minh.page, 'ask');
    await minh.page.getByText('Sẽ được trả lời bằng văn bản trước ngày').waitFor();

    await cmd({
      type: 'question.answer_written',
      questionId: minhs,
      text: 'Phường sẽ lắp đèn trong quý I năm 2030.',
    });
    await minh.page.getByText('Phường sẽ lắp đèn trong quý I').waitFor();
    await minh.page.getByText('Hội nghị đã bế mạc, không nhận thêm câu hỏi.').waitFor();
    await axeCheck(minh.page, { label: 'answers after the meeting' });
    await shot(minh.page, 'attendee-answers.png');
  });
});

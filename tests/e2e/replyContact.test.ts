/**
 * Contacts for written replies through the real UI (issue 13, finding 3): a phone at 360×640 with large text asks
 * for a written reply when joining and leaves a phone number and an address (purpose and retention said next to
 * them), changes it later under "my details"; the office enters a paper form with its asker's contact; the office
 * sees every contact on the follow-up page — and no phone ever shows another person's contact. axe on each page.
 */
import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeCheck, launchBrowser, layoutProblems, newPhone } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { signIn } from '../helpers/staffSignIn.ts';
import { clientEnv } from './attendeeHelpers.ts';
import { wardDay } from '../helpers/wardDay.ts';

const T = 90_000;
const DUE = wardDay(14);
const MINE = { phone: '0912 345 678', address: 'Số 5 ngõ 12 phố Hàng Bông, tổ dân phố 3' };
const THEIRS = { phone: '0987 111 222', address: 'Số 40 đường Lê Lợi, tổ dân phố 7' };
const PAPER = { phone: '0243 826 1234', address: 'Số 9 ngách 4 phố Yên Thái, tổ dân phố 1' };

let server: TestServer;
let browser: Browser;
let phone: Page;
let desk: Page;
let session: { id: string; joinCode: string };
let chair = '';
let mine = '';
const contactOf = (participantId: string) => server.app.ctx.contacts.get(session.id, participantId);
const state = async () => (await server.app.ctx.sessions.state(session.id))!;

async function ask(token: string, text: string): Promise<string> {
  const questionId = randomUUID();
  const ack = await server.command(token, {
    sessionId: session.id,
    type: 'question.submit',
    questionId,
    text,
  });
  expect(ack).toMatchObject({ ok: true });
  return questionId;
}
async function inWriting(questionId: string) {
  const ack = await server.command(chair, {
    sessionId: session.id,
    type: 'question.answer',
    questionId,
    mode: 'writing',
    dueDate: DUE,
  });
  expect(ack).toMatchObject({ ok: true });
}
/** Whether a contact's phone number or address appears anywhere in the page or what the page keeps. */
const shows = (p: Page, contact: { phone: string; address: string }) =>
  p.evaluate((c) => {
    const inputs = [...document.querySelectorAll('input')].map((i) => i.value);
    const kept = Object.keys(localStorage).map((k) => localStorage.getItem(k) ?? '');
    const all = [document.body.innerText, ...inputs, ...kept].join('\n');
    return all.includes(c.phone) || all.includes(c.address);
  }, contact);

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  session = await server.createSession({ moderation: 'open', title: 'Hội nghị đối thoại lần 2 năm 2026' });
  await server.setStatus(session.id, 'live');
  chair = await server.staffToken('chair', { name: 'Nguyễn Văn Chủ' });
  ({ page: phone } = await newPhone(browser, server.url, { viewport: { width: 360, height: 640 } }));
  await phone.context().addInitScript(() => localStorage.setItem('dialogue-board:large-text', 'true'));
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: 'vi-VN',
    baseURL: server.url,
  });
  desk = await context.newPage();
}, T);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a contact for the written reply', () => {
  it(
    'a phone with large text asks for a written reply when joining and leaves its contact',
    async () => {
      await phone.goto(`/j/${session.joinCode}`);
      await phone.getByRole('button', { name: 'Tham gia', exact: true }).waitFor();
      expect(await phone.getByTestId('contact-fields').count(), 'offered only when asked for').toBe(0);
      await phone.getByLabel('Họ và tên').fill('Lê Thị Mai');
      await phone.getByLabel(/Tôi muốn nhận trả lời bằng văn bản/).check();
      await phone.getByTestId('contact-fields').waitFor();
      await phone.getByText(/Nghị định 13\/2023.*xóa 90 ngày sau khi đã gửi xong/).waitFor();
      await phone.getByLabel('Số điện thoại', { exact: true }).fill('gọi tôi');
      await phone.getByRole('button', { name: 'Tham gia', exact: true }).click();
      const phoneBox = phone.getByLabel('Số điện thoại', { exact: true });
      await expect.poll(() => phoneBox.getAttribute('aria-invalid')).toBe('true');
      await phone.getByText(/Số điện thoại chỉ gồm chữ số/).waitFor();
      expect(await layoutProblems(phone), 'join with the contact fields').toEqual([]);
      await axeCheck(phone, { label: 'join with a contact (360×640, large text)' });

      await phoneBox.fill(MINE.phone);
      await phone.getByLabel('Địa chỉ nhận văn bản').fill(MINE.address);
      await phone.getByRole('button', { name: 'Tham gia', exact: true }).click();
      await phone.getByTestId('session-status').waitFor();
      mine = await phone.evaluate(
        (code) =>
          (
            JSON.parse(localStorage.getItem(`dialogue-board:attendee:${code}`) ?? '{}') as {
              participantId: string;
            }
          ).participantId,
        session.joinCode,
      );
      expect(await contactOf(mine)).toMatchObject(MINE);
      // Never in the session's record, which every staff tablet folds.
      expect(JSON.stringify(await state())).not.toContain(MINE.phone);
    },
    T,
  );

  it(
    'shows the phone its own contact under "my details", never another person’s, and takes a change',
    async () => {
      const other = await server.join(session.joinCode, { name: 'Phạm Văn Bình', contact: THEIRS });
      const token = (await phone.evaluate(
        (code) =>
          (JSON.parse(localStorage.getItem(`dialogue-board:attendee:${code}`) ?? '{}') as { token: string })
            .token,
        session.joinCode,
      )) as string;
      await inWriting(await ask(token, 'Thủ tục chứng thực bản sao mất bao lâu?'));
      await inWriting(await ask(other.token, 'Đề nghị lát lại vỉa hè tổ dân phố 7'));

      await phone.getByTestId('my-contact-toggle').click();
      const phoneBox = phone.getByLabel('Số điện thoại', { exact: true });
      await expect.poll(() => phoneBox.inputValue()).toBe(MINE.phone);
      expect(await phone.getByLabel('Địa chỉ nhận văn bản').inputValue()).toBe(MINE.address);
      expect(await shows(phone, MINE), 'the probe finds a contact the page shows').toBe(true);
      expect(await layoutProblems(phone), 'my contact').toEqual([]);
      await axeCheck(phone, { label: 'my contact (360×640, large text)' });
      await phone.locator('nav button[data-tab="questions"]').click();
      await phone.getByText('Đề nghị lát lại vỉa hè tổ dân phố 7').waitFor();
      expect(await shows(phone, THEIRS), 'questions: another person’s contact').toBe(false);
      await phone.locator('nav button[data-tab="now"]').click();
      await phone.getByTestId('my-details').waitFor();
      expect(await shows(phone, THEIRS), 'now: another person’s contact').toBe(false);

      await phone.getByTestId('my-contact-toggle').click();
      await phone.getByLabel('Địa chỉ nhận văn bản').fill('Số 7 ngõ 12 phố Hàng Bông, tổ dân phố 3');
      await phone.getByRole('button', { name: 'Lưu liên hệ' }).click();
      await phone.getByRole('status').filter({ hasText: 'Đã lưu liên hệ.' }).waitFor();
      expect(await contactOf(mine)).toMatchObject({
        phone: MINE.phone,
        address: 'Số 7 ngõ 12 phố Hàng Bông, tổ dân phố 3',
      });
      expect(await shows(phone, THEIRS)).toBe(false);
    },
    T,
  );

  it(
    'a paper form takes its asker’s contact, and a phone number that is not one is refused next to it',
    async () => {
      await desk.goto(`/admin/sessions/${session.id}/paper`);
      await signIn(desk);
      await desk.getByLabel('Họ và tên').waitFor();
      await desk.getByLabel('Họ và tên').fill('Đỗ Văn Hùng');
      await desk.getByLabel('Câu hỏi 1').fill('Xin hướng dẫn thủ tục đăng ký kết hôn');
      await desk.getByLabel('Số điện thoại', { exact: true }).fill('không có');
      await desk.getByLabel('Địa chỉ nhận công văn').fill(PAPER.address);
      await desk.keyboard.press('Control+Enter');
      await desk.locator('#pf-phone-error').filter({ hasText: 'Số điện thoại chỉ gồm chữ số' }).waitFor();
      expect(await desk.getByLabel('Số điện thoại', { exact: true }).getAttribute('aria-invalid')).toBe(
        'true',
      );
      expect(Object.values((await state()).participants).some((p) => p.name === 'Đỗ Văn Hùng')).toBe(false);

      await desk.getByLabel('Số điện thoại', { exact: true }).fill(PAPER.phone);
      await desk.keyboard.press('Control+Enter');
      await expect
        .poll(() => desk.getByRole('status').filter({ hasText: 'Đã lưu phiếu số 1' }).count())
        .toBe(1);
      const asker = Object.values((await state()).participants).find((p) => p.name === 'Đỗ Văn Hùng')!;
      expect(await contactOf(asker.id)).toMatchObject(PAPER);
      const question = Object.values((await state()).questions).find((q) => q.authorId === asker.id)!;
      await inWriting(question.id);

      // Opened again, the form shows the contact it was given.
      await desk.getByRole('button', { name: /Sửa phiếu\s*: Đỗ Văn Hùng/ }).click();
      await expect
        .poll(() => desk.getByLabel('Số điện thoại', { exact: true }).inputValue())
        .toBe(PAPER.phone);
      await axeCheck(desk, { label: 'paper form with a contact' });
    },
    T,
  );

  it(
    'the office sees each asker’s contact on the follow-up page',
    async () => {
      await desk.goto('/admin/followup');
      await desk.getByRole('heading', { name: 'Theo dõi trả lời bằng văn bản' }).waitFor();
      const contacts = desk.getByTestId('asker-contact');
      await expect.poll(() => contacts.count()).toBe(3);
      const text = (await contacts.allTextContents()).join('\n');
      expect(text).toContain(`${MINE.phone} · Số 7 ngõ 12 phố Hàng Bông`);
      expect(text).toContain(`${THEIRS.phone} · ${THEIRS.address}`);
      expect(text).toContain(`${PAPER.phone} · ${PAPER.address}`);
      await axeCheck(desk, { label: 'follow-up with contacts' });
    },
    T,
  );
});

/**
 * The ward's meeting of ../shared/seed run through the UI, in one browser (issue 13, "Done when"; the API-level run
 * is tests/integration/office/seedMeeting.test.ts, whose script this follows): opinions sent before the meeting on
 * a phone and on a paper form, five questions typed on phones, three speeches recorded as four opinions (on the
 * panel at "Kết thúc" and from the minutes' side list), answers by three officials recorded by the chairman and the
 * secretary, two written promises, a recommendation upward, one outside the remit, the closing's bulk outcome, a
 * paper form entered after closing and one corrected, the written replies, a reply letter and its delivery.
 * Then the panel's overview, the big screen, a phone, the minutes DOCX and the report XLSX/DOCX are read and must
 * all say the same figures as the script expects; axe on the panel, the phone, the follow-up and the screen.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import adminMessages from '../../shared/i18n/admin.ts';
import type { LoginReply } from '../../shared/protocol.ts';
import { axeCheck, launchBrowser, layoutProblems } from '../helpers/browser.ts';
import { documentXml, docxTables, paragraphsText } from '../helpers/docx.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { signIn as signInForm } from '../helpers/staffSignIn.ts';
import { ask, clientEnv, joinPhone, openTab, type Phone } from './attendeeHelpers.ts';
import {
  addOfficials,
  answerOnPanel,
  must,
  openPanel,
  openScreen,
  recordSpokenOpinions,
  signIn,
  type StaffLogin,
} from './panelHelpers.ts';

const T = 60_000;
const E = adminMessages.vi.admin.export;
const LAPTOP = { width: 1280, height: 800 };

/** What the script leads to (tests/integration/office/seedMeeting.test.ts): the figures every surface must show. */
const EXPECTED = {
  received: 16,
  merged: 1,
  opinions: 15,
  phone: 8,
  paper: 4,
  preMeeting: 4,
  speech: 4,
  answeredLive: 3,
  inWriting: 10,
  writtenDone: 2,
  delivered: 1,
  upward: 1,
  outside: 1,
  open: 0,
  speeches: 3,
  formsCollected: 3,
};

const TEXT = {
  pre1: 'Thời hạn cấp giấy chứng nhận quyền sử dụng đất',
  pre2: 'Chứng thực bản sao có làm trực tuyến được không',
  paperA1: 'Đường ngõ 12 ngập khi mưa',
  paperA2: 'Cần thêm ghế chờ ở bộ phận một cửa',
  paperB1: 'Thủ tục xin giấy phép xây dựng nhà ở',
  paperC1: 'Hỗ trợ hộ nghèo làm thủ tục vay vốn',
  typed: [
    ['dia-chinh', 'Hồ sơ tách thửa bị trả lại nhiều lần'],
    ['cong-an', 'Đăng ký thường trú cần giấy tờ gì'],
    ['tu-phap', 'Lệ phí đăng ký kết hôn là bao nhiêu'],
    ['cong-an', 'Xin cấp căn cước cho người già tại nhà'],
    ['van-hoa', 'Tổ chức lễ hội cần xin phép ở đâu'],
  ] as const,
  dup: 'Đăng ký thường trú cần những giấy tờ nào',
  spoken: [
    'Đề nghị sửa quy định hạn mức tách thửa',
    'Thái độ tiếp dân ở bộ phận một cửa',
    'Lệ phí chứng thực cao',
    'Trật tự lòng đường chợ tạm',
  ],
};
const SPEAKERS = [
  ['Nguyễn Thị Hoa', 9],
  ['Trần Văn Sơn', 3],
  ['Đặng Thị Lan', 12],
] as const;
const UPWARD = 'UBND thành phố Hà Nội';
const OUTSIDE = 'Thuộc thẩm quyền của Công an thành phố';
const LETTER = '125/UBND';
const SENT = adminMessages.vi.admin.followup.sent;

let server: TestServer;
let browser: Browser;
let sessionId = '';
let joinCode = '';
let chair: StaffLogin;
let secretary: StaffLogin;
let land: StaffLogin;
let desk: Page;
let chairPanel: Page;
let secPanel: Page;
let minutes: Page;
let phoneA: Phone;
let phoneB: Phone;
let screen: { context: BrowserContext; page: Page };
const started = Date.now();

/** A context with this staff member signed in (the shell keeps the login in localStorage). */
async function staffPage(login: LoginReply, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: server.url, viewport: LAPTOP, locale: 'vi-VN' });
  await context.addInitScript(
    (staff) => localStorage.setItem('dialogue-board:staff', staff),
    JSON.stringify(login),
  );
  const page = await context.newPage();
  await page.goto(path);
  return page;
}

const saved = (page: Page, text: string) =>
  expect.poll(() => page.getByRole('status').filter({ hasText: text }).count()).toBeGreaterThan(0);

/** Fills one paper form's questions on the office's paper tab (name, group, organisation, questions, scores). */
async function fillPaperForm(form: {
  name?: string;
  group: number;
  organisation?: string;
  questions: { text: string; fieldId: string }[];
  scores?: { procedures: number; official: number };
  comment?: string;
}) {
  await desk.getByLabel('Họ và tên').fill(form.name ?? '');
  await desk.locator('#pf-group').fill(String(form.group));
  if (form.organisation) await desk.getByLabel('Cơ quan, đơn vị').fill(form.organisation);
  for (const [i, q] of form.questions.entries()) {
    if (i > 0 && (await desk.locator(`#pf-q-${i}`).count()) === 0)
      await desk.getByRole('button', { name: 'Thêm câu hỏi' }).click();
    await desk.locator(`#pf-q-${i}`).fill(q.text);
    await desk.locator(`#pf-f-${i}`).selectOption(q.fieldId);
  }
  if (form.scores) {
    await desk.getByLabel('Thủ tục hành chính', { exact: true }).fill(String(form.scores.procedures));
    await desk
      .getByLabel('Công chức trực tiếp giải quyết công việc', { exact: true })
      .fill(String(form.scores.official));
  }
  if (form.comment !== undefined) await desk.locator('#pf-comment').fill(form.comment);
}

/** Ends the speech on the floor from the chairman's strip; the speech-opinions dialog opens there. */
async function giveFloorAndEnd(name: string) {
  await chairPanel.getByTestId('tab-speakers').click();
  await chairPanel.getByTestId('queue-item').filter({ hasText: name }).getByTestId('give-floor').click();
  await expect.poll(() => chairPanel.getByTestId('floor-name').textContent()).toContain(name);
  await chairPanel.getByTestId('end-speech').click();
  const dialog = chairPanel.getByRole('dialog', { name: 'Ghi nhận ý kiến phát biểu' });
  await dialog.waitFor();
  return dialog;
}

/** The secretary records a speech as opinions from the minutes' side list. */
async function recordFromMinutes(name: string, rows: Parameters<typeof recordSpokenOpinions>[1]) {
  const item = minutes.locator('[data-testid="event-item"][data-kind="speech"]').filter({ hasText: name });
  await item.getByTestId('record-opinions').click();
  const dialog = minutes.getByRole('dialog', { name: 'Ghi nhận ý kiến phát biểu' });
  await dialog.waitFor();
  await recordSpokenOpinions(dialog, rows);
  await expect.poll(() => item.getByTestId('record-opinions').count()).toBe(0);
}

/** "label → number" of a definition list (the screen's and the panel's tiles). */
const numbersOf = (page: Page, selector: string) =>
  page
    .locator(selector)
    .evaluate((dl) =>
      Object.fromEntries(
        [...dl.querySelectorAll('div')].map((d) => [
          d.querySelector('dt')?.textContent?.trim() ?? '',
          Number(d.querySelector('dd')?.textContent?.trim()),
        ]),
      ),
    );

/** The text of a DOCX's body, one line per paragraph. */
const docxText = async (bytes: Buffer): Promise<string> => paragraphsText(await documentXml(bytes));

/** Clicks an export button of the admin report tab and returns the downloaded bytes. */
async function downloadFrom(page: Page, button: string): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: button }).click(),
  ]);
  return readFileSync((await file.path()) ?? '');
}

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  chair = await signIn(server, 'chair', 'Nguyễn Văn Chủ');
  secretary = await signIn(server, 'secretary', 'Đỗ Thị Ghi');
  land = await signIn(server, 'official', 'Phạm Văn Dũng', { fieldIds: ['dia-chinh'] });
  await addOfficials(server, [
    { id: 'o-chu', name: 'Nguyễn Văn Chủ', title: 'Chủ tịch UBND phường', fieldIds: [] },
    {
      id: 'o-dung',
      name: 'Phạm Văn Dũng',
      title: 'Công chức Địa chính – Xây dựng',
      fieldIds: ['dia-chinh'],
      userId: land.username,
    },
    { id: 'o-police', name: 'Trần Văn Công', title: 'Trưởng Công an phường', fieldIds: ['cong-an'] },
    { id: 'o-tp', name: 'Lê Thị Tư', title: 'Công chức Tư pháp – Hộ tịch', fieldIds: ['tu-phap'] },
  ]);
  ({ id: sessionId, joinCode } = await server.createSession({
    moderation: 'open',
    title: 'Hội nghị đối thoại lần 1 năm 2026',
  }));
  await must(server, server.adminToken, {
    sessionId,
    type: 'paper_form.set_issued',
    groups: [
      { group: 3, count: 5 },
      { group: 9, count: 10 },
    ],
    organisations: [{ organisation: 'Hội Phụ nữ', count: 8 }],
  });
  await server.setStatus(sessionId, 'collecting');

  const context = await browser.newContext({
    viewport: LAPTOP,
    locale: 'vi-VN',
    baseURL: server.url,
    acceptDownloads: true,
  });
  desk = await context.newPage();
  await desk.goto(`/admin/sessions/${sessionId}/paper`);
  await signInForm(desk);
  await desk.getByLabel('Họ và tên').waitFor();
}, T);

afterAll(async () => {
  console.log(`seed meeting through the UI: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await browser?.close();
  await server?.close();
});

describe('the seed meeting, run through the UI', () => {
  it(
    'takes opinions before the meeting on a phone and on a paper form',
    async () => {
      phoneA = await joinPhone(browser, server.url, joinCode, { name: 'Lê Thị Mai', group: 3 });
      // No name given: the questions of this phone are anonymous.
      phoneB = await joinPhone(browser, server.url, joinCode, { group: 9 });
      await ask(phoneA.page, TEXT.pre1, { fieldId: 'dia-chinh' });
      await ask(phoneB.page, TEXT.pre2, { fieldId: 'tu-phap' });

      await fillPaperForm({
        name: 'Nguyen Thi Hao',
        group: 9,
        organisation: 'Hội Phụ nữ',
        questions: [
          { text: TEXT.paperA1, fieldId: 'do-thi' },
          { text: TEXT.paperA2, fieldId: 'van-phong' },
        ],
        scores: { procedures: 4, official: 5 },
      });
      await desk.keyboard.press('Control+Enter');
      await saved(desk, 'Đã lưu phiếu số 1');
    },
    T,
  );

  it('runs the meeting: typed questions, a duplicate merged, a paper form, three speeches as four opinions', async () => {
    await server.setStatus(sessionId, 'live');
    ({ page: chairPanel } = await openPanel(browser, server.url, chair, sessionId));
    ({ page: secPanel } = await openPanel(browser, server.url, secretary, sessionId));
    screen = await openScreen(browser, server, sessionId);
    for (const [i, [fieldId, text]] of TEXT.typed.entries())
      await ask((i % 2 === 0 ? phoneA : phoneB).page, text, { fieldId });
    const dup = await ask(phoneB.page, TEXT.dup, { fieldId: 'cong-an' });

    // The secretary merges the duplicate into the first question on residence registration.
    await secPanel.getByTestId('board-tab-published').click();
    await secPanel
      .locator(`[data-testid="question-card"][data-question-id="${dup}"]`)
      .getByRole('button', { name: 'Gộp câu trùng' })
      .click();
    const merge = secPanel.locator('dialog[open]');
    await merge.getByRole('radio', { name: new RegExp(TEXT.typed[1][1]) }).check();
    await merge.getByRole('button', { name: 'Gộp', exact: true }).click();
    await merge.waitFor({ state: 'hidden' });

    // A form handed in during the meeting, without a name.
    await fillPaperForm({ group: 3, questions: [{ text: TEXT.paperB1, fieldId: 'dia-chinh' }] });
    await desk.keyboard.press('Control+Enter');
    await saved(desk, 'Đã lưu phiếu số 2');

    // Three people without a phone are put on the list by the secretary.
    await secPanel.getByTestId('tab-speakers').click();
    for (const [name, group] of SPEAKERS) {
      await secPanel.getByTestId('add-speaker').click();
      const add = secPanel.locator('dialog[open]');
      await add.getByLabel('Họ và tên').fill(name);
      await add.getByLabel('Tổ dân phố').selectOption(String(group));
      await add.getByRole('button', { name: 'Thêm vào danh sách' }).click();
      await add.waitFor({ state: 'hidden' });
    }
    minutes = await staffPage(secretary, `/minutes/${sessionId}`);
    await minutes.getByTestId('minutes-editor').waitFor();

    // First speech: the chairman skips the dialog; the secretary records two opinions from the minutes.
    let dialog = await giveFloorAndEnd(SPEAKERS[0][0]);
    await dialog.getByTestId('speech-opinions-skip').click();
    await dialog.waitFor({ state: 'hidden' });
    await recordFromMinutes(SPEAKERS[0][0], [
      { fieldId: 'dia-chinh', text: TEXT.spoken[0]! },
      { fieldId: 'van-phong', text: TEXT.spoken[1]! },
    ]);
    // Second: the chairman records it at "Kết thúc".
    dialog = await giveFloorAndEnd(SPEAKERS[1][0]);
    await recordSpokenOpinions(dialog, [{ fieldId: 'tu-phap', text: TEXT.spoken[2]! }]);
    // Third: the secretary, with the official who is to answer.
    dialog = await giveFloorAndEnd(SPEAKERS[2][0]);
    await dialog.getByTestId('speech-opinions-skip').click();
    await recordFromMinutes(SPEAKERS[2][0], [
      { fieldId: 'cong-an', text: TEXT.spoken[3]!, officialId: 'o-police' },
    ]);
    await expect.poll(() => chairPanel.getByTestId('record-speech').count()).toBe(0);
  }, 90_000);

  it(
    'records the answers of three officials (chairman and secretary) and the plan’s other outcomes',
    async () => {
      await chairPanel.getByTestId('tab-questions').click();
      await secPanel.getByTestId('tab-questions').click();
      await answerOnPanel(chairPanel, TEXT.typed[0][1], 'o-dung', { mode: 'live', note: 'Bổ sung bản vẽ' });
      await answerOnPanel(secPanel, TEXT.typed[1][1], 'o-police', { mode: 'live', note: 'CCCD và sổ' });
      await answerOnPanel(chairPanel, TEXT.typed[2][1], 'o-tp', { mode: 'live', note: 'Miễn lệ phí' });
      await answerOnPanel(chairPanel, TEXT.pre1, 'o-dung', { mode: 'writing' });
      await answerOnPanel(secPanel, TEXT.paperA1, 'o-chu', { mode: 'writing' });
      await answerOnPanel(chairPanel, TEXT.spoken[0]!, 'o-dung', { mode: 'upward', authority: UPWARD });
      await answerOnPanel(chairPanel, TEXT.spoken[3]!, 'o-police', { mode: 'outside', reason: OUTSIDE });
      await expect.poll(() => screen.page.getByTestId('count-answered').textContent()).toBe('3');
    },
    T,
  );

  it(
    'closes the meeting: every open opinion gets an outcome by field first',
    async () => {
      await chairPanel.getByTestId('tab-agenda').click();
      await chairPanel.getByTestId('close-meeting').click();
      const dialog = chairPanel.locator('dialog[open]');
      await expect.poll(() => dialog.getByTestId('closing-open').textContent()).toContain('Còn 7 ý kiến');
      expect(await dialog.getByTestId('closing-confirm').isDisabled()).toBe(true);
      while ((await dialog.getByTestId('closing-field').count()) > 0) {
        const before = await dialog.getByTestId('closing-field').count();
        await dialog.getByTestId('closing-choose').first().click();
        await dialog.getByTestId('closing-give').click();
        await expect.poll(() => dialog.getByTestId('closing-field').count()).toBeLessThan(before);
      }
      await dialog.getByTestId('closing-confirm').click();
      await dialog.waitFor({ state: 'hidden' });
      await screen.page.getByTestId('screen-calm').and(screen.page.locator('[data-state="ended"]')).waitFor();
    },
    T,
  );

  it(
    'takes the Front’s form after closing, corrects a mistyped one, and gives the late opinion an outcome',
    async () => {
      await desk.reload();
      await desk.getByTestId('paper-after-closing').waitFor();
      await fillPaperForm({
        name: 'Bùi Văn Tâm',
        group: 9,
        organisation: 'Hội Cựu chiến binh',
        questions: [{ text: TEXT.paperC1, fieldId: 'ldtbxh' }],
      });
      await desk.keyboard.press('Control+Enter');
      await saved(desk, 'Đã lưu phiếu số 3');

      await desk.getByRole('button', { name: /Sửa phiếu\s*: Nguyen Thi Hao/ }).click();
      await desk.getByText('Đang sửa phiếu của Nguyen Thi Hao').waitFor();
      await desk.getByLabel('Họ và tên').fill('Nguyễn Thị Hảo');
      await desk.locator('#pf-comment').fill('Cán bộ nhiệt tình');
      await desk.getByRole('button', { name: 'Lưu sửa đổi (Ctrl+Enter)' }).click();
      await saved(desk, 'Đã lưu sửa đổi phiếu của Nguyễn Thị Hảo');

      await chairPanel.getByTestId('tab-questions').click();
      await answerOnPanel(chairPanel, TEXT.paperC1, 'o-chu', { mode: 'writing' });
    },
    T,
  );

  it(
    'the written replies: typed by the official and the chairman, a letter issued, its delivery recorded',
    async () => {
      const reply = async (login: LoginReply, text: string, answer: string) => {
        const page = await staffPage(login, '/admin/followup');
        // All of them: an answered item stays in view with its reply.
        await page.getByRole('radio', { name: /Tất cả/ }).check();
        const item = page.getByTestId('followup').locator('li').filter({ hasText: text });
        await item.getByLabel('Nội dung trả lời bằng văn bản').fill(answer);
        await item.getByRole('button', { name: 'Gửi trả lời' }).click();
        await saved(page, SENT);
        await item.getByTestId('reply-status').waitFor();
        await page.context().close();
      };
      await reply(land, TEXT.pre1, 'Thời hạn là 15 ngày làm việc kể từ ngày nhận đủ hồ sơ.');
      await reply(chair, TEXT.paperA1, 'Phường đã đưa ngõ 12 vào kế hoạch cải tạo thoát nước năm sau.');

      await desk.goto('/admin/followup');
      await desk.getByRole('radio', { name: /Đã trả lời/ }).check();
      const item = desk.getByTestId('followup').locator('li').filter({ hasText: TEXT.paperA1 });
      await item.getByText('Người hỏi gửi phiếu giấy').waitFor();
      await item.getByLabel('Chọn để phát hành công văn').check();
      const letter = desk.getByTestId('reply-letter-form');
      await letter.getByLabel('Số công văn').fill(LETTER);
      await letter.getByLabel('Người ký').selectOption('o-chu');
      await letter.getByRole('button', { name: 'Phát hành công văn' }).click();
      await saved(desk, 'Đã phát hành công văn.');
      await item.getByText(`Công văn số ${LETTER}`).waitFor();
      const [file] = await Promise.all([
        desk.waitForEvent('download'),
        item.getByRole('button', { name: 'Tải công văn (DOCX)' }).click(),
      ]);
      const letterText = await docxText(readFileSync((await file.path()) ?? ''));
      expect(letterText).toContain(LETTER);
      expect(letterText).toContain('ngõ 12 vào kế hoạch cải tạo thoát nước');

      await item.getByLabel('Hình thức gửi').selectOption('post');
      await item.getByRole('button', { name: 'Ghi nhận đã gửi' }).click();
      await saved(desk, 'Đã ghi nhận việc gửi.');
      // The paper asker's reply now has its delivery record.
      await item.getByText(/Đã gửi: Qua bưu điện, ngày/).waitFor();
    },
    T,
  );

  describe('every surface says the same figures', () => {
    const seen: Record<string, Record<string, number>> = {};

    it(
      'the panel’s overview',
      async () => {
        await chairPanel.getByTestId('tab-overview').click();
        const stat = async (id: string) => Number(await chairPanel.getByTestId(`stat-${id}`).textContent());
        await expect.poll(() => stat('writing')).toBe(EXPECTED.inWriting);
        seen.panel = {
          opinions: await stat('questions'),
          answeredLive: await stat('answered'),
          inWriting: await stat('writing'),
          upward: await stat('upward'),
          outside: await stat('outside'),
          open: await stat('open'),
          speeches: await stat('speeches'),
          speech: await stat('spoken'),
        };
        expect(seen.panel).toEqual({
          opinions: EXPECTED.opinions,
          answeredLive: EXPECTED.answeredLive,
          inWriting: EXPECTED.inWriting,
          upward: EXPECTED.upward,
          outside: EXPECTED.outside,
          open: EXPECTED.open,
          speeches: EXPECTED.speeches,
          speech: EXPECTED.speech,
        });
      },
      T,
    );

    it(
      'the big screen',
      async () => {
        const shown = await numbersOf(screen.page, '[data-testid="screen-calm"] dl.summary');
        seen.screen = {
          opinions: shown['Câu hỏi']!,
          answeredLive: shown['Đã trả lời']!,
          speeches: shown['Lượt phát biểu']!,
        };
        expect(seen.screen).toEqual({
          opinions: EXPECTED.opinions,
          answeredLive: EXPECTED.answeredLive,
          speeches: EXPECTED.speeches,
        });
      },
      T,
    );

    it(
      'a phone',
      async () => {
        const page = phoneA.page;
        await page.reload();
        // The results of the meeting on the "now" tab, in a 360×640 screen …
        await openTab(page, 'now');
        const results = page.getByTestId('meeting-results');
        await results.waitFor();
        const figure = async (key: string) =>
          Number(await results.locator(`[data-figure="${key}"]`).textContent());
        const KEYS = [
          'opinions',
          'answeredLive',
          'inWriting',
          'writtenDone',
          'upward',
          'outside',
          'speeches',
        ] as const;
        const shown: Record<string, number> = {};
        for (const key of KEYS) shown[key] = await figure(key);
        expect(shown).toEqual(Object.fromEntries(KEYS.map((k) => [k, EXPECTED[k]])));
        expect(await layoutProblems(page), 'results on a phone').toEqual([]);
        await axeCheck(page, { label: 'phone, results of the meeting' });
        // In English too, and still within the phone's width.
        await page.evaluate(() => localStorage.setItem('dialogue-board:lang', 'en'));
        await page.reload();
        await page.getByRole('heading', { name: 'Results of the meeting' }).waitFor();
        expect(await results.getByText('Answered at the meeting').count()).toBe(1);
        expect(await layoutProblems(page), 'results on a phone, English').toEqual([]);
        await page.evaluate(() => localStorage.setItem('dialogue-board:lang', 'vi'));
        await page.reload();

        // … and its list of questions, each with what became of it, count the same.
        await openTab(page, 'questions');
        const cards = page.getByTestId('public-question');
        await expect.poll(() => cards.count()).toBe(EXPECTED.opinions);
        const labels = await cards.evaluateAll((els) =>
          els.map(
            (el) => el.querySelector('[data-testid="question-status"] .badge')?.textContent?.trim() ?? '',
          ),
        );
        const count = (test: (l: string) => boolean) => labels.filter(test).length;
        const listed = {
          opinions: labels.length,
          answeredLive: count((l) => l === 'Đã trả lời tại hội nghị'),
          inWriting: count(
            (l) => l.startsWith('Sẽ được trả lời bằng văn bản') || l === 'Đã trả lời bằng văn bản',
          ),
          writtenDone: count((l) => l === 'Đã trả lời bằng văn bản'),
          upward: count((l) => l === `Đã kiến nghị ${UPWARD} xem xét`),
          outside: count((l) => l === 'Không thuộc thẩm quyền của phường'),
          open: count((l) => l === ''),
        };
        const { speeches: _speeches, ...counted } = shown;
        expect(listed, 'the list counts what the results say').toEqual({ ...counted, open: EXPECTED.open });
        seen.phone = { ...shown, open: listed.open };
      },
      T,
    );

    it(
      'the minutes: the figures inserted from the side list, each spoken opinion with its answerer, “Nơi nhận”',
      async () => {
        await minutes.reload();
        await minutes.getByTestId('minutes-editor').waitFor();
        await expect
          .poll(() => minutes.getByTestId('collab-status').getAttribute('data-status'))
          .toBe('connected');
        // The secretary puts the cursor under the programme's 4th item and inserts the speeches and the figures.
        await minutes.locator('.minutes-doc > h3:nth-of-type(4) + p').click();
        for (const [name] of SPEAKERS)
          await minutes
            .locator('[data-testid="event-item"][data-kind="speech"]')
            .filter({ hasText: name })
            .getByTestId('insert-event')
            .click();
        for (const kind of ['attendance', 'fields'])
          await minutes
            .getByTestId('event-list')
            .locator(`[data-kind="${kind}"]`)
            .getByTestId('insert-event')
            .click();
        // A recipient typed before "- Lưu: VT, hồ sơ.".
        await minutes.locator('.minutes-doc > p', { hasText: '- Lưu: VT, hồ sơ.' }).click();
        await minutes.keyboard.press('Home');
        await minutes.keyboard.type('- UBND thành phố (để b/c);');
        await minutes.keyboard.press('Enter');

        let text = '';
        await expect
          .poll(
            async () => {
              // The minutes' own export button, as the secretary downloads them.
              const [file] = await Promise.all([
                minutes.waitForEvent('download'),
                minutes.getByTestId('export-docx').click(),
              ]);
              text = await docxText(readFileSync((await file.path()) ?? ''));
              return text.includes('- UBND thành phố (để b/c);') && text.includes('Ý kiến theo lĩnh vực');
            },
            { timeout: 10_000 },
          )
          .toBe(true);
        // The figures the side list inserted: the opinions received, and per field what became of them.
        const received = /Hội nghị nhận được (\d+) câu hỏi, ý kiến/.exec(text);
        const byField = /Ý kiến theo lĩnh vực: (.*)\.$/m.exec(text)?.[1] ?? '';
        const sum = (pattern: RegExp) =>
          [...byField.matchAll(new RegExp(pattern, 'g'))].reduce((n, m) => n + Number(m[1]), 0);
        seen.minutes = {
          opinions: Number(received?.[1]),
          byField: sum(/: (\d+) ý kiến/),
          answeredLive: sum(/đã trả lời tại hội nghị (\d+)/),
          inWriting: sum(/trả lời bằng văn bản (\d+)/),
          upward: sum(/kiến nghị cấp có thẩm quyền (\d+)/),
          outside: sum(/ngoài thẩm quyền (\d+)/),
        };
        expect(seen.minutes).toEqual({
          opinions: EXPECTED.opinions,
          byField: EXPECTED.opinions,
          answeredLive: EXPECTED.answeredLive,
          inWriting: EXPECTED.inWriting,
          upward: EXPECTED.upward,
          outside: EXPECTED.outside,
        });
        const recipients = text.slice(text.lastIndexOf('Nơi nhận:')).split('\n');
        expect(recipients.slice(0, 3)).toEqual([
          'Nơi nhận:',
          '- UBND thành phố (để b/c);',
          '- Lưu: VT, hồ sơ.',
        ]);
        // Each spoken opinion, with the official who answers it.
        const answerers: Record<string, string> = {
          [TEXT.spoken[0]!]: `kiến nghị ${UPWARD} (Công chức Địa chính – Xây dựng Phạm Văn Dũng)`,
          // No official holds the office's field: promised in writing, nobody named.
          [TEXT.spoken[1]!]: 'sẽ trả lời bằng văn bản',
          // Given in writing at the closing: the field's official answers.
          [TEXT.spoken[2]!]: 'giao Công chức Tư pháp – Hộ tịch Lê Thị Tư',
          [TEXT.spoken[3]!]:
            `không thuộc thẩm quyền của phường (${OUTSIDE}) (Trưởng Công an phường Trần Văn Công)`,
        };
        for (const opinion of TEXT.spoken) {
          const line = text.split('\n').find((l) => l.includes(opinion)) ?? '';
          const after = line.slice(line.indexOf(opinion));
          expect(after.split(/; \(\d\) /)[0], opinion).toContain(answerers[opinion]);
        }
      },
      T,
    );

    it(
      'the report XLSX and DOCX, downloaded from the office’s report tab, list the recommendation',
      async () => {
        await desk.goto(`/admin/sessions/${sessionId}/report`);
        await desk.getByTestId('report-by-field').waitFor();
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load((await downloadFrom(desk, 'Bảng tổng hợp (Excel)')) as unknown as ArrayBuffer);
        const rows: string[][] = [];
        wb.eachSheet((sheet) =>
          sheet.eachRow({ includeEmpty: false }, (r) =>
            rows.push((r.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))),
          ),
        );
        const header = rows.find((r) => r[0] === E.field && r.includes(E.received)) ?? [];
        const total = rows.find((r) => r[0] === E.total && r.length === header.length) ?? [];
        expect(header.length, 'the XLSX has the table by field').toBeGreaterThan(0);
        const KEYS = [
          'received',
          'opinions',
          'answeredLive',
          'inWriting',
          'upward',
          'outside',
          'open',
        ] as const;
        seen.xlsx = Object.fromEntries(KEYS.map((k) => [k, Number(total[header.indexOf(E[k])])]));

        const xml = await documentXml(await downloadFrom(desk, 'Báo cáo tổng hợp ý kiến, kiến nghị (Word)'));
        const facts = new Map(
          docxTables(xml).flatMap((t) => t.filter((r) => r.length === 2).map((r) => [r[0], r[1]])),
        );
        const DOCX_KEYS = [
          ...KEYS,
          'merged',
          'preMeeting',
          'phone',
          'paper',
          'speech',
          'writtenDone',
          'delivered',
          'speeches',
          'formsCollected',
        ] as const;
        seen.docx = Object.fromEntries(DOCX_KEYS.map((k) => [k, Number(facts.get(E[k]))]));
        // The recommendation upward, with the authority, in the list of opinions.
        const list = docxTables(xml).find((t) => t[0]?.[0] === E.number && t[0].includes(E.outcome)) ?? [];
        const upward = list.find((r) => r.some((c) => c.includes(TEXT.spoken[0]!))) ?? [];
        expect(upward.join(' | ')).toContain(UPWARD);
        // Who answered each typed question at the meeting: three officials, whoever recorded it.
        const col = (name: string) => list[0]?.indexOf(name) ?? -1;
        const answeredBy = (text: string) =>
          list.find((r) => r[col(E.text)]?.includes(text))?.[col(E.answeredBy)];
        expect(TEXT.typed.slice(0, 3).map(([, text]) => answeredBy(text))).toEqual([
          'Phạm Văn Dũng',
          'Trần Văn Công',
          'Lê Thị Tư',
        ]);
        // The corrected form is reported as corrected.
        expect(paragraphsText(xml)).toContain('Nguyễn Thị Hảo');
        expect(paragraphsText(xml)).not.toContain('Nguyen Thi Hao');
        expect(seen.xlsx).toEqual(Object.fromEntries(KEYS.map((k) => [k, EXPECTED[k]])));
        expect(seen.docx).toEqual(Object.fromEntries(DOCX_KEYS.map((k) => [k, EXPECTED[k]])));
        // And every surface agrees with every other on the figures both show.
        for (const [a, fa] of Object.entries(seen))
          for (const [b, fb] of Object.entries(seen))
            for (const key of Object.keys(fa))
              if (key in fb) expect(fb[key], `${key}: ${b} against ${a}`).toBe(fa[key]);
      },
      T,
    );
  });

  it(
    'axe finds nothing serious on the panel, the phone, the follow-up and the screen',
    async () => {
      await axeCheck(chairPanel, { label: 'panel overview after closing' });
      await axeCheck(phoneA.page, { label: 'phone questions after closing' });
      await desk.goto('/admin/followup');
      await desk.getByTestId('followup').waitFor();
      await axeCheck(desk, { label: 'follow-up' });
      await axeCheck(screen.page, { label: 'screen after closing' });
    },
    T,
  );
});

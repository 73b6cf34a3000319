/**
 * The minutes surface against the real server in Debian's Chromium: the secretary (laptop) and the chairman (tablet)
 * type at the same time and each sees the other's text and caret; a meeting event is inserted from the side list as
 * a well-formed Vietnamese paragraph; undo takes back only one's own edit; an official only reads; the chair
 * approves (read-only everywhere, hash shown); DOCX download and print view. axe runs on what each step shows, and
 * the screenshots for docs/screenshots are taken on the way (laptop, tablet, phone; Vietnamese and English).
 */
import { randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LoginReply } from '../../shared/protocol.ts';
import { axeCheck, launchBrowser } from '../helpers/browser.ts';
import { startServer, type TestServer } from '../helpers/server.ts';
import { clientEnv, SHOTS } from './attendeeHelpers.ts';
import { must, PASSWORD, seedMeeting, signIn, TABLET, type Seeded, type StaffLogin } from './panelHelpers.ts';

const LAPTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 640 };

let server: TestServer;
let browser: Browser;
let seeded: Seeded;
let secretary: StaffLogin;

/** A context with this person already signed in (as the shell keeps it in localStorage). */
async function openMinutes(
  login: LoginReply,
  sessionId: string,
  options: { viewport?: { width: number; height: number }; lang?: 'vi' | 'en'; mobile?: boolean } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: options.viewport ?? LAPTOP,
    locale: 'vi-VN',
    ...(options.mobile ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
  });
  context.setDefaultTimeout(10_000);
  await context.addInitScript(
    ([staff, lang]) => {
      localStorage.setItem('dialogue-board:staff', staff);
      if (lang) localStorage.setItem('dialogue-board:lang', lang);
    },
    [JSON.stringify(login), options.lang ?? ''] as const,
  );
  const page = await context.newPage();
  await page.goto(`/minutes/${sessionId}`);
  await ready(page);
  return { context, page };
}

async function ready(page: Page): Promise<void> {
  await page.getByTestId('minutes-editor').waitFor();
  await expect.poll(() => page.getByTestId('collab-status').getAttribute('data-status')).toBe('connected');
  await page.getByTestId('event-list').locator('[data-kind="attendance"]').waitFor({ state: 'attached' });
}

/** The document's text without other people's caret labels (widgets inside the text). */
const editorText = (page: Page) =>
  page.getByTestId('minutes-editor').evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
    return copy.textContent ?? '';
  });
/** The empty paragraph the template leaves under the n-th programme heading (1-based). */
const underHeading = (page: Page, n: number) => page.locator(`.minutes-doc > h3:nth-of-type(${n}) + p`);
/** Top-level paragraphs' texts, exactly (without caret labels). */
const paragraphs = (page: Page) =>
  page.locator('.minutes-doc > p').evaluateAll((els) =>
    els.map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent ?? '';
    }),
  );
/** Every top-level block's text, in order. */
const blocks = (page: Page) =>
  page.locator('.minutes-doc > *').evaluateAll((els) =>
    els.map((el) => {
      const copy = el.cloneNode(true) as HTMLElement;
      for (const caret of copy.querySelectorAll('.collab-caret')) caret.remove();
      return copy.textContent ?? '';
    }),
  );

/** Scrolls the page's desk so the given element is in view, then waits a frame. */
async function scrollTo(page: Page, selector: string): Promise<void> {
  await page
    .locator(selector)
    .first()
    .evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await page.waitForTimeout(150);
}

beforeAll(async () => {
  server = await startServer({ env: clientEnv() });
  browser = await launchBrowser();
  seeded = await seedMeeting(server);
  // The floor the seed gave ends: one speech to insert.
  await must(server, seeded.chair.token, { sessionId: seeded.sessionId, type: 'speaker.end' });
  secretary = await signIn(server, 'secretary', 'Trần Thị Thu');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

// Each test is a whole scene (two or three browsers, typing, axe, screenshots): the suite's 30 s default is
// exceeded by the first one even on an idle machine when Chromium starts cold. They assert behaviour, not speed.
describe('minutes', { timeout: 120_000 }, () => {
  it('secretary and chairman type at once, see each other’s text and caret, insert an event, undo their own', async () => {
    const { sessionId } = seeded;

    // The secretary signs in with the shell's staff form on a laptop.
    const secCtx = await browser.newContext({ baseURL: server.url, viewport: LAPTOP, locale: 'vi-VN' });
    const sec = await secCtx.newPage();
    await sec.goto(`/minutes/${sessionId}`);
    await sec.getByLabel('Tên đăng nhập').fill(secretary.username);
    await sec.getByLabel('Mật khẩu').fill(PASSWORD);
    await sec.getByRole('button', { name: 'Đăng nhập' }).click();
    await ready(sec);

    // The chairman on a tablet.
    const { context: chairCtx, page: chair } = await openMinutes(seeded.chair, sessionId, {
      viewport: TABLET,
    });

    // The template, pre-filled by the server once.
    for (const page of [sec, chair]) {
      const text = await editorText(page);
      expect(text).toContain('BIÊN BẢN');
      expect(text).toContain('Hội nghị đối thoại 6 tháng đầu năm');
      expect(text.match(/CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/g)).toHaveLength(1);
    }
    // Both are present, each with a colour and their role, writing.
    for (const page of [sec, chair]) {
      await expect.poll(() => page.getByTestId('presence-peer').count()).toBe(2);
      const presence = await page.getByTestId('presence').innerText();
      expect(presence).toContain('Trần Thị Thu');
      expect(presence).toContain('Nguyễn Văn Hùng');
    }

    // Both type at the same time, in two places.
    const secText = 'Ông Chủ tịch tuyên bố lý do và giới thiệu đại biểu dự hội nghị.';
    const chairText = 'Chủ tọa nêu mục đích, yêu cầu của buổi đối thoại.';
    await underHeading(sec, 1).click();
    await underHeading(chair, 2).click();
    await Promise.all([
      sec.keyboard.type(secText, { delay: 15 }),
      chair.keyboard.type(chairText, { delay: 15 }),
    ]);
    for (const page of [sec, chair]) {
      await expect.poll(() => editorText(page)).toContain(secText);
      await expect.poll(() => editorText(page)).toContain(chairText);
    }
    // Each sees the other's caret, labelled with the other's name.
    await sec.locator('.collab-caret-label', { hasText: 'Nguyễn Văn Hùng' }).waitFor();
    await chair.locator('.collab-caret-label', { hasText: 'Trần Thị Thu' }).waitFor();
    expect(await sec.locator('.collab-caret-label', { hasText: 'Trần Thị Thu' }).count()).toBe(0);

    // Formatting from the keyboard: the chairman makes a word bold with Ctrl+B.
    await chair.keyboard.press('Enter');
    await chair.keyboard.press('Control+b');
    await chair.keyboard.type('Kết luận:');
    await chair.keyboard.press('Control+b');
    await chair.keyboard.type(' thống nhất chương trình.');
    await sec.locator('.minutes-doc strong', { hasText: 'Kết luận:' }).waitFor();
    await expect.poll(() => chair.getByTestId('tool-bold').getAttribute('aria-pressed')).toBe('false');

    // From the meeting into the minutes: the secretary puts the cursor under the speakers' item and inserts the speech.
    await underHeading(sec, 4).click();
    const speech = sec.getByTestId('event-item').and(sec.locator('[data-kind="speech"]')).first();
    await expect.poll(() => speech.innerText()).toContain('Trần Văn Minh');
    await speech.getByTestId('insert-event').click();
    const speechLine =
      /^Ông\/Bà Trần Văn Minh, Tổ dân phố số 7, phát biểu về cấp giấy phép xây dựng, lúc \d{2} giờ \d{2}\.$/;
    await expect.poll(async () => (await paragraphs(chair)).some((p) => speechLine.test(p))).toBe(true);
    // And the answered question right after it, as its own paragraph.
    const answered = sec.getByTestId('event-item').and(sec.locator('[data-kind="answered"]')).first();
    await answered.getByTestId('insert-event').click();
    const answerLine =
      'Câu hỏi của đại diện Công ty TNHH Hưng Phát, Tổ dân phố số 9, lĩnh vực Tư pháp – Hộ tịch: Cán bộ một cửa hướng dẫn hồ sơ đăng ký khai sinh rất tận tình, tôi xin cảm ơn. — Trả lời: Chủ tịch ghi nhận và biểu dương bộ phận một cửa (Chủ tịch UBND phường Nguyễn Văn Hùng).';
    await expect.poll(() => paragraphs(chair)).toContain(answerLine);
    const secParagraphs = await paragraphs(sec);
    const at = secParagraphs.findIndex((p) => speechLine.test(p));
    expect(secParagraphs[at + 1]).toBe(answerLine);
    // Both sit under the 4th programme item, before the 5th.
    const order = await blocks(sec);
    const h4 = order.findIndex((t) => t.startsWith('4. '));
    const h5 = order.findIndex((t) => t.startsWith('5. '));
    const ins = order.indexOf(answerLine);
    expect(h4).toBeLessThan(ins);
    expect(ins).toBeLessThan(h5);

    await axeCheck(sec, { label: 'minutes, secretary' });
    await axeCheck(chair, { label: 'minutes, chair tablet' });
    await sec.waitForTimeout(600); // let the carets settle for the pictures
    await sec.screenshot({ path: `${SHOTS}/minutes-laptop-vi.png` });
    await scrollTo(chair, '.minutes-doc > h3:nth-of-type(4)');
    await chair.screenshot({ path: `${SHOTS}/minutes-tablet-vi.png` });

    // Undo takes back only the secretary's own last edit (the answer), never the chairman's text.
    await sec.getByTestId('tool-undo').click();
    await expect.poll(() => paragraphs(chair)).not.toContain(answerLine);
    expect(await editorText(chair)).toContain(chairText);
    expect(await editorText(chair)).toContain('Kết luận:');
    expect((await paragraphs(chair)).some((p) => speechLine.test(p))).toBe(true);
    await sec.keyboard.press('Control+Shift+z');
    await expect.poll(() => paragraphs(chair)).toContain(answerLine);

    await secCtx.close();
    await chairCtx.close();
  });

  it('an official reads only; the chairman approves; the minutes turn read-only with the hash; exports work', async () => {
    const { id: sessionId } = await server.createSession({ title: 'Hội nghị đối thoại tháng 12' });
    await server.setStatus(sessionId, 'live');
    const official = await signIn(server, 'official', 'Lê Văn Cường');
    const { context: offCtx, page: off } = await openMinutes(official, sessionId);
    const { context: secCtx, page: sec } = await openMinutes(secretary, sessionId);

    // Read-only for the official: no insert buttons, no formatting toolbar, typing changes nothing.
    expect(await off.getByTestId('minutes-editor').getAttribute('contenteditable')).toBe('false');
    expect(await off.getByTestId('insert-event').count()).toBe(0);
    expect(await off.getByTestId('toolbar').count()).toBe(0);
    expect(await sec.getByTestId('toolbar').count()).toBe(1);
    await expect.poll(() => sec.getByTestId('presence').innerText()).toContain('Lê Văn Cường');
    expect(await sec.getByTestId('presence').innerText()).toMatch(/Lê Văn Cường[\s\S]*đang xem/);
    const before = await editorText(off);
    await underHeading(off, 1).click();
    await off.keyboard.type('không được ghi');
    expect(await editorText(off)).toBe(before);

    // Inserting before ever clicking into the document: the paragraph goes at the end of the content (filling the
    // empty paragraph under the last programme item), never among the header lines.
    await sec
      .getByTestId('event-item')
      .and(sec.locator('[data-kind="attendance"]'))
      .getByTestId('insert-event')
      .click();
    const attendance =
      'Số người tham dự đăng ký trên hệ thống: 0 người. Hội nghị nhận được 0 câu hỏi, ý kiến và 0 phiếu lấy ý kiến.';
    await expect.poll(() => blocks(off)).toContain(attendance);
    const order = await blocks(sec);
    const at = order.indexOf(attendance);
    expect(order[at - 1]).toMatch(/^6\. /);
    expect(order[at + 1]).toMatch(/^Hội nghị kết thúc vào/);

    // The secretary writes; the official sees it live.
    await underHeading(sec, 1).click();
    await sec.keyboard.type('Hội nghị bắt đầu lúc 8 giờ.');
    await expect.poll(() => editorText(off)).toContain('Hội nghị bắt đầu lúc 8 giờ.');

    // DOCX download and the print view, fetched with the token.
    const [download] = await Promise.all([
      sec.waitForEvent('download'),
      sec.getByTestId('export-docx').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const [printView] = await Promise.all([
      secCtx.waitForEvent('page'),
      sec.getByTestId('export-html').click(),
    ]);
    await printView.waitForLoadState();
    await expect.poll(() => printView.locator('body').innerText()).toContain('Hội nghị bắt đầu lúc 8 giờ.');
    expect(await printView.locator('body').innerText()).toContain('BIÊN BẢN');
    await printView.close();

    // The chairman approves, after a confirmation.
    const chair = await signIn(server, 'chair', 'Nguyễn Văn Hùng');
    const { context: chairCtx, page: ch } = await openMinutes(chair, sessionId, { viewport: TABLET });
    expect(await sec.getByTestId('approve').count()).toBe(0); // only the chair may
    await ch.getByTestId('approve').click();
    await ch.getByTestId('approve-dialog').waitFor();
    await axeCheck(ch, { label: 'approve dialog' });
    // The register number goes in with the approval, the last moment it can be set.
    expect(await editorText(ch)).toContain('Số: …/BB-UBND');
    await ch.getByLabel('Số biên bản (không bắt buộc)').fill('15');
    await ch.getByTestId('approve-confirm').click();
    for (const page of [ch, sec, off]) {
      await page.getByTestId('approved-banner').waitFor();
      expect(await page.getByTestId('approval-hash').innerText()).toMatch(/^[0-9a-f]{64}$/);
      await expect
        .poll(() => page.getByTestId('minutes-editor').getAttribute('contenteditable'))
        .toBe('false');
      expect(await page.getByTestId('insert-event').count()).toBe(0);
      expect(await page.getByTestId('toolbar').count()).toBe(0);
    }
    expect(await ch.getByTestId('approve').count()).toBe(0);
    for (const page of [ch, sec, off]) await expect.poll(() => editorText(page)).toContain('Số: 15/BB-UBND');
    await sec.keyboard.type('sửa sau khi duyệt');
    expect(await editorText(sec)).not.toContain('sửa sau khi duyệt');
    await axeCheck(sec, { label: 'approved minutes' });
    await sec.screenshot({ path: `${SHOTS}/minutes-approved-vi.png` });

    await offCtx.close();
    await secCtx.close();
    await chairCtx.close();
  });

  it('a "Nơi nhận" line typed before "- Lưu: VT, hồ sơ." reaches the DOCX and the print (issue 13, finding 6)', async () => {
    const { id: sessionId } = await server.createSession({ title: 'Hội nghị đối thoại về nơi nhận' });
    const { context, page } = await openMinutes(secretary, sessionId);
    // The cursor at the start of "- Lưu: VT, hồ sơ.", then the line typed and Enter: the editor makes a list.
    const storage = page.locator('.minutes-doc > p', { hasText: '- Lưu: VT, hồ sơ.' });
    await storage.click();
    await page.keyboard.press('Home');
    await page.keyboard.type('- UBND phường (để b/c);');
    await page.keyboard.press('Enter');
    await page.locator('.minutes-doc > ul li', { hasText: 'UBND phường (để b/c);' }).waitFor();

    const exported = async (name: string): Promise<string> => {
      const res = await fetch(`${server.url}/api/sessions/${sessionId}/export/${name}`, {
        headers: { authorization: `Bearer ${secretary.token}` },
      });
      expect(res.status).toBe(200);
      return name.endsWith('.docx')
        ? ((await (
            await JSZip.loadAsync(Buffer.from(await res.arrayBuffer()))
          )
            .file('word/document.xml')
            ?.async('string')) ?? '')
        : res.text();
    };
    // Written by the editor and relayed to the server: wait until the export has it.
    await expect
      .poll(
        async () => {
          const xml = await exported('minutes.docx');
          const after = xml.slice(xml.lastIndexOf('</w:tbl>'));
          return Array.from(after.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g), (m) =>
            Array.from(m[0].matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/g), (t) => t[1] ?? '').join(''),
          );
        },
        { timeout: 10_000 },
      )
      .toEqual(['Nơi nhận:', '- UBND phường (để b/c);', '- Lưu: VT, hồ sơ.']);
    const html = await exported('minutes.html');
    const recipients = html.slice(html.indexOf('class="recipients"'));
    expect(recipients).toContain('UBND phường (để b/c);');
    expect(recipients).toContain('- Lưu: VT, hồ sơ.');
    await context.close();
  });

  it('English chrome, Vietnamese content; usable on a phone', async () => {
    const { page: en, context: enCtx } = await openMinutes(secretary, seeded.sessionId, { lang: 'en' });
    expect(await en.getByRole('heading', { level: 1, name: 'Meeting minutes' }).count()).toBe(1);
    expect(await en.getByTestId('toolbar').getByRole('button', { name: 'Bold' }).count()).toBe(1);
    expect(await en.getByTestId('collab-status').innerText()).toContain('Connected');
    expect(await editorText(en)).toContain('BIÊN BẢN');
    // Inserted content stays Vietnamese whatever the UI language.
    await underHeading(en, 6).click();
    const attendance = en.getByTestId('event-item').and(en.locator('[data-kind="attendance"]'));
    expect(await attendance.innerText()).toContain('attendees');
    await attendance.getByRole('button', { name: /^Insert into the minutes/ }).click();
    await expect
      .poll(async () =>
        (await paragraphs(en)).some((p) => p.startsWith('Số người tham dự đăng ký trên hệ thống: 12 người')),
      )
      .toBe(true);
    await axeCheck(en, { label: 'minutes in English' });
    await en.screenshot({ path: `${SHOTS}/minutes-laptop-en.png` });
    await enCtx.close();

    const { page: phone, context: phoneCtx } = await openMinutes(secretary, seeded.sessionId, {
      viewport: PHONE,
      mobile: true,
    });
    // Nothing wider than the screen.
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await axeCheck(phone, { label: 'minutes on a phone' });
    await phone.screenshot({ path: `${SHOTS}/minutes-phone-vi.png` });
    // Writing on a phone: the page scrolls, the toolbar stays on top.
    await underHeading(phone, 3).tap();
    await phone.keyboard.type('Ghi trên điện thoại.');
    await expect.poll(() => editorText(phone)).toContain('Ghi trên điện thoại.');
    const bar = await phone.getByTestId('toolbar').boundingBox();
    expect(bar?.y).toBe(0);
    await phone.screenshot({ path: `${SHOTS}/minutes-phone-editing-vi.png` });
    // The side list opens over the page, inserts at the cursor, and closes so the result is visible.
    await phone.getByRole('button', { name: 'Diễn biến' }).tap();
    const satisfaction = phone.getByTestId('event-item').and(phone.locator('[data-kind="satisfaction"]'));
    await satisfaction.scrollIntoViewIfNeeded();
    await phone.screenshot({ path: `${SHOTS}/minutes-phone-events-vi.png` });
    await satisfaction.getByTestId('insert-event').tap();
    await expect
      .poll(async () =>
        (await paragraphs(phone)).some((p) =>
          p.startsWith(
            'Kết quả khảo sát mức độ hài lòng (7 phiếu, thang điểm 5): Thủ tục hành chính 3,3 điểm',
          ),
        ),
      )
      .toBe(true);
    await expect.poll(() => phone.locator('#minutes-events').isVisible()).toBe(false);
    await phoneCtx.close();
  });

  it('keeps what a writer types offline and sends it on reconnect, also after closing the tab; says so calmly', async () => {
    const { id: sessionId } = await server.createSession({ title: 'Đối thoại mất mạng' });
    const { context: secCtx, page: sec } = await openMinutes(secretary, sessionId);
    const chair = await signIn(server, 'chair', 'Nguyễn Văn Hùng');
    const { context: chairCtx, page: ch } = await openMinutes(chair, sessionId, { viewport: TABLET });

    await secCtx.setOffline(true);
    await expect
      .poll(() => sec.getByTestId('collab-status').getAttribute('data-status'))
      .toBe('reconnecting');
    await underHeading(sec, 1).click();
    await sec.keyboard.type('Gõ khi mất mạng.');
    // After a few seconds, not at once, the page says the text is kept and will be sent.
    await sec.getByTestId('collab-offline').waitFor({ timeout: 6_000 });
    expect(await sec.getByTestId('collab-status').getAttribute('data-status')).toBe('offline');
    expect(await editorText(ch)).not.toContain('Gõ khi mất mạng.');
    await sec.getByTestId('events-stale').waitFor(); // the side list may be behind too
    await sec.screenshot({ path: `${SHOTS}/minutes-offline-vi.png` });

    await secCtx.setOffline(false);
    await expect
      .poll(() => sec.getByTestId('collab-status').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('connected');
    await expect.poll(() => editorText(ch), { timeout: 10_000 }).toContain('Gõ khi mất mạng.');
    expect(await sec.getByTestId('collab-offline').count()).toBe(0);
    await expect.poll(() => sec.getByTestId('events-stale').count(), { timeout: 10_000 }).toBe(0);

    // Typed offline, then the tab is closed before the Wi-Fi is back: the browser kept it, the next visit sends it.
    await secCtx.setOffline(true);
    await expect
      .poll(() => sec.getByTestId('collab-status').getAttribute('data-status'))
      .toBe('reconnecting');
    await underHeading(sec, 2).click();
    await sec.keyboard.type('Gõ rồi đóng máy.');
    await sec.waitForTimeout(300); // y-indexeddb writes each update as it comes
    await sec.close();
    await secCtx.setOffline(false);
    expect(await editorText(ch)).not.toContain('Gõ rồi đóng máy.');
    const again = await secCtx.newPage();
    await again.goto(`/minutes/${sessionId}`);
    await ready(again);
    await expect.poll(() => editorText(ch), { timeout: 10_000 }).toContain('Gõ rồi đóng máy.');
    expect(await editorText(again)).toContain('Gõ khi mất mạng.');
    await secCtx.close();
    await chairCtx.close();
  });

  it('refuses a session that does not exist, in words', async () => {
    const { page, context } = await (async () => {
      const context = await browser.newContext({ baseURL: server.url, viewport: LAPTOP, locale: 'vi-VN' });
      await context.addInitScript(
        (staff) => localStorage.setItem('dialogue-board:staff', staff),
        JSON.stringify(secretary),
      );
      const page = await context.newPage();
      await page.goto(`/minutes/${randomUUID()}`);
      return { page, context };
    })();
    await page.getByTestId('collab-denied').waitFor();
    expect(await page.getByTestId('collab-denied').innerText()).toContain('Không tìm thấy hội nghị này.');
    expect(await page.getByTestId('collab-status').getAttribute('data-status')).toBe('denied');
    await context.close();
  });
});

/**
 * Shared steps of the panel and big-screen e2e tests: staff accounts signed in on a tablet, the big screen opened
 * with a display token, and a meeting under way seeded through the real API (phones joined, questions, votes,
 * hands, satisfaction forms).
 */
import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { Ack, DisplayTokenReply, LoginReply } from '../../shared/protocol.ts';
import type { TestServer } from '../helpers/server.ts';

export const PASSWORD = 'password-123';
export const TABLET = { width: 1024, height: 768 };
export const PROJECTOR = { width: 1920, height: 1080 };

export interface StaffLogin extends LoginReply {
  username: string;
}

type StaffRole = 'admin' | 'chair' | 'vice_chair' | 'official' | 'secretary';

/** Creates a staff account and signs it in through the API. */
export async function signIn(
  server: TestServer,
  role: StaffRole,
  name: string,
  options: { fieldIds?: string[]; username?: string } = {},
): Promise<StaffLogin> {
  const username = options.username ?? `${role.replace('_', '-')}-${randomUUID().slice(0, 6)}`;
  const created = await server.api('POST', '/api/users', {
    token: server.adminToken,
    body: { username, password: PASSWORD, role, name, fieldIds: options.fieldIds ?? [] },
  });
  if (created.status !== 201)
    throw new Error(`create ${username}: ${created.status} ${JSON.stringify(created.body)}`);
  const res = await server.api<LoginReply>('POST', '/api/login', { body: { username, password: PASSWORD } });
  if (res.status !== 200) throw new Error(`login ${username}: ${res.status}`);
  return { ...res.body, username };
}

/** Adds officials (bound to accounts) to the ward profile: sessions created afterwards list them. */
export async function addOfficials(
  server: TestServer,
  officials: { id: string; name: string; title: string; fieldIds: string[]; userId?: string }[],
): Promise<void> {
  const ward = await server.api<Record<string, unknown> & { officials: unknown[] }>('GET', '/api/ward', {
    token: server.adminToken,
  });
  const res = await server.api('PUT', '/api/ward', {
    token: server.adminToken,
    body: { ...ward.body, officials: [...ward.body.officials, ...officials] },
  });
  if (res.status !== 200) throw new Error(`ward: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A tablet (or another viewport) with this person signed in on the panel of the session. */
export async function openPanel(
  browser: Browser,
  baseURL: string,
  login: LoginReply,
  sessionId: string,
  options: { lang?: 'vi' | 'en'; viewport?: { width: number; height: number }; tab?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: options.viewport ?? TABLET,
    hasTouch: true,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  await context.addInitScript(
    ([staff, lang]) => {
      localStorage.setItem('dialogue-board:staff', staff);
      if (lang) localStorage.setItem('dialogue-board:lang', lang);
    },
    [JSON.stringify(login), options.lang ?? ''] as const,
  );
  const page = await context.newPage();
  await page.goto(`/panel/${sessionId}${options.tab ? `?tab=${options.tab}` : ''}`);
  await page.getByTestId('floor-strip').waitFor();
  return { context, page };
}

/** The big screen of the session on a 1920×1080 projector, opened with a display token as the panel gives it. */
export async function openScreen(
  browser: Browser,
  server: TestServer,
  sessionId: string,
  options: { lang?: 'vi' | 'en' } = {},
): Promise<{ context: BrowserContext; page: Page; path: string }> {
  const res = await server.api<DisplayTokenReply>('POST', `/api/sessions/${sessionId}/display-token`, {
    token: server.adminToken,
  });
  if (res.status !== 200) throw new Error(`display token: ${res.status}`);
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: PROJECTOR,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  const path = `${res.body.path}${options.lang === 'en' ? '&lang=en' : ''}`;
  await page.goto(path);
  await page.getByTestId('screen').waitFor();
  return { context, page, path };
}

/** Sends a command with this token; throws unless the server accepts it. */
export async function must(
  server: TestServer,
  token: string,
  command: Record<string, unknown>,
): Promise<Ack> {
  const ack = await server.command(token, command);
  if (!ack.ok) throw new Error(`${String(command.type)}: ${ack.code} ${ack.message}`);
  return ack;
}

export interface Seeded {
  sessionId: string;
  joinCode: string;
  chair: StaffLogin;
  phones: { token: string; participantId: string; name?: string }[];
  questionIds: string[];
}

const PEOPLE: { name?: string; group?: number; kind?: string; organisation?: string }[] = [
  { name: 'Nguyễn Thị Lan', group: 3 },
  { name: 'Trần Văn Minh', group: 7 },
  { group: 12 },
  { name: 'Phạm Quốc Bảo', group: 5 },
  { name: 'Công ty TNHH Hưng Phát', kind: 'business', organisation: 'Công ty TNHH Hưng Phát', group: 9 },
  { name: 'Đỗ Thị Hoa', group: 3 },
  { group: 15 },
  { name: 'Vũ Đức Thắng', kind: 'delegate' },
  { name: 'Hoàng Minh Tuấn', group: 21 },
  { group: 7 },
  { name: 'Bùi Thị Mai', group: 1 },
  { name: 'Lý Văn Sơn', group: 18 },
];

const QUESTIONS: { text: string; fieldId?: string; anonymous?: boolean }[] = [
  {
    text: 'Thủ tục cấp giấy phép xây dựng nhà ở riêng lẻ hiện nay mất bao nhiêu ngày? Hồ sơ của tôi nộp từ tháng trước vẫn chưa có kết quả.',
    fieldId: 'dia-chinh',
  },
  {
    text: 'Đề nghị phường bố trí thêm giờ tiếp nhận hồ sơ vào sáng thứ Bảy cho người đi làm giờ hành chính.',
    fieldId: 'van-phong',
  },
  {
    text: 'Việc chứng thực bản sao có thể làm trực tuyến được không, hay vẫn phải đến bộ phận một cửa?',
    fieldId: 'tu-phap',
    anonymous: true,
  },
  {
    text: 'Đường ngõ 42 tổ dân phố số 7 ngập nước mỗi khi mưa lớn, đề nghị phường sớm có phương án khắc phục.',
    fieldId: 'do-thi',
  },
  {
    text: 'Cán bộ một cửa hướng dẫn hồ sơ đăng ký khai sinh rất tận tình, tôi xin cảm ơn.',
    fieldId: 'tu-phap',
  },
  {
    text: 'Thời gian giải quyết hồ sơ trợ cấp cho người cao tuổi có thể rút ngắn được không?',
    fieldId: 'ldtbxh',
  },
  { text: 'Xin hỏi thủ tục đăng ký hộ kinh doanh cá thể cần những giấy tờ gì và nộp ở đâu?' },
  { text: 'Giấy phép xây dựng nhà ở mất bao lâu mới được cấp?', fieldId: 'dia-chinh' },
];

/**
 * A meeting under way: twelve phones joined, eight questions (some approved, assigned, answered, one on the
 * screen), votes, four hands raised (one given the floor), satisfaction forms, the fourth agenda item current.
 */
export async function seedMeeting(server: TestServer): Promise<Seeded> {
  const chair = await signIn(server, 'chair', 'Nguyễn Văn Hùng');
  await addOfficials(server, [
    {
      id: 'o-dia-chinh',
      name: 'Trần Thị Bình',
      title: 'Công chức Địa chính – Xây dựng',
      fieldIds: ['dia-chinh'],
    },
    { id: 'o-tu-phap', name: 'Lê Văn Cường', title: 'Công chức Tư pháp – Hộ tịch', fieldIds: ['tu-phap'] },
  ]);
  const { id: sessionId, joinCode } = await server.createSession({
    title: 'Hội nghị đối thoại 6 tháng đầu năm',
  });
  await server.setStatus(sessionId, 'live');
  const base = { sessionId };
  const phones: Seeded['phones'] = [];
  for (const p of PEOPLE) {
    const joined = await server.join(joinCode, p);
    phones.push({
      token: joined.token,
      participantId: joined.participantId,
      ...(p.name ? { name: p.name } : {}),
    });
  }
  const questionIds: string[] = [];
  for (const [i, q] of QUESTIONS.entries()) {
    const questionId = randomUUID();
    questionIds.push(questionId);
    await must(server, phones[i % phones.length]!.token, {
      ...base,
      type: 'question.submit',
      questionId,
      ...q,
    });
  }
  const t = chair.token;
  const [q1, q2, q3, q4, q5, q6] = questionIds as [string, string, string, string, string, string];
  await must(server, t, { ...base, type: 'question.approve', questionIds: [q1, q2, q3, q4, q5, q6] });
  for (const [qid, votes] of [
    [q1, 9],
    [q2, 5],
    [q3, 3],
    [q4, 7],
    [q6, 2],
  ] as const) {
    for (const phone of phones.slice(0, votes))
      await must(server, phone.token, { ...base, type: 'question.vote', questionId: qid, value: true });
  }
  await must(server, t, {
    ...base,
    type: 'question.assign',
    questionId: q1,
    fieldId: 'dia-chinh',
    officialId: 'o-dia-chinh',
  });
  await must(server, t, {
    ...base,
    type: 'question.assign',
    questionId: q3,
    fieldId: 'tu-phap',
    officialId: 'o-tu-phap',
  });
  await must(server, t, {
    ...base,
    type: 'question.answer',
    questionId: q5,
    mode: 'live',
    note: 'Chủ tịch ghi nhận và biểu dương bộ phận một cửa.',
  });
  await must(server, t, {
    ...base,
    type: 'question.answer',
    questionId: q6,
    mode: 'writing',
    note: 'Phòng Lao động – TB&XH trả lời bằng văn bản.',
    dueDate: '2099-12-31',
  });
  await must(server, t, { ...base, type: 'question.highlight', questionId: q1 });
  await must(server, t, { ...base, type: 'agenda.start', itemId: 'a4' });

  const hands = [phones[1]!, phones[3]!, phones[2]!, phones[8]!];
  const topics = [
    'Cấp giấy phép xây dựng',
    'Giờ làm việc của bộ phận một cửa',
    'Thoát nước ngõ 42',
    undefined,
  ];
  const handIds: string[] = [];
  for (const [i, phone] of hands.entries()) {
    const handId = randomUUID();
    handIds.push(handId);
    const topic = topics[i];
    await must(server, phone.token, { ...base, type: 'hand.raise', handId, ...(topic ? { topic } : {}) });
  }
  await must(server, t, {
    ...base,
    type: 'hand.add',
    handId: randomUUID(),
    name: 'Ông Đặng Văn Lợi',
    group: 4,
    topic: 'Trật tự đô thị',
  });
  await must(server, t, { ...base, type: 'speaker.give_floor', handId: handIds[0], durationSec: 180 });

  const scores = [
    { procedures: 4, official: 5, result: 4, feedback: 3 },
    { procedures: 3, official: 4, result: 3, feedback: 3 },
    { procedures: 5, official: 5, result: 4, feedback: 4 },
    { procedures: 2, official: 4, result: 3, feedback: 2 },
    { procedures: 4, official: 4, result: 5, feedback: 4 },
    { procedures: 4, official: 5, result: 4, feedback: 5 },
    { procedures: 1, official: 3, result: 2, feedback: 2 },
  ];
  for (const [i, answers] of scores.entries())
    await must(server, phones[i]!.token, { ...base, type: 'survey.submit', answers });

  return { sessionId, joinCode, chair, phones, questionIds };
}

/** The panel's card of the question with this text (on the board tab shown). */
export const cardWithText = (page: Page, text: string) =>
  page.getByTestId('question-card').filter({ hasText: text });

export type Outcome =
  | { mode: 'live'; note?: string }
  | { mode: 'writing' }
  | { mode: 'upward'; authority: string }
  | { mode: 'outside'; reason: string };

/**
 * Gives an open question its outcome through the answer dialog ("Đánh dấu đã trả lời"), naming the official who
 * answered: the board's tab holding it, the card, the dialog, the confirmation; waits until the dialog closes.
 */
export async function answerOnPanel(
  page: Page,
  text: string,
  answeredBy: string,
  outcome: Outcome,
): Promise<void> {
  // Open questions are under "published", or "assigned" once given to an official.
  await page.getByTestId('board-tab-published').click();
  if ((await cardWithText(page, text).count()) === 0) await page.getByTestId('board-tab-assigned').click();
  await cardWithText(page, text).getByRole('button', { name: 'Đánh dấu đã trả lời' }).click();
  const dialog = page.locator('dialog[open]');
  await dialog.getByTestId('answered-by').selectOption(answeredBy);
  await dialog.getByTestId(`outcome-${outcome.mode}`).check();
  if (outcome.mode === 'live' && outcome.note)
    await dialog.getByLabel(/Tóm tắt nội dung trả lời/).fill(outcome.note);
  if (outcome.mode === 'upward') await dialog.getByTestId('outcome-authority').fill(outcome.authority);
  if (outcome.mode === 'outside') await dialog.getByTestId('outcome-reason').fill(outcome.reason);
  await dialog.getByRole('button', { name: 'Xác nhận đã trả lời' }).click();
  await dialog.waitFor({ state: 'hidden' });
}

export interface SpokenRow {
  fieldId: string;
  text: string;
  officialId?: string;
}

/**
 * Fills the speech-opinions form (client/lib/components/SpeechOpinionsForm.svelte, on the panel at "Kết thúc" and
 * in the minutes' side list) with one row per opinion and sends it; waits until the dialog closes.
 */
export async function recordSpokenOpinions(dialog: Locator, rows: SpokenRow[]): Promise<void> {
  for (const [i, row] of rows.entries()) {
    if (i > 0) await dialog.getByTestId('speech-opinion-add').click();
    await dialog.getByTestId('speech-opinion-field').nth(i).selectOption(row.fieldId);
    await dialog.getByTestId('speech-opinion-text').nth(i).fill(row.text);
    if (row.officialId)
      await dialog.getByTestId('speech-opinion-official').nth(i).selectOption(row.officialId);
  }
  await dialog.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

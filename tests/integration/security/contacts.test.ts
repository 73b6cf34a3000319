/**
 * Contacts for written replies (issue 13, finding 3; docs/security.md "Contacts for written replies"): a phone number
 * or an address given at join or on a paper form is personal data (Decree 13/2023). It reaches the office that sends
 * the reply and nobody else — no other phone, the screen, a staff tablet, an export or the audit log — and it is
 * erased once the reply was delivered and the retention period passed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Contact, MyContactReply } from '../../../shared/protocol.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';

const PHONE = '0912 345 678';
const ADDRESS = 'Số 17 ngõ 92 Nguyễn Khuyến';
const PAPER_PHONE = '0243 888 999';
const PAPER_ADDRESS = 'Tổ dân phố 9, phường Kiến Hưng';
const SECRETS = [PHONE, ADDRESS, PAPER_PHONE, PAPER_ADDRESS, '0912345678'];

const leaks = (value: unknown): string[] => {
  const text = JSON.stringify(value);
  return SECRETS.filter((s) => text.includes(s));
};

let server: TestServer;
let session: { id: string; joinCode: string };
let asker: { token: string; participantId: string };
let other: { token: string; participantId: string };
let otherEvents: Array<{ type: string }>;
let staffEvents: Array<{ type: string }>;
let secretary: string;
let chair: string;
const paperId = randomUUID();

beforeAll(async () => {
  server = await startServer({ env: { CONTACT_RETENTION_DAYS: '0' } });
  session = await server.createSession();
  await server.setStatus(session.id, 'live');
  secretary = await server.staffToken('secretary');
  chair = await server.staffToken('chair');
  other = await server.join(session.joinCode, { name: 'Trần Thị Bình' });
  otherEvents = (await subscribe(await server.connect(other.token), session.id)).received;
  staffEvents = (await subscribe(await server.connect(chair), session.id)).received;
  asker = await server.join(session.joinCode, {
    name: 'Nguyễn Văn An',
    group: 3,
    contact: { phone: PHONE, address: ADDRESS },
  });
  const ask = await server.command(asker.token, {
    type: 'question.submit',
    sessionId: session.id,
    questionId: randomUUID(),
    text: 'Xin hỏi thời hạn cấp sổ đỏ?',
  });
  expect(ask).toMatchObject({ ok: true });
  const form = await server.command(secretary, {
    type: 'paper_form.enter',
    sessionId: session.id,
    participantId: paperId,
    name: 'Lê Văn Cường',
    questions: [{ questionId: randomUUID(), text: 'Đề nghị sửa đường ngõ 7' }],
  });
  expect(form).toMatchObject({ ok: true });
  const put = await server.api('PUT', `/api/sessions/${session.id}/participants/${paperId}/contact`, {
    token: secretary,
    body: { phone: PAPER_PHONE, address: PAPER_ADDRESS },
  });
  expect(put.status).toBe(204);
});

afterAll(() => server.close());

describe('contacts for written replies', () => {
  it("an attendee's snapshot and events never carry another person's contact", async () => {
    const again = await subscribe(await server.connect(other.token), session.id);
    expect(again.reply.ok).toBe(true);
    expect(leaks(again.reply)).toEqual([]);
    expect(otherEvents.length).toBeGreaterThan(0);
    expect(leaks(otherEvents)).toEqual([]);
    // Not even the asker's own phone gets it back through the session: only through its own REST call.
    const own = await subscribe(await server.connect(asker.token), session.id);
    expect(leaks(own.reply)).toEqual([]);
    const mine = await server.api<MyContactReply>('GET', `/api/sessions/${session.id}/my-contact`, {
      token: asker.token,
    });
    expect(mine.body).toEqual({ contact: { phone: PHONE, address: ADDRESS }, retentionDays: 0 });
    const theirs = await server.api<MyContactReply>('GET', `/api/sessions/${session.id}/my-contact`, {
      token: other.token,
    });
    expect(theirs.body).toEqual({ contact: null, retentionDays: 0 });
  });

  it('stays out of the staff view, the screen, the exports and the audit log', async () => {
    expect(leaks(staffEvents)).toEqual([]);
    const state = await server.api('GET', `/api/sessions/${session.id}/state`, { token: chair });
    expect(leaks(state.body)).toEqual([]);
    for (const path of ['export/report.csv', 'export/questions.csv', 'export/audit.csv', 'events']) {
      const res = await fetch(`${server.url}/api/sessions/${session.id}/${path}`, {
        headers: { authorization: `Bearer ${server.adminToken}` },
      });
      expect(res.status, path).toBe(200);
      expect(leaks(await res.text()), path).toEqual([]);
    }
    const display = await server.api<{ token: string }>('POST', `/api/sessions/${session.id}/display-token`, {
      token: server.adminToken,
    });
    expect(display.status).toBe(200);
    const screen = await subscribe(await server.connect(display.body.token), session.id);
    expect(screen.reply.ok).toBe(true);
    expect(leaks(screen.reply)).toEqual([]);
  });

  it('only the office reads contacts: chair, secretary and attendees are refused', async () => {
    for (const token of [chair, secretary, other.token]) {
      const res = await server.api('GET', `/api/sessions/${session.id}/contacts`, { token });
      expect(res.status).toBe(403);
    }
    const office = await server.api<Record<string, Contact>>('GET', `/api/sessions/${session.id}/contacts`, {
      token: server.adminToken,
    });
    expect(office.status).toBe(200);
    expect(office.body[asker.participantId]).toMatchObject({ phone: PHONE, address: ADDRESS });
    expect(office.body[paperId]).toMatchObject({ phone: PAPER_PHONE, address: PAPER_ADDRESS });
    expect(Object.keys(office.body).sort()).toEqual([asker.participantId, paperId].sort());
  });

  it("a phone can neither write another session's contact nor a malformed one", async () => {
    const elsewhere = await server.createSession({ title: 'Phiên khác' });
    const res = await server.api('PUT', `/api/sessions/${elsewhere.id}/my-contact`, {
      token: asker.token,
      body: { phone: PHONE },
    });
    expect(res.status).toBe(403);
    const bad = await server.api('PUT', `/api/sessions/${session.id}/my-contact`, {
      token: asker.token,
      body: { phone: 'call me maybe' },
    });
    expect(bad.status).toBe(400);
  });

  it('erases a contact once its reply is delivered and the retention period has passed', async () => {
    const office = server.adminToken;
    const state = await server.api<{ questions: Record<string, { id: string; authorId?: string }> }>(
      'GET',
      `/api/sessions/${session.id}/state`,
      { token: office },
    );
    const mine = Object.values(state.body.questions).find((q) => q.authorId === asker.participantId);
    const paper = Object.values(state.body.questions).find((q) => q.authorId === paperId);
    if (!mine || !paper) throw new Error('questions missing');
    const ok = async (cmd: Record<string, unknown>, token = office) =>
      expect(await server.command(token, { sessionId: session.id, ...cmd })).toMatchObject({ ok: true });
    await ok({ type: 'question.approve', questionIds: [mine.id, paper.id] });
    for (const q of [mine, paper]) {
      await ok({ type: 'question.answer', questionId: q.id, mode: 'writing', dueDate: '2030-01-01' }, chair);
      await ok({ type: 'question.answer_written', questionId: q.id, text: 'Trả lời bằng văn bản.' });
    }
    await server.setStatus(session.id, 'closed');
    const purge = () =>
      server.app.ctx.contacts.purge(Date.now() + 1, (id) => server.app.ctx.sessions.state(id));
    // Nothing delivered yet: both are still needed.
    expect(await purge()).toBe(0);
    const delivery = await server.api('POST', `/api/sessions/${session.id}/replies/delivery`, {
      token: office,
      body: { questionIds: [mine.id], method: 'app', date: '2030-01-02' },
    });
    expect(delivery.status).toBe(200);
    expect(await purge()).toBe(1);
    const left = await server.api<Record<string, Contact>>('GET', `/api/sessions/${session.id}/contacts`, {
      token: office,
    });
    expect(Object.keys(left.body)).toEqual([paperId]);
  });
});

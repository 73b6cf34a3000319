/**
 * Ward profile, accounts and sessions: bad input gets a clear, typed message and changes nothing; fields and
 * officials reach the sessions not yet closed; retiring a field keeps its history.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELDS_2025 } from '../../../shared/domain/defaults.ts';
import type { WardProfile } from '../../../shared/domain/ward.ts';
import type { UserView } from '../../../shared/protocol.ts';
import type { Report } from '../../../shared/report/report.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

const ward = async () =>
  (await server.api<WardProfile>('GET', '/api/ward', { token: server.adminToken })).body;
const putWard = (body: WardProfile) =>
  server.api<WardProfile & { code?: string }>('PUT', '/api/ward', { token: server.adminToken, body });
const state = async (id: string) => {
  const s = await server.app.ctx.sessions.state(id);
  if (!s) throw new Error('no session');
  return s;
};

describe('staff accounts', () => {
  it('refuses a duplicate username with a typed error and keeps the first account', async () => {
    const body = { username: 'thu-ky', password: 'password-123', role: 'secretary', name: 'Thư ký A' };
    expect((await server.api('POST', '/api/users', { token: server.adminToken, body })).status).toBe(201);
    const again = await server.api('POST', '/api/users', {
      token: server.adminToken,
      body: { ...body, role: 'admin', name: 'Kẻ khác' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ ok: false, code: 'duplicate', params: { username: 'thu-ky' } });
    const users = (await server.api<UserView[]>('GET', '/api/users', { token: server.adminToken })).body;
    expect(users.filter((u) => u.username === 'thu-ky')).toMatchObject([
      { role: 'secretary', name: 'Thư ký A' },
    ]);
  });

  it('disables an account, resets its password and changes its role', async () => {
    const body = {
      username: 'cong-chuc-1',
      password: 'password-123',
      role: 'official',
      name: 'Công chức 1',
      fieldIds: ['tu-phap'],
    };
    await server.api('POST', '/api/users', { token: server.adminToken, body });
    const login = (password: string) =>
      server.api('POST', '/api/login', { body: { username: 'cong-chuc-1', password } });
    expect((await login('password-123')).status).toBe(200);
    await server.api('PATCH', '/api/users/cong-chuc-1', {
      token: server.adminToken,
      body: { disabled: true },
    });
    expect((await login('password-123')).status).toBe(401);
    await server.api('PATCH', '/api/users/cong-chuc-1', {
      token: server.adminToken,
      body: { disabled: false, password: 'another-pass-1', role: 'vice_chair' },
    });
    expect((await login('password-123')).status).toBe(401);
    const ok = await server.api<{ role: string }>('POST', '/api/login', {
      body: { username: 'cong-chuc-1', password: 'another-pass-1' },
    });
    expect(ok.body.role).toBe('vice_chair');
  });
});

describe('sessions', () => {
  it('refuses a new session dated in the past and creates nothing', async () => {
    const before = (await server.api<unknown[]>('GET', '/api/sessions', { token: server.adminToken })).body
      .length;
    const res = await server.api('POST', '/api/sessions', {
      token: server.adminToken,
      body: { title: 'Quá khứ', date: '2020-06-15', venue: 'Hội trường' },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'bad_request', params: { field: 'date' } });
    expect(
      (await server.api<unknown[]>('GET', '/api/sessions', { token: server.adminToken })).body.length,
    ).toBe(before);
  });
});

describe('the ward profile', () => {
  let open: { id: string; joinCode: string };
  let closed: { id: string; joinCode: string };

  beforeAll(async () => {
    closed = await server.createSession({ title: 'Phiên đã kết thúc', moderation: 'open' });
    await server.setStatus(closed.id, 'live');
    const phone = await server.join(closed.joinCode, { name: 'Người hỏi' });
    const ack = await server.command(phone.token, {
      type: 'question.submit',
      sessionId: closed.id,
      questionId: randomUUID(),
      text: 'Quân sự hỏi gì?',
      fieldId: 'quan-su',
    });
    expect(ack.ok).toBe(true);
    await server.setStatus(closed.id, 'closed');
    open = await server.createSession({ title: 'Phiên đang chuẩn bị' });
  });

  it('refuses to delete a field that has questions, and changes nothing', async () => {
    const before = await ward();
    const res = await putWard({ ...before, fields: before.fields.filter((f) => f.id !== 'quan-su') });
    expect(res.status).toBe(422);
    // The refusal names the list it is about (the form shows it there) and the fields in use.
    expect(res.body).toMatchObject({ code: 'invalid_state', params: { field: 'fields', names: 'Quân sự' } });
    expect(await ward()).toEqual(before);
    expect((await state(open.id)).fields.find((f) => f.id === 'quan-su')?.retired).toBeUndefined();
  });

  it('refuses an official bound to an unknown field, and changes nothing', async () => {
    const before = await ward();
    const res = await putWard({
      ...before,
      officials: [
        { id: 'o0', name: 'Bà Y', title: 'Công chức', fieldIds: ['tu-phap'] },
        { id: 'o1', name: 'Ông X', title: 'Công chức', fieldIds: ['tu-phap', 'khong-co'] },
      ],
    });
    expect(res.status).toBe(422);
    // Named down to the official's box of fields, so the form shows it next to that official.
    expect(res.body).toMatchObject({
      code: 'unknown_field',
      params: { field: 'officials.1.fieldIds.1', fieldId: 'khong-co' },
    });
    expect(await ward()).toEqual(before);
  });

  it('retires a field in use: kept with its history, and pushed to the sessions not closed', async () => {
    const before = await ward();
    const fields = [
      ...before.fields.map((f) => (f.id === 'quan-su' ? { ...f, retired: true } : f)),
      { id: 'moi-truong', name: 'Tài nguyên – Môi trường' },
    ];
    const officials = [
      {
        id: 'o-tp',
        name: 'Bà Nguyễn Thị Hà',
        title: 'Công chức Tư pháp – Hộ tịch',
        fieldIds: ['tu-phap', 'moi-truong'],
      },
    ];
    const res = await putWard({ ...before, fields, officials });
    expect(res.status).toBe(200);
    const s = await state(open.id);
    expect(s.fields.find((f) => f.id === 'quan-su')).toMatchObject({ retired: true });
    expect(s.fields.find((f) => f.id === 'moi-truong')).toMatchObject({ name: 'Tài nguyên – Môi trường' });
    expect(s.officials).toEqual([officials[0]]);
    // The closed session is a record: unchanged, and its report still counts the retired field's question.
    const c = await state(closed.id);
    expect(c.fields.some((f) => f.id === 'moi-truong')).toBe(false);
    const report = (
      await server.api<Report>('GET', `/api/sessions/${closed.id}/report`, { token: server.adminToken })
    ).body;
    expect(report.byField.find((r) => r.fieldId === 'quan-su')).toMatchObject({ received: 1 });
    // A retired field cannot be chosen for a new question.
    await server.setStatus(open.id, 'collecting');
    const phone = await server.join(open.joinCode);
    const ack = await server.command(phone.token, {
      type: 'question.submit',
      sessionId: open.id,
      questionId: randomUUID(),
      text: 'Hỏi',
      fieldId: 'quan-su',
    });
    expect(ack).toMatchObject({ ok: false, code: 'unknown_field' });
    // Saving the same profile again changes no session.
    const seq = (await state(open.id)).seq;
    await putWard(await ward());
    expect((await state(open.id)).seq).toBe(seq);
  });

  it('applies the 2025 preset in one step, retiring the old fields', async () => {
    const before = await ward();
    const ids = new Set(FIELDS_2025.map((f) => f.id));
    const fields = [
      ...before.fields.filter((f) => !ids.has(f.id)).map((f) => ({ ...f, retired: true })),
      ...FIELDS_2025,
    ];
    const res = await putWard({ ...before, fields, officials: [] });
    expect(res.status).toBe(200);
    const s = await state(open.id);
    expect(s.fields.filter((f) => !f.retired).map((f) => f.id)).toEqual(FIELDS_2025.map((f) => f.id));
    expect(s.officials.every((o) => o.retired)).toBe(true);
    // A new session starts with the 2025 fields active.
    const next = await server.createSession({ title: 'Phiên 2025' });
    expect((await state(next.id)).fields.filter((f) => !f.retired).map((f) => f.name)).toEqual(
      FIELDS_2025.map((f) => f.name),
    );
  });
});

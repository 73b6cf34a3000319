/**
 * Issue #14, finding 7: invitations that check people in. Each invitee's giấy mời carries a personal token; opened
 * on a phone it fills in the join form and, joining on the meeting's day, marks that invitee present — once. The
 * token goes through the join budgets (a wrong one is a guess), works for its own session and invitee only, and
 * the invitee list is staff-only personal data.
 *
 * Real server on port 0, real SQLite file; the source address is given with X-Forwarded-For (trusted from loopback).
 */
import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Attendance } from '../../../shared/report/attendance.ts';
import type { InvitationView, InvitationsReply, Invitee } from '../../../shared/invitations/invitees.ts';
import type { Failure, JoinReply } from '../../../shared/protocol.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

const secret = () => randomBytes(16).toString('base64url');
const GUESSES = 5;

async function call<T>(
  server: TestServer,
  method: string,
  path: string,
  options: { body?: unknown; token?: string; address?: string } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.address ? { 'x-forwarded-for': options.address } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

const tokenOf = (link: string) => new URL(link).hash.replace(/^#moi=/, '');

describe('invitations that check people in', () => {
  let server: TestServer;
  let session: { id: string; joinCode: string };
  let other: { id: string; joinCode: string };
  const admin = () => server.adminToken;
  const invitees = (sessionId = session.id, token = admin()) =>
    call<Invitee[]>(server, 'GET', `/api/sessions/${sessionId}/invitees`, { token });
  const attendance = (sessionId = session.id) =>
    call<Attendance>(server, 'GET', `/api/sessions/${sessionId}/attendance`, { token: admin() });
  const cards = async (sessionId = session.id) =>
    (
      await call<InvitationsReply>(server, 'GET', `/api/sessions/${sessionId}/invitations`, {
        token: admin(),
      })
    ).body.cards;
  const add = async (body: Record<string, unknown>, sessionId = session.id) => {
    const res = await call<Invitee>(server, 'POST', `/api/sessions/${sessionId}/invitees`, {
      token: admin(),
      body,
    });
    expect(res.status).toBe(201);
    return res.body;
  };
  const join = (body: Record<string, unknown>, address = '203.0.113.10') =>
    call<JoinReply & Failure>(server, 'POST', '/api/join', { body, address });

  beforeAll(async () => {
    server = await startServer({ env: { JOIN_GUESS_BUDGET: `${GUESSES}/600` } });
    session = await server.createSession();
    other = await server.createSession({ title: 'Hội nghị khác' });
    await server.setStatus(session.id, 'live');
    await server.setStatus(other.id, 'live');
  });
  afterAll(() => server.close());

  it('a token fills in the join form, joins and checks its invitee in exactly once', async () => {
    const lan = await add({ salutation: 'ba', name: 'Trần Thị Lan', category: 'resident', group: 3 });
    await add({ salutation: 'ong', name: 'Lê Văn Hùng', category: 'groupLeader', group: 3 });
    const card = (await cards()).find((c) => c.invitee.id === lan.id);
    expect(card?.link).toMatch(new RegExp(`/j/${session.joinCode}#moi=[A-Za-z0-9_-]{22}$`));
    const token = tokenOf(card!.link);

    const view = await call<InvitationView>(server, 'POST', '/api/invitation', {
      body: { joinCode: session.joinCode, token },
    });
    expect(view.status).toBe(200);
    expect(view.body).toEqual({ salutation: 'ba', name: 'Trần Thị Lan', group: 3, kind: 'resident' });

    const phone = secret();
    const first = await join({
      joinCode: session.joinCode,
      secret: phone,
      name: 'Trần Thị Lan',
      group: 3,
      invitation: token,
    });
    expect(first.status).toBe(201);
    expect(first.body.checkedIn).toBe(true);
    // The token is not the participant's handle, nor derivable from it.
    expect(first.body.participantId).not.toBe(token);

    const checkedAt = (await invitees()).body.find((i) => i.id === lan.id)?.checkedIn;
    expect(checkedAt).toMatchObject({ by: 'phone' });

    // Scanned again on the same phone, and once more on another: still one attendance, the first one.
    const again = await join({ joinCode: session.joinCode, secret: phone, invitation: token });
    expect(again.body.participantId).toBe(first.body.participantId);
    await join({ joinCode: session.joinCode, secret: secret(), invitation: token });
    const after = (await invitees()).body.find((i) => i.id === lan.id)?.checkedIn;
    expect(after).toEqual(checkedAt);

    const figures = (await attendance()).body;
    expect(figures.rows).toContainEqual({ section: { kind: 'group', group: 3 }, invited: 2, present: 1 });
    expect(figures.present).toBe(1);

    // The participant joined with the name the invitation filled in.
    const state = (
      await call<{ participants: Record<string, { name?: string; group?: number }> }>(
        server,
        'GET',
        `/api/sessions/${session.id}/state`,
        { token: admin() },
      )
    ).body;
    expect(state.participants[first.body.participantId]).toMatchObject({ name: 'Trần Thị Lan', group: 3 });
  });

  it('before the meeting’s day a scan joins without marking anyone present', async () => {
    const later = await server.createSession({ title: 'Kỳ sau', date: '2099-12-15' });
    await server.setStatus(later.id, 'collecting');
    const invitee = await add(
      { salutation: 'ong', name: 'Phạm Văn Nam', category: 'resident', group: 1 },
      later.id,
    );
    const token = tokenOf((await cards(later.id))[0]!.link);
    const res = await join({ joinCode: later.joinCode, secret: secret(), invitation: token });
    expect(res.status).toBe(201);
    expect(res.body.checkedIn).toBe(false);
    expect((await invitees(later.id)).body.find((i) => i.id === invitee.id)?.checkedIn).toBeUndefined();
  });

  it('a wrong token or another session’s is refused with invalid_invitation and counted as a guess', async () => {
    await add(
      { salutation: 'ong', name: 'Ngô Văn Tư', category: 'business', group: 2, organisation: 'Công ty A' },
      other.id,
    );
    const othersToken = tokenOf((await cards(other.id))[0]!.link);
    const address = '198.51.100.77';

    const foreign = await join(
      { joinCode: session.joinCode, secret: secret(), invitation: othersToken },
      address,
    );
    expect(foreign.status).toBe(404);
    expect(foreign.body.code).toBe('invalid_invitation');
    const lookup = await call<Failure>(server, 'POST', '/api/invitation', {
      body: { joinCode: session.joinCode, token: othersToken },
      address,
    });
    expect(lookup.body.code).toBe('invalid_invitation');
    // Nothing was made: no participant joined with the refused token.
    for (let i = 2; i < GUESSES; i++) {
      const made = await call<Failure>(server, 'POST', '/api/invitation', {
        body: { joinCode: session.joinCode, token: randomBytes(16).toString('base64url') },
        address,
      });
      expect(made.body.code).toBe('invalid_invitation');
    }
    // The address has used its guesses: even the right code is refused now, like after wrong codes.
    const refused = await call<Failure>(server, 'GET', `/api/join/${session.joinCode}`, { address });
    expect(refused.status).toBe(429);
    expect(refused.body.code).toBe('rate_limited');
    // Another address is unaffected.
    expect(
      (await call(server, 'GET', `/api/join/${session.joinCode}`, { address: '198.51.100.78' })).status,
    ).toBe(200);
  });

  it('the invitee list is staff-only, and never shows a token', async () => {
    const secretary = await server.staffToken('secretary');
    const official = await server.staffToken('official');
    const phone = await server.join(session.joinCode, { secret: secret() });

    const list = await invitees(session.id, secretary);
    expect(list.status).toBe(200);
    expect(list.body.length).toBeGreaterThan(0);
    expect(JSON.stringify(list.body)).not.toMatch(/token/i);
    for (const link of (await cards()).map((c) => tokenOf(c.link)))
      expect(JSON.stringify(list.body)).not.toContain(link);

    expect((await invitees(session.id, official)).status).toBe(403);
    expect((await invitees(session.id, phone.token)).status).toBe(403);
    expect((await call(server, 'GET', `/api/sessions/${session.id}/invitees`)).status).toBe(401);
    expect(
      (await call(server, 'GET', `/api/sessions/${session.id}/invitations`, { token: secretary })).status,
    ).toBe(403);
    const byPhone = await call(server, 'POST', `/api/sessions/${session.id}/invitees`, {
      token: phone.token,
      body: { salutation: 'ong', name: 'X', category: 'party' },
    });
    expect(byPhone.status).toBe(403);
    // Figures without names: any staff role.
    const figures = await call<Attendance>(server, 'GET', `/api/sessions/${session.id}/attendance`, {
      token: official,
    });
    expect(figures.status).toBe(200);
    expect(JSON.stringify(figures.body)).not.toContain('Lan');
  });

  it('staff tick people without a phone on the sign-in list, and can untick a mistake', async () => {
    const secretary = await server.staffToken('secretary', { username: 'thuky2' });
    const hoa = await add({
      salutation: 'ba',
      name: 'Đỗ Thị Hoa',
      category: 'party',
      title: 'Phó Bí thư Đảng ủy',
    });
    const tick = (present: boolean) =>
      call(server, 'PUT', `/api/sessions/${session.id}/invitees/${hoa.id}/check-in`, {
        token: secretary,
        body: { present },
      });
    const before = (await attendance()).body.present;
    expect((await tick(true)).status).toBe(200);
    expect((await invitees()).body.find((i) => i.id === hoa.id)?.checkedIn).toMatchObject({ by: 'staff' });
    expect((await attendance()).body.rows).toContainEqual({
      section: { kind: 'category', category: 'party' },
      invited: 1,
      present: 1,
    });
    await tick(true);
    expect((await attendance()).body.present).toBe(before + 1);
    await tick(false);
    expect((await attendance()).body.present).toBe(before);
  });

  it('imports a CSV and an XLSX with the plan’s composition, taking only the columns it keeps', async () => {
    const fresh = await server.createSession({ title: 'Nhập danh sách' });
    const csv = [
      'STT;Danh xưng;Họ và tên;Thành phần;Tổ;Đơn vị;Chức vụ;Số điện thoại',
      '1;Ông;Nguyễn Văn An;Đảng ủy;;Đảng ủy phường;Bí thư Đảng ủy;0912345678',
      '2;Bà;Lê Thị Bình;Tổ trưởng;Tổ 5;;;0987654321',
      '3;Ông;Hoàng Văn Cường;Doanh nghiệp;5;"Công ty TNHH B; C";Giám đốc;',
      '4;Ông;Thiếu Tổ;Người dân;;;;',
      '5;X;Không rõ;Người dân;1;;;',
    ].join('\r\n');
    const res = await call<{ added: number; rejected: Array<{ row: number; field: string }> }>(
      server,
      'POST',
      `/api/sessions/${fresh.id}/invitees/import`,
      { token: admin(), body: { format: 'csv', data: csv } },
    );
    expect(res.body).toEqual({
      added: 3,
      rejected: [
        { row: 5, field: 'group' },
        { row: 6, field: 'salutation' },
      ],
    });
    const list = (await invitees(fresh.id)).body;
    expect(list.map((i) => [i.salutation, i.name, i.category, i.group, i.organisation])).toEqual([
      ['ong', 'Nguyễn Văn An', 'party', undefined, 'Đảng ủy phường'],
      ['ba', 'Lê Thị Bình', 'groupLeader', 5, undefined],
      ['ong', 'Hoàng Văn Cường', 'business', 5, 'Công ty TNHH B; C'],
    ]);
    expect(JSON.stringify(list)).not.toContain('0912345678');

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Khách mời');
    sheet.addRow(['Danh xưng', 'Họ và tên', 'Thành phần', 'Tổ']);
    sheet.addRow(['Bà', 'Vũ Thị Dung', 'Bí thư chi bộ', 7]);
    const data = Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
    const xlsx = await call<{ added: number }>(server, 'POST', `/api/sessions/${fresh.id}/invitees/import`, {
      token: admin(),
      body: { format: 'xlsx', data },
    });
    expect(xlsx.body).toEqual({ added: 1, rejected: [] });
    expect((await invitees(fresh.id)).body.find((i) => i.name === 'Vũ Thị Dung')).toMatchObject({
      category: 'cellSecretary',
      group: 7,
    });
  });

  it('edits keep the printed QR; removing an invitee or erasing the list makes their QR stop working', async () => {
    const fresh = await server.createSession({ title: 'Xóa danh sách' });
    await server.setStatus(fresh.id, 'live');
    const a = await add({ salutation: 'ong', name: 'Trịnh Văn E', category: 'councilDelegate' }, fresh.id);
    const b = await add({ salutation: 'ba', name: 'Mai Thị G', category: 'front' }, fresh.id);
    const tokens = new Map((await cards(fresh.id)).map((c) => [c.invitee.id, tokenOf(c.link)]));
    const edited = await call<Invitee>(server, 'PUT', `/api/sessions/${fresh.id}/invitees/${a.id}`, {
      token: admin(),
      body: { salutation: 'ong', name: 'Trịnh Văn Em', category: 'councilDelegate' },
    });
    expect(edited.body.name).toBe('Trịnh Văn Em');
    const lookUp = (token: string) =>
      call<InvitationView & Failure>(server, 'POST', '/api/invitation', {
        body: { joinCode: fresh.joinCode, token },
      });
    expect((await lookUp(tokens.get(a.id)!)).body.name).toBe('Trịnh Văn Em');

    expect(
      (await call(server, 'DELETE', `/api/sessions/${fresh.id}/invitees/${a.id}`, { token: admin() })).status,
    ).toBe(204);
    expect((await lookUp(tokens.get(a.id)!)).body.code).toBe('invalid_invitation');
    expect((await lookUp(tokens.get(b.id)!)).status).toBe(200);

    const erased = await call<{ erased: number }>(server, 'DELETE', `/api/sessions/${fresh.id}/invitees`, {
      token: admin(),
    });
    expect(erased.body).toEqual({ erased: 1 });
    expect((await invitees(fresh.id)).body).toEqual([]);
    expect((await lookUp(tokens.get(b.id)!)).body.code).toBe('invalid_invitation');
  });
});

/**
 * Set-up (issue 13, finding 10), against a real server: one rule for usernames and user ids — an account whose
 * username has a dot is linked to an official in the ward profile, and an official record carrying it is accepted;
 * a vice-chairman's account keeps the fields they are responsible for; every refusal names the field it is about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WardProfile } from '../../../shared/domain/ward.ts';
import { startServer, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('usernames and user ids follow one rule', () => {
  it('an account whose username has a dot links to an official', async () => {
    const created = await server.api('POST', '/api/users', {
      token: server.adminToken,
      body: { username: 'nguyen.van.a', password: 'password-123', role: 'official', name: 'Nguyễn Văn A' },
    });
    expect(created.status).toBe(201);
    const ward = (await server.api<WardProfile>('GET', '/api/ward', { token: server.adminToken })).body;
    const body = {
      ...ward,
      officials: [
        { id: 'o-a', name: 'Nguyễn Văn A', title: 'Công chức', fieldIds: [], userId: 'nguyen.van.a' },
      ],
    };
    const saved = await server.api<WardProfile>('PUT', '/api/ward', { token: server.adminToken, body });
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.officials[0]?.userId).toBe('nguyen.van.a');
  });
});

describe('the account form', () => {
  const create = (body: Record<string, unknown>) =>
    server.api<{ code?: string; params?: Record<string, unknown>; fieldIds?: string[] }>(
      'POST',
      '/api/users',
      {
        token: server.adminToken,
        body: { password: 'password-123', ...body },
      },
    );

  it('keeps the fields a vice-chairman is responsible for, and changes them', async () => {
    const made = await create({
      username: 'pho.chu.tich',
      role: 'vice_chair',
      fieldIds: ['dia-chinh', 'cong-an'],
    });
    expect(made.status).toBe(201);
    expect(made.body.fieldIds).toEqual(['dia-chinh', 'cong-an']);
    const changed = await server.api<{ fieldIds: string[] }>('PATCH', '/api/users/pho.chu.tich', {
      token: server.adminToken,
      body: { fieldIds: ['tu-phap'] },
    });
    expect(changed.body.fieldIds).toEqual(['tu-phap']);
  });

  it('refuses a field not in the ward profile, naming the field box, and keeps nothing', async () => {
    const made = await create({
      username: 'pho.chu.tich.2',
      role: 'vice_chair',
      fieldIds: ['tu-phap', 'khong-co'],
    });
    expect(made.status).toBe(422);
    expect(made.body).toMatchObject({
      code: 'unknown_field',
      params: { field: 'fieldIds.1', fieldId: 'khong-co' },
    });
    const users = await server.api<Array<{ username: string }>>('GET', '/api/users', {
      token: server.adminToken,
    });
    expect(users.body.map((u) => u.username)).not.toContain('pho.chu.tich.2');
    const changed = await server.api('PATCH', '/api/users/pho.chu.tich', {
      token: server.adminToken,
      body: { fieldIds: ['khong-co'] },
    });
    expect(changed.body).toMatchObject({ code: 'unknown_field', params: { field: 'fieldIds.0' } });
  });

  it('names the username when it is taken', async () => {
    const taken = await create({ username: 'admin', role: 'official' });
    expect(taken.body).toMatchObject({ code: 'duplicate', params: { field: 'username', username: 'admin' } });
  });
});

/**
 * Issue #12, findings 1 and 3: a participant's identity is something only their phone holds, and minting identities
 * is a limited resource sized for a hall behind one public address.
 *
 * - Staff see a participant's handle (`participantId`) in the state, the events and the audit log. Knowing it must
 *   not give a token for that participant, nor — through any staff route — the author of their anonymous question.
 * - Own-view events are scoped by session: a token of session B never receives session A's own-view events, even
 *   for the same handle.
 * - A retried join with the device secret keeps the identity; a different secret is a different person.
 * - Join budgets per source address: a hall of 500 phones behind one address joins; one script cannot mint more
 *   identities than the budget; guessing join codes is limited more strictly than looking up the right one.
 *
 * The source address is given with `X-Forwarded-For`, which the server trusts from loopback (TRUST_PROXY default),
 * as it would from a reverse proxy in front of it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import type { SessionState } from '../../../shared/domain/types.ts';
import type { Failure, JoinReply } from '../../../shared/protocol.ts';
import { startServer, subscribe, type ClientSocket, type TestServer } from '../../helpers/server.ts';

const secret = () => randomBytes(16).toString('base64url');

interface Reply<T> {
  status: number;
  body: T;
  retryAfter: string | null;
}

/** A REST call as if from `address` (through a trusted proxy). */
async function call<T>(
  server: TestServer,
  method: 'GET' | 'POST',
  path: string,
  options: { body?: unknown; address?: string; token?: string } = {},
): Promise<Reply<T>> {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(options.address ? { 'x-forwarded-for': options.address } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await res.text();
  const body = (text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T;
  return { status: res.status, body, retryAfter: res.headers.get('retry-after') };
}

const join = (server: TestServer, body: Record<string, unknown>, address?: string) =>
  call<JoinReply & Failure>(server, 'POST', '/api/join', { body, ...(address ? { address } : {}) });

/** Runs `task(i)` for i < count, `concurrency` at a time; resolves with the results in order. */
async function pool<T>(count: number, concurrency: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out = new Array<T>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) out[i] = await task(i);
    }),
  );
  return out;
}

describe('a participant identity only the phone holds', () => {
  let server: TestServer;
  const sockets: ClientSocket[] = [];
  const connect = async (token: string) => {
    const s = await server.connect(token);
    sockets.push(s);
    return s;
  };

  beforeAll(async () => {
    server = await startServer();
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function liveSession(): Promise<{ id: string; joinCode: string }> {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    return session;
  }

  it('a staff member who knows a participant id can neither get a token for it nor learn the anonymous author through any route', async () => {
    const session = await liveSession();
    const victimName = 'Nguyễn Thị Kín Đáo';
    const victim = await server.join(session.joinCode, { name: victimName, group: 4 });
    const text = 'Vì sao hồ sơ đất của tôi bị trả lại ba lần?';
    const questionId = randomUUID();
    const asked = await server.command(victim.token, {
      sessionId: session.id,
      type: 'question.submit',
      questionId,
      text,
      anonymous: true,
    });
    expect(asked).toMatchObject({ ok: true });

    // The least trusted staff role reads the handle where staff see it.
    const official = await server.staffToken('official');
    const staffState = await call<SessionState>(server, 'GET', `/api/sessions/${session.id}/state`, {
      token: official,
    });
    expect(Object.keys(staffState.body.participants)).toContain(victim.participantId);

    // 1. No token for that handle: the join body takes no participant id, and a handle is not a device secret.
    const byId = await join(server, { joinCode: session.joinCode, participantId: victim.participantId });
    expect(byId.status).toBe(400);
    expect(byId.body.code).toBe('bad_request');
    expect(byId.body).not.toHaveProperty('token');
    const bySecret = await join(server, { joinCode: session.joinCode, secret: victim.participantId });
    if (bySecret.status === 201) expect(bySecret.body.participantId).not.toBe(victim.participantId);
    else expect(bySecret.body.code).toBe('bad_request');
    // Whatever attendee token staff can get shows no authorship of the victim's question and cannot act for them.
    for (const token of [bySecret.body.token].filter((t): t is string => typeof t === 'string')) {
      const socket = await connect(token);
      const { reply } = await subscribe(socket, session.id);
      if (!reply.ok || reply.mode !== 'snapshot') throw new Error('no snapshot');
      expect(reply.state.questions[questionId]).not.toHaveProperty('authorId');
      expect(reply.state.participants[victim.participantId]).toBeUndefined();
      const withdraw = await socket.emitWithAck('command', {
        id: randomUUID(),
        type: 'question.withdraw',
        sessionId: session.id,
        questionId,
      });
      expect(withdraw).toMatchObject({ ok: false, code: 'not_author' });
    }
    expect((await server.app.ctx.sessions.state(session.id))?.questions[questionId]?.status).toBe(
      'published',
    );

    // 2. Every staff route, read by the admin (who may read the most): the anonymous question never names its author.
    const admin = server.adminToken;
    const state = await call<SessionState>(server, 'GET', `/api/sessions/${session.id}/state`, {
      token: admin,
    });
    expect(JSON.stringify(state.body.questions[questionId])).not.toMatch(
      new RegExp(`${victim.participantId}|${victimName}`),
    );
    const log = await call<{ events: DomainEvent[]; rows: unknown[] }>(
      server,
      'GET',
      `/api/sessions/${session.id}/events?limit=1000`,
      { token: admin },
    );
    const aboutQuestion = log.body.events.filter((e) => JSON.stringify(e).includes(questionId));
    expect(aboutQuestion.length).toBeGreaterThan(0);
    for (const e of aboutQuestion) expect(JSON.stringify(e)).not.toContain(victim.participantId);
    for (const row of log.body.rows.map((r) => JSON.stringify(r)).filter((r) => r.includes(text)))
      expect(row).not.toContain(victimName);
    const report = await call<unknown>(server, 'GET', `/api/sessions/${session.id}/report`, { token: admin });
    expect(JSON.stringify(report.body)).not.toContain(victim.participantId);
    for (const file of ['audit.csv', 'questions.csv', 'report.csv', 'minutes.html']) {
      const res = await call<string>(server, 'GET', `/api/sessions/${session.id}/export/${file}`, {
        token: admin,
      });
      expect(res.status, file).toBe(200);
      expect(res.body, file).not.toContain(victim.participantId);
      // The row (CSV) or block (HTML) that holds the question does not name its author.
      for (const part of res.body.split(/\r?\n|<\/(?:p|li|tr|div|h\d)>/).filter((x) => x.includes(text)))
        expect(part, file).not.toContain(victimName);
    }
    const staffSocket = await connect(admin);
    const { reply, received } = await subscribe(staffSocket, session.id);
    if (!reply.ok || reply.mode !== 'snapshot') throw new Error('no snapshot');
    expect(JSON.stringify(reply.state.questions[questionId])).not.toContain(victim.participantId);
    await server.command(victim.token, {
      sessionId: session.id,
      type: 'question.edit',
      questionId,
      text: `${text} (bổ sung)`,
    });
    await expect.poll(() => received.length).toBeGreaterThan(0);
    expect(JSON.stringify(received)).not.toContain(victim.participantId);
  });

  it("a socket of another session never receives a session's own-view events, even for the same participant id", async () => {
    const first = await liveSession();
    const second = await liveSession();
    const victim = await server.join(first.joinCode, { name: 'Phan Văn Riêng' });
    // The same handle in another session: what a client-made id allowed before, or a token signed by the server.
    const { token: other } = await server.app.ctx.tokens.sign(
      { role: 'attendee', sub: victim.participantId, sid: second.id },
      3600,
    );
    const socket = await connect(other);
    const seen: Array<{ sessionId: string; events: unknown[] }> = [];
    socket.on('events', (message) => seen.push(message));
    const synced = await socket.emitWithAck('sync', { sessionId: second.id, since: 0 });
    expect(synced.ok).toBe(true);

    // The victim's own view in the first session: an anonymous question with its author, a vote, a hand.
    const questionId = randomUUID();
    for (const cmd of [
      { type: 'question.submit', questionId, text: 'Một câu hỏi ẩn danh', anonymous: true },
      { type: 'question.vote', questionId, value: true },
      { type: 'hand.raise', handId: randomUUID(), topic: 'Đất đai' },
    ])
      expect(await server.command(victim.token, { sessionId: first.id, ...cmd })).toMatchObject({ ok: true });
    // A marker in the second session: once it arrives, anything from the first would have arrived too.
    const marker = await server.join(second.joinCode);
    await server.command(marker.token, {
      sessionId: second.id,
      type: 'question.submit',
      questionId: randomUUID(),
      text: 'Dấu mốc',
    });
    await expect.poll(() => seen.some((m) => m.sessionId === second.id)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.filter((m) => m.sessionId !== second.id)).toEqual([]);
  });

  it('the same device secret in another session is another, unlinkable participant', async () => {
    const first = await liveSession();
    const second = await liveSession();
    const device = secret();
    const a = await join(server, { joinCode: first.joinCode, secret: device });
    const b = await join(server, { joinCode: second.joinCode, secret: device });
    expect(a.status).toBe(201);
    expect(b.status).toBe(201);
    expect(b.body.participantId).not.toBe(a.body.participantId);
  });

  it('a retried join with the device secret keeps the identity; the secret never appears where staff look', async () => {
    const session = await liveSession();
    const device = secret();
    const first = await join(server, { joinCode: session.joinCode, secret: device, name: 'Trần Thị B' });
    const retry = await join(server, { joinCode: session.joinCode, secret: device, name: 'Trần Thị B' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.participantId).toBe(first.body.participantId);
    expect(retry.body.sessionId).toBe(session.id);
    // The secret was the device's: the server does not echo it.
    expect(first.body).not.toHaveProperty('secret');
    const other = await join(server, { joinCode: session.joinCode, secret: secret() });
    expect(other.body.participantId).not.toBe(first.body.participantId);
    expect((await server.app.ctx.sessions.state(session.id))?.participantCount).toBe(2);

    // The old contract still works: no secret sent, the server makes one and returns it for the next join.
    const bare = await join(server, { joinCode: session.joinCode, name: 'Không gửi bí mật' });
    expect(bare.status).toBe(201);
    expect(bare.body.secret).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    const again = await join(server, { joinCode: session.joinCode, secret: bare.body.secret });
    expect(again.body.participantId).toBe(bare.body.participantId);

    // A secret too short to be a secret is refused.
    const weak = await join(server, { joinCode: session.joinCode, secret: 'abc' });
    expect(weak).toMatchObject({ status: 400, body: { code: 'bad_request' } });

    // Staff views, the audit log and exports never carry a secret.
    const admin = server.adminToken;
    for (const path of [
      `/api/sessions/${session.id}/state`,
      `/api/sessions/${session.id}/events?limit=1000`,
      `/api/sessions/${session.id}/export/audit.csv`,
    ]) {
      const res = await call<unknown>(server, 'GET', path, { token: admin });
      const body = JSON.stringify(res.body);
      expect(body, path).not.toContain(device);
      expect(body, path).not.toContain(bare.body.secret);
    }
  });

  it('paper-form participants have no secret and never get a token', async () => {
    const session = await liveSession();
    const participantId = randomUUID();
    const entered = await server.command(server.adminToken, {
      sessionId: session.id,
      type: 'paper_form.enter',
      participantId,
      name: 'Người điền phiếu giấy',
      questions: [{ questionId: randomUUID(), text: 'Câu hỏi trên giấy', anonymous: true }],
    });
    expect(entered).toMatchObject({ ok: true });
    for (const body of [{ participantId }, { secret: participantId }]) {
      const res = await join(server, { joinCode: session.joinCode, ...body });
      if (res.status === 201) expect(res.body.participantId).not.toBe(participantId);
      else expect(res.body.code).toBe('bad_request');
    }
  });
});

describe('join budgets per source address', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('a hall of 500 phones behind one address joins, and a script from that address cannot mint more than the budget', async () => {
    server = await startServer();
    const s = server;
    const session = await s.createSession();
    await s.setStatus(session.id, 'live');
    const hall = '198.51.100.20';

    const devices = Array.from({ length: 500 }, secret);
    const started = Date.now();
    const phones = await pool(500, 20, (i) =>
      join(s, { joinCode: session.joinCode, secret: devices[i], name: `Người dự ${i}` }, hall),
    );
    const elapsed = Date.now() - started;
    expect(phones.filter((r) => r.status !== 201).map((r) => r.body)).toEqual([]);
    expect(elapsed).toBeLessThan(120_000);
    expect(new Set(phones.map((r) => r.body.participantId)).size).toBe(500);

    // A script on the same address keeps minting: it is stopped at the budget (600 new identities per 10 minutes).
    const script = await pool(150, 10, () => join(s, { joinCode: session.joinCode }, hall));
    const minted = script.filter((r) => r.status === 201).length;
    expect(500 + minted).toBe(600);
    const refused = script.find((r) => r.status === 429);
    expect(refused?.body.code).toBe('rate_limited');
    expect(Number(refused?.retryAfter)).toBeGreaterThan(0);
    expect(Number(refused?.retryAfter)).toBeLessThanOrEqual(600);
    expect((await s.app.ctx.sessions.state(session.id))?.participantCount).toBe(600);

    // A phone of the hall retrying its join (lost reply, reload, expired token) is not a new identity: it gets in.
    const retried = await pool(50, 10, (i) =>
      join(s, { joinCode: session.joinCode, secret: devices[i] }, hall),
    );
    expect(retried.map((r) => r.status)).toEqual(Array<number>(50).fill(201));
    expect(retried.map((r) => r.body.participantId)).toEqual(
      phones.slice(0, 50).map((r) => r.body.participantId),
    );
    // A new phone on that address waits; other addresses are not affected.
    expect((await join(s, { joinCode: session.joinCode, secret: secret() }, hall)).status).toBe(429);
    expect((await join(s, { joinCode: session.joinCode }, '203.0.113.10')).status).toBe(201);
  }, 180_000);

  it('the daily budget caps what an address mints across windows', async () => {
    server = await startServer({ env: { JOIN_NEW_BUDGET: '5/1', JOIN_NEW_DAILY_BUDGET: '8/86400' } });
    const s = server;
    const session = await s.createSession();
    await s.setStatus(session.id, 'live');
    const address = '198.51.100.30';
    const burst = await pool(6, 1, () => join(s, { joinCode: session.joinCode }, address));
    expect(burst.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 429]);
    expect(Number(burst[5]?.retryAfter)).toBeLessThanOrEqual(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const next = await pool(4, 1, () => join(s, { joinCode: session.joinCode }, address));
    expect(next.map((r) => r.status)).toEqual([201, 201, 201, 429]);
    expect(Number(next[3]?.retryAfter)).toBeGreaterThan(3600);
  });

  it('guessing join codes is limited more strictly than looking up the right one, and a guesser learns nothing more', async () => {
    server = await startServer({ env: { JOIN_GUESS_BUDGET: '20/600' } });
    const s = server;
    const session = await s.createSession();
    await s.setStatus(session.id, 'live');
    const hall = '198.51.100.40';
    const guesser = '198.51.100.41';

    // The right code, looked up by a whole hall from one address: all answered.
    const lookups = await pool(300, 20, () =>
      call(s, 'GET', `/api/join/${session.joinCode}`, { address: hall }),
    );
    expect(lookups.filter((r) => r.status !== 200)).toEqual([]);

    // Wrong codes from one address: 20 answered "not found", then refused with a Retry-After.
    // Never a real code: real codes have no O, 0 or 1.
    const wrong = (i: number) => `WRONG${i}`;
    const guesses = await pool(25, 1, (i) =>
      call<Failure>(s, 'GET', `/api/join/${wrong(i)}`, { address: guesser }),
    );
    expect(guesses.slice(0, 20).every((r) => r.status === 404)).toBe(true);
    expect(guesses.slice(20).every((r) => r.status === 429 && r.body.code === 'rate_limited')).toBe(true);
    expect(Number(guesses[20]?.retryAfter)).toBeGreaterThan(0);
    // Once refused, the right code is refused too (else the refusals would tell a right code from a wrong one),
    // and so is a join with it; the QR and the printed link of a code are lookups too.
    expect((await call(s, 'GET', `/api/join/${session.joinCode}`, { address: guesser })).status).toBe(429);
    expect((await join(s, { joinCode: session.joinCode }, guesser)).status).toBe(429);
    for (const path of ['qr.svg', 'link'])
      expect(
        (await call(s, 'GET', `/api/join/${session.joinCode}/${path}`, { address: guesser })).status,
      ).toBe(429);
    // Wrong codes in a join count as guesses too.
    const other = '198.51.100.42';
    const joins = await pool(21, 1, (i) => join(s, { joinCode: wrong(i) }, other));
    expect(joins.map((r) => r.status)).toEqual([...Array<number>(20).fill(404), 429]);
    // The hall is not affected.
    expect((await join(s, { joinCode: session.joinCode }, hall)).status).toBe(201);
  });
});

/**
 * `GET /metrics` (issue 15, finding 5): an operator's numbers move with what the server does, on every node, and
 * only those allowed to read them can.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sample, scrape } from '../../helpers/metrics.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';
import { twoNodesOnRedis } from '../../helpers/twoNodes.ts';

const submit = (sessionId: string) => ({
  type: 'question.submit',
  sessionId,
  questionId: randomUUID(),
  text: 'Bao giờ có kết quả cấp phép xây dựng?',
  anonymous: false,
});

describe('GET /metrics on one node', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts commands by type and result, acks, appends, fan-out and sockets by audience', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode);
    const chair = await server.connect(await server.staffToken('chair'));
    await subscribe(chair, session.id);
    const socket = await server.connect(phone.token);
    const before = await scrape(server.url);

    expect(
      await socket.emitWithAck('command', { id: randomUUID(), ...submit(session.id) } as never),
    ).toMatchObject({ ok: true });
    const refused = await socket.emitWithAck('command', {
      id: randomUUID(),
      type: 'question.withdraw',
      sessionId: session.id,
      questionId: 'nobody-asked-this',
    } as never);
    expect(refused).toMatchObject({ ok: false, code: 'not_found' });
    await socket.emitWithAck('command', { type: 'no.such.command' } as never);
    await socket.emitWithAck('sync', { sessionId: session.id, since: 0 });
    // The chair's socket has the question when the fan-out has written it.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const after = await scrape(server.url);
    const moved = (name: string, labels: Record<string, string> = {}) =>
      sample(after, name, labels) - sample(before, name, labels);
    expect(moved('dialogue_commands_total', { type: 'question.submit', result: 'ok' })).toBe(1);
    expect(moved('dialogue_commands_total', { type: 'question.withdraw', result: 'not_found' })).toBe(1);
    expect(moved('dialogue_commands_total', { type: 'invalid', result: 'unknown_command' })).toBe(1);
    expect(moved('dialogue_command_ack_seconds_count')).toBe(3);
    expect(moved('dialogue_syncs_total', { outcome: 'snapshot' })).toBe(1);
    expect(moved('dialogue_store_append_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(moved('dialogue_fanout_lag_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'dialogue_sockets', { audience: 'attendee' })).toBe(1);
    expect(sample(after, 'dialogue_sockets', { audience: 'staff' })).toBe(1);
    expect(sample(after, 'dialogue_sockets', { audience: 'screen' })).toBe(0);
    for (const name of [
      'dialogue_minutes_rooms',
      'dialogue_minutes_connections',
      'dialogue_nodejs_eventloop_lag_p99_seconds',
      'dialogue_process_resident_memory_bytes',
    ])
      expect(after.has(name), name).toBe(true);
  });

  it('is refused to a request that came through a proxy', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(res.status).toBe(403);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  it('answers only with the token', async () => {
    const token = randomBytes(24).toString('base64url');
    const server = await startServer({ env: { METRICS_TOKEN: token } });
    try {
      expect((await fetch(`${server.url}/metrics`)).status).toBe(403);
      const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer x${token}` } });
      expect(wrong.status).toBe(403);
      expect((await scrape(server.url, token)).has('dialogue_process_resident_memory_bytes')).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('GET /metrics on every node of a scale-out', () => {
  const nodes = twoNodesOnRedis();

  it('shows the tailer following what the other node appends', async () => {
    const { a, b } = nodes;
    const session = await a.createSession({ moderation: 'open' });
    await a.setStatus(session.id, 'live');
    const panel = await b.connect(await b.staffToken('chair'));
    const { received } = await subscribe(panel, session.id);
    const before = await scrape(b.url);
    const phone = await a.join(session.joinCode);
    expect(await a.command(phone.token, submit(session.id))).toMatchObject({ ok: true });
    await expect.poll(() => received.some((e) => e.type === 'question.submitted')).toBe(true);

    const [onA, onB] = await Promise.all([scrape(a.url), scrape(b.url)]);
    expect(sample(onB, 'dialogue_scale_followed_sessions')).toBeGreaterThanOrEqual(1);
    expect(sample(onB, 'dialogue_scale_tailer_lag_events')).toBe(0);
    expect(
      sample(onB, 'dialogue_scale_tailer_refresh_seconds_count') -
        sample(before, 'dialogue_scale_tailer_refresh_seconds_count'),
    ).toBeGreaterThanOrEqual(1);
    expect(sample(onA, 'dialogue_commands_total', { type: 'question.submit', result: 'ok' })).toBe(1);
    expect(sample(onB, 'dialogue_sockets', { audience: 'staff' })).toBe(1);
  });
});

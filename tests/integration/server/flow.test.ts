import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('a phone asks, the panel and the other phones hear it', () => {
  it('serves /healthz', async () => {
    const res = await server.api('GET', '/healthz');
    expect(res.status).toBe(200);
  });

  it('delivers a published question to the panel and the other phones, a pending one only to staff', async () => {
    const session = await server.createSession({ moderation: 'review' });
    await server.setStatus(session.id, 'live');
    const asker = await server.join(session.joinCode, { name: 'Nguyễn Văn A', group: 3 });
    const other = await server.join(session.joinCode);
    const chair = await server.staffToken('chair', { name: 'Chủ tịch' });

    const panel = await subscribe(await server.connect(chair), session.id);
    const phone = await subscribe(await server.connect(other.token), session.id);
    const askerSocket = await server.connect(asker.token);
    const mine = await subscribe(askerSocket, session.id);

    const questionId = randomUUID();
    const ack = await askerSocket.emitWithAck('command', {
      id: randomUUID(),
      type: 'question.submit',
      sessionId: session.id,
      questionId,
      text: 'Thủ tục cấp giấy phép xây dựng mất bao lâu?',
      fieldId: 'dia-chinh',
      anonymous: true,
    });
    expect(ack.ok).toBe(true);

    await expect.poll(() => panel.received.find((e) => e.type === 'question.submitted')).toBeTruthy();
    const staffView = panel.received.find((e) => e.type === 'question.submitted') as unknown as {
      question: Record<string, unknown>;
    };
    expect(staffView.question.text).toContain('giấy phép');
    // Anonymous: not even staff learn who asked.
    expect(staffView.question.authorId).toBeUndefined();
    expect(staffView.question.authorName).toBeUndefined();
    // The asker sees their own question in full, the other phone only a pending stub.
    await expect.poll(() => mine.received.find((e) => e.type === 'question.submitted')).toBeTruthy();
    expect(
      (
        mine.received.find((e) => e.type === 'question.submitted') as unknown as {
          question: { authorId: string };
        }
      ).question.authorId,
    ).toBe(asker.participantId);
    await expect.poll(() => phone.received.find((e) => e.type === 'question.submitted')).toBeTruthy();
    expect(JSON.stringify(phone.received)).not.toContain('giấy phép');

    const approve = await server.command(chair, {
      type: 'question.approve',
      sessionId: session.id,
      questionIds: [questionId],
    });
    expect(approve.ok).toBe(true);
    await expect.poll(() => JSON.stringify(phone.received)).toContain('giấy phép');
    expect(JSON.stringify(phone.received)).not.toContain(asker.participantId);
  });

  it('gives a resent command one effect and the same seq', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode);
    const socket = await server.connect(phone.token);
    const cmd = {
      id: randomUUID(),
      type: 'question.submit',
      sessionId: session.id,
      questionId: randomUUID(),
      text: 'Hỏi một lần',
    } as const;
    const first = await socket.emitWithAck('command', cmd);
    const again = await socket.emitWithAck('command', cmd);
    expect(first).toMatchObject({ ok: true });
    expect(again).toMatchObject({ ok: true, duplicate: true });
    if (first.ok && again.ok) expect(again.seq).toBe(first.seq);
    const { reply } = await subscribe(socket, session.id);
    expect(reply.ok && reply.mode === 'snapshot' && Object.keys(reply.state.questions)).toHaveLength(1);
  });

  it('lets a client that was offline catch up by seq', async () => {
    const session = await server.createSession({ moderation: 'open' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode);
    const first = await subscribe(await server.connect(phone.token), session.id);
    expect(first.reply.ok).toBe(true);
    const since = first.reply.ok ? first.reply.seq : 0;
    const writer = await server.join(session.joinCode);
    for (let i = 0; i < 3; i++) {
      const ack = await server.command(writer.token, {
        type: 'question.submit',
        sessionId: session.id,
        questionId: randomUUID(),
        text: `Câu hỏi ${i}`,
      });
      expect(ack.ok).toBe(true);
    }
    const later = await subscribe(await server.connect(phone.token), session.id, since);
    expect(later.reply).toMatchObject({ ok: true, mode: 'events' });
    const events = later.reply.ok && later.reply.mode === 'events' ? later.reply.events : [];
    expect(events.filter((e) => e.type === 'question.submitted')).toHaveLength(3);
    expect(events.every((e) => e.seq > since)).toBe(true);
  });

  it('refuses a staff command from an attendee with forbidden and changes nothing', async () => {
    const session = await server.createSession({ moderation: 'review' });
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode);
    const before = await server.app.ctx.sessions.state(session.id);
    const ack = await server.command(phone.token, {
      type: 'session.set_status',
      sessionId: session.id,
      status: 'closed',
    });
    expect(ack).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await server.app.ctx.sessions.state(session.id))?.seq).toBe(before?.seq);
  });

  it('answers bad payloads with typed errors and stays up', async () => {
    const session = await server.createSession();
    await server.setStatus(session.id, 'live');
    const phone = await server.join(session.joinCode);
    const socket = await server.connect(phone.token);
    const send = (cmd: unknown) => socket.emitWithAck('command', cmd as never);
    expect(await send({ id: randomUUID(), type: 'question.explode', sessionId: session.id })).toMatchObject({
      ok: false,
      code: 'unknown_command',
    });
    expect(
      await send({
        id: randomUUID(),
        type: 'question.submit',
        sessionId: session.id,
        questionId: 'q1',
        text: 42,
      }),
    ).toMatchObject({ ok: false, code: 'bad_request' });
    expect(
      await send({
        id: randomUUID(),
        type: 'question.submit',
        sessionId: session.id,
        questionId: 'q1',
        text: 'x'.repeat(1001),
      }),
    ).toMatchObject({ ok: false, code: 'bad_request', params: { max: 1000 } });
    expect(
      await send({
        id: randomUUID(),
        type: 'question.submit',
        sessionId: session.id,
        questionId: 'q1',
        text: '   ',
      }),
    ).toMatchObject({ ok: false, code: 'bad_request' });
    expect(await send('not an object')).toMatchObject({ ok: false, code: 'bad_request' });
    expect(
      await send({
        id: randomUUID(),
        type: 'question.submit',
        sessionId: 'another-session',
        questionId: 'q1',
        text: 'x',
      }),
    ).toMatchObject({ ok: false, code: 'forbidden' });
    // A message over the size limit drops that socket only; the server keeps serving.
    const big = await server.connect(phone.token);
    const closed = new Promise((resolve) => big.once('disconnect', resolve));
    big.emit(
      'command',
      {
        id: 'x',
        type: 'question.submit',
        sessionId: session.id,
        questionId: 'q',
        text: 'x'.repeat(200_000),
      } as never,
      () => {},
    );
    await closed;
    expect((await server.api('GET', '/healthz')).status).toBe(200);
    expect(
      await send({
        id: randomUUID(),
        type: 'question.submit',
        sessionId: session.id,
        questionId: 'q2',
        text: 'Vẫn hỏi được',
      }),
    ).toMatchObject({ ok: true });
  });

  it('keeps one identity when a join is retried with the same device secret', async () => {
    const session = await server.createSession();
    await server.setStatus(session.id, 'collecting');
    const secret = randomBytes(16).toString('base64url');
    const first = await server.join(session.joinCode, { secret, name: 'Trần Thị B' });
    const retry = await server.join(session.joinCode, { secret, name: 'Trần Thị B' });
    expect(retry.participantId).toBe(first.participantId);
    expect((await server.app.ctx.sessions.state(session.id))?.participantCount).toBe(1);
  });

  it('rejects a socket without a valid token', async () => {
    await expect(server.connect('nonsense')).rejects.toThrow(/unauthorized/);
  });
});

/**
 * The figures a phone shows follow the session (issue 14, finding 2): "N người đã tham gia qua điện thoại" grows as
 * others join, on a phone that joined first, and leaves out the paper forms the office enters.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAll } from '../../../shared/domain/apply.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { phonesJoined } from '../../../shared/domain/state.ts';
import { startServer, subscribe, type TestServer } from '../../helpers/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('live figures on a phone', () => {
  it('counts the phones that join after this one, and no paper form', async () => {
    const session = await server.createSession();
    await server.setStatus(session.id, 'live');
    const first = await server.join(session.joinCode, { name: 'Người đến sớm' });
    const phone = await subscribe(await server.connect(first.token), session.id);
    expect(phone.reply.ok && phone.reply.mode === 'snapshot').toBe(true);
    const snapshot = phone.reply.ok && phone.reply.mode === 'snapshot' ? phone.reply.state : undefined;
    expect(phonesJoined(snapshot!)).toBe(1);

    await server.join(session.joinCode);
    await server.join(session.joinCode, { name: 'Lê Văn Ba', group: 2 });
    const secretary = await server.staffToken('secretary');
    const paper = await server.command(secretary, {
      sessionId: session.id,
      type: 'paper_form.enter',
      participantId: randomUUID(),
      name: 'Phiếu giấy',
      questions: [],
      answers: { procedures: 4 },
    });
    expect(paper, JSON.stringify(paper)).toMatchObject({ ok: true });

    // The phone that joined first hears of the others (and of the paper form's entry) and folds them into its count.
    await expect
      .poll(() => phone.received.some((e) => e.type === 'participant.joined' && e.participantCount === 4))
      .toBe(true);
    const live = applyAll(snapshot!, phone.received as unknown as DomainEvent[]);
    expect(phonesJoined(live)).toBe(3);
    // The same figure in a fresh snapshot (a phone that reconnects, or joins now).
    const again = await subscribe(await server.connect(first.token), session.id);
    const fresh = again.reply.ok && again.reply.mode === 'snapshot' ? again.reply.state : undefined;
    expect(phonesJoined(fresh!)).toBe(3);
    // Staff still count every participant, paper included.
    const state = await server.app.ctx.sessions.state(session.id);
    expect(state?.participantCount).toBe(4);
    expect(phonesJoined(state!)).toBe(3);
  });
});

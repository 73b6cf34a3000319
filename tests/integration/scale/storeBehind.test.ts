/**
 * A store that lost events a node had folded (a Redis restored from a backup, or one that lost its data): the long
 * fault run's seed 18 ended with every node's state at seq 717 and the store's head at 498, and from then on no command
 * was ever answered — each append was refused as a conflict, the catch-up read found nothing after 717, and the
 * conflict came again. A node that finds the store behind what it folded must forget its copy and go on from what the
 * store holds (and say so in the log); phones ahead of the node get a snapshot on their next sync (gateway).
 * A real redis-server; the loss is made with COPY … REPLACE of the session's keys as they were earlier.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyAll } from '../../../shared/domain/apply.ts';
import { CommandSchema } from '../../../shared/domain/commands.ts';
import type { DomainEvent } from '../../../shared/domain/events.ts';
import { emptyState } from '../../../shared/domain/state.ts';
import type { Actor } from '../../../shared/domain/types.ts';
import type { Ack } from '../../../shared/protocol.ts';
import { SessionService } from '../../../server/sessions/SessionService.ts';
import type { Store } from '../../../server/store/EventStore.ts';
import { openRedisStore } from '../../../server/store/redis/index.ts';
import { redisKeys } from '../../../server/store/redis/redisKeys.ts';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import { ADMIN, attendee, WARD, type Draft } from '../../unit/domain/fixtures.ts';

let redis: RedisServer;
let store: Store;
const errors: string[] = [];

beforeAll(async () => {
  redis = await startRedis();
  store = await openRedisStore(redis.url, { onError: () => {} });
}, 30_000);

afterAll(async () => {
  await store?.close();
  await redis?.stop();
});

it('goes on from what the store holds when the store lost events the node had folded', async () => {
  const service = new SessionService(store.events, {
    sharedStore: true,
    onError: (err, context) => errors.push(`${context}: ${String(err)}`),
  });
  const sessionId = randomUUID();
  await service.create(
    sessionId,
    { title: 'Đối thoại', date: '2030-06-15', startTime: '08:00', venue: 'Hội trường', moderation: 'open' },
    WARD,
    'LOSTEV',
    ADMIN,
  );
  const send = (actor: Actor, draft: Draft): Promise<Ack> =>
    service.dispatch(CommandSchema.parse({ id: randomUUID(), sessionId, ...draft }), actor);
  const phone = attendee('p1', 'Người dự');
  const ask = (): Draft => ({
    type: 'question.submit',
    questionId: randomUUID(),
    text: 'Thủ tục cấp sổ đỏ mất bao lâu?',
    anonymous: false,
  });
  expect(await send(ADMIN, { type: 'session.set_status', status: 'live' })).toMatchObject({ ok: true });
  expect(
    await send(phone, { type: 'participant.join', participantId: phone.id, name: phone.name }),
  ).toMatchObject({
    ok: true,
  });

  // The backup: the session's keys as they are now.
  const keys = [redisKeys.events(sessionId), redisKeys.commands(sessionId), redisKeys.snapshot(sessionId)];
  const admin = createClient({ url: redis.url });
  await admin.connect();
  try {
    for (const key of keys) await admin.sendCommand(['COPY', key, `${key}:backup`]);
    const backupHead = await store.events.head(sessionId);
    for (let i = 0; i < 3; i++) expect(await send(phone, ask())).toMatchObject({ ok: true });
    expect((await service.state(sessionId))?.seq).toBeGreaterThan(backupHead);

    // The store goes back to the backup (what was not in it is gone).
    for (const key of keys) {
      await admin.del(key);
      await admin.sendCommand(['COPY', `${key}:backup`, key]);
    }
    expect(await store.events.head(sessionId)).toBe(backupHead);
    // A sync (a phone's catch-up) is answered from what the store holds, not from the node's lost copy.
    expect((await service.catchUp(sessionId, 0))?.state.seq).toBe(backupHead);

    // A phone sends (and resends, as the app does on a retryable refusal) a command.
    const command = CommandSchema.parse({ id: randomUUID(), sessionId, ...ask() });
    let ack = await service.dispatch(command, phone);
    for (let tries = 1; !ack.ok && tries < 3; tries++) ack = await service.dispatch(command, phone);
    expect(ack).toMatchObject({ ok: true, seq: backupHead + 1 });
    const log = (await store.events.read(sessionId, 0)) as unknown as DomainEvent[];
    expect(await service.state(sessionId)).toEqual(applyAll(emptyState(sessionId), log));
    expect(errors.join('\n')).toMatch(/behind/);
  } finally {
    await admin.quit();
  }
});

/**
 * What read-your-writes costs a sync in scale-out: `SessionService.catchUp` (the state a `sync` is answered from)
 * with and without the head read (`sharedStore`), on one real redis-server, for a session whose cache is current —
 * the common case, where the read finds nothing to catch up and its round trip is the whole cost. The two services
 * alternate call by call, so the machine's load falls on both alike.
 */
import { randomUUID } from 'node:crypto';
import { CommandSchema } from '../shared/domain/commands.ts';
import { SessionService } from '../server/sessions/SessionService.ts';
import { openRedisStore } from '../server/store/redis/index.ts';
import { startRedis } from '../tests/helpers/redisServer.ts';
import { ADMIN, attendee, WARD } from '../tests/unit/domain/fixtures.ts';
import { summarise, type Summary } from './lib/stats.ts';

export interface ReadHeadResult {
  calls: number;
  /** catchUp without the head read (embedded mode's path), ms. */
  cached: Summary;
  /** catchUp with the head read (scale-out), ms. */
  fresh: Summary;
}

export async function readHeadFigure(calls: number): Promise<ReadHeadResult> {
  const redis = await startRedis();
  const store = await openRedisStore(redis.url, { onError: () => {} });
  try {
    const cachedService = new SessionService(store.events);
    const freshService = new SessionService(store.events, { sharedStore: true });
    const sessionId = randomUUID();
    const input = {
      title: 'Đối thoại',
      date: '2030-06-15',
      startTime: '08:00',
      venue: 'Hội trường',
    } as const;
    await cachedService.create(sessionId, { ...input, moderation: 'open' }, WARD, 'BENCH1', ADMIN);
    await cachedService.dispatch(
      CommandSchema.parse({ id: randomUUID(), sessionId, type: 'session.set_status', status: 'live' }),
      ADMIN,
    );
    for (let i = 0; i < 50; i++) {
      const phone = attendee(`p${i}`, `Người ${i}`);
      await cachedService.dispatch(
        CommandSchema.parse({
          id: randomUUID(),
          sessionId,
          type: 'participant.join',
          participantId: phone.id,
        }),
        phone,
      );
    }
    await freshService.state(sessionId);
    const head = (await cachedService.state(sessionId))?.seq ?? 0;
    const cached: number[] = [];
    const fresh: number[] = [];
    for (let i = 0; i < calls + 100; i++) {
      for (const [service, samples] of [
        [cachedService, cached],
        [freshService, fresh],
      ] as const) {
        const t0 = performance.now();
        const view = await service.catchUp(sessionId, head);
        const took = performance.now() - t0;
        if (view?.state.seq !== head) throw new Error('the session moved during the measurement');
        if (i >= 100) samples.push(took); // the first 100 warm up
      }
    }
    return { calls, cached: summarise(cached), fresh: summarise(fresh) };
  } finally {
    await store.close();
    await redis.stop();
  }
}

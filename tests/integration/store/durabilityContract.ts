import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import type { ContractContext } from './storeContract.ts';

export function durabilityContract({ opened }: ContractContext): void {
  it('keeps events, command ids, snapshots, documents and ydocs across close and reopen', async (context) => {
    const { store, reopen } = opened();
    if (!reopen) {
      context.skip('this backend cannot be reopened');
      return;
    }
    const session = randomUUID();
    const commandId = randomUUID();
    const docName = randomUUID();
    await store.events.append(session, 0, randomUUID(), [
      { type: 'session.opened', title: 'Đối thoại 6 tháng đầu năm' },
    ]);
    await store.events.append(session, 1, commandId, [
      { type: 'hand.raised', topic: 'Hộ tịch' },
      { type: 'x' },
    ]);
    await store.events.saveSnapshot(session, { seq: 1, state: { open: true } });
    await store.docs.put('users', 'admin', { role: 'admin' });
    await store.ydocs.appendUpdate(docName, Uint8Array.from([1, 2, 3]));
    await store.ydocs.compact(docName, Uint8Array.from([7]), 1);
    await store.ydocs.appendUpdate(docName, Uint8Array.from([4, 5]));
    const events = await store.events.read(session, 0);
    await store.close();

    const again = await reopen();
    expect(await again.events.read(session, 0)).toEqual(events);
    expect(await again.events.head(session)).toBe(3);
    expect(await again.events.sessionIds()).toEqual([session]);
    expect(await again.events.commandSeq(session, commandId)).toBe(3);
    expect(await again.events.append(session, 0, commandId, [])).toEqual({
      ok: true,
      seq: 3,
      duplicate: true,
    });
    expect(await again.events.append(session, 1, randomUUID(), [])).toMatchObject({ ok: false, headSeq: 3 });
    expect(await again.events.append(session, 3, randomUUID(), [{ type: 'y' }])).toMatchObject({
      ok: true,
      seq: 4,
    });
    expect(await again.events.loadSnapshot(session)).toEqual({ seq: 1, state: { open: true } });
    expect(await again.docs.get('users', 'admin')).toEqual({ role: 'admin' });
    expect((await again.ydocs.loadUpdates(docName)).map((update) => [...update])).toEqual([[7], [4, 5]]);
  });
}

/** AccountWatch: a changed account's connections close, whether the change is announced or found by the sweep. */
import { describe, expect, it } from 'vitest';
import { AccountWatch } from '../../server/auth/AccountWatch.ts';

function watch(versions: Map<string, number | null>) {
  return new AccountWatch({ lookup: async (u) => versions.get(u) ?? null, sweepMs: 0 });
}

describe('AccountWatch', () => {
  it('closes the connections of an older version when a change is announced, and only those', () => {
    const accounts = watch(new Map());
    const closed: string[] = [];
    accounts.track('chair', 1, () => closed.push('old'));
    accounts.track('chair', 2, () => closed.push('current'));
    accounts.track('secretary', 1, () => closed.push('other account'));
    accounts.changed('chair', 2);
    expect(closed).toEqual(['old']);
    expect(accounts.isCurrent('chair', 1)).toBe(false);
    expect(accounts.isCurrent('chair', 2)).toBe(true);
  });

  it('closes at once a connection opened with a version older than one already announced', () => {
    const accounts = watch(new Map());
    accounts.changed('chair', 3);
    let closed = 0;
    accounts.track('chair', 2, () => closed++);
    expect(closed).toBe(1);
  });

  it('finds a change whose announcement was lost when it sweeps, and a disabled account', async () => {
    const versions = new Map<string, number | null>([
      ['chair', 1],
      ['secretary', 0],
    ]);
    const accounts = watch(versions);
    const closed: string[] = [];
    accounts.track('chair', 1, () => closed.push('chair'));
    accounts.track('secretary', 0, () => closed.push('secretary'));
    await accounts.sweep();
    expect(closed).toEqual([]);
    versions.set('chair', 2);
    versions.set('secretary', null);
    await accounts.sweep();
    expect(closed.sort()).toEqual(['chair', 'secretary']);
  });

  it('verifies against the store even before any announcement', async () => {
    const versions = new Map<string, number | null>([['chair', 4]]);
    const accounts = watch(versions);
    let closed = 0;
    accounts.track('chair', 3, () => closed++);
    expect(await accounts.verify('chair', 4)).toBe(true);
    expect(await accounts.verify('chair', 3)).toBe(false);
    expect(closed).toBe(1);
  });

  it('never calls a connection back after it ended by itself', () => {
    const accounts = watch(new Map());
    let closed = 0;
    const untrack = accounts.track('chair', 1, () => closed++);
    untrack();
    accounts.changed('chair', 2);
    expect(closed).toBe(0);
  });
});

import { expect, it } from 'vitest';
import type { ContractContext } from './storeContract.ts';

interface User {
  name: string;
  role: string;
  fieldIds?: string[];
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function documentStoreContract({ store }: ContractContext): void {
  it('gets what was put, overwrites it and deletes it', async () => {
    const { docs } = store();
    expect(await docs.get<User>('users', 'lan')).toBeNull();
    expect(await docs.put<User>('users', 'lan', { name: 'Trần Thị Lan', role: 'secretary' })).toBe(true);
    expect(await docs.get<User>('users', 'lan')).toEqual({ name: 'Trần Thị Lan', role: 'secretary' });
    expect(
      await docs.put<User>('users', 'lan', { name: 'Trần Thị Lan', role: 'chair', fieldIds: ['tu-phap'] }),
    ).toBe(true);
    expect(await docs.get<User>('users', 'lan')).toEqual({
      name: 'Trần Thị Lan',
      role: 'chair',
      fieldIds: ['tu-phap'],
    });
    await docs.delete('users', 'lan');
    expect(await docs.get<User>('users', 'lan')).toBeNull();
    await expect(docs.delete('users', 'nobody')).resolves.toBeUndefined();
  });

  it('writes with onlyIfAbsent only when the key is new', async () => {
    const { docs } = store();
    expect(await docs.put('joinCodes', '482913', 'session-1', { onlyIfAbsent: true })).toBe(true);
    expect(await docs.put('joinCodes', '482913', 'session-2', { onlyIfAbsent: true })).toBe(false);
    expect(await docs.get<string>('joinCodes', '482913')).toBe('session-1');
    await docs.delete('joinCodes', '482913');
    expect(await docs.put('joinCodes', '482913', 'session-3', { onlyIfAbsent: true })).toBe(true);
    expect(await docs.get<string>('joinCodes', '482913')).toBe('session-3');
  });

  it('lets only one of 20 racing onlyIfAbsent writers win', async () => {
    const { docs } = store();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, writer) =>
        docs.put('secrets', 'auth', { writer }, { onlyIfAbsent: true }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await docs.get('secrets', 'auth')).toEqual({ writer: results.indexOf(true) });
  });

  it('lists every key of a collection and nothing of other collections', async () => {
    const { docs } = store();
    expect(await docs.list('users')).toEqual([]);
    const users: Array<{ key: string; value: User }> = [
      { key: 'admin', value: { name: 'Quản trị', role: 'admin' } },
      { key: 'chu-tich', value: { name: 'Lê Văn Hùng', role: 'chair' } },
      { key: 'thư ký', value: { name: 'Phạm Thu', role: 'secretary' } },
      // A key that is special to plain JS objects must survive like any other.
      { key: '__proto__', value: { name: 'Edge', role: 'official' } },
    ];
    for (const { key, value } of users) await docs.put('users', key, value);
    await docs.put('wardProfile', 'admin', { name: 'Phường Bến Thành' });
    expect((await docs.list<User>('users')).sort(byKey)).toEqual([...users].sort(byKey));
    await docs.delete('users', 'admin');
    expect((await docs.list<User>('users')).map((entry) => entry.key).sort()).toEqual(
      ['__proto__', 'chu-tich', 'thư ký'].sort(),
    );
  });

  it('round-trips JSON values of every kind', async () => {
    const { docs } = store();
    const values: unknown[] = [0, 42.5, 'chuỗi', true, false, [1, [2, [3]]], { a: { b: { c: 'đ' } } }, ''];
    for (const [index, value] of values.entries()) await docs.put('values', String(index), value);
    for (const [index, value] of values.entries())
      expect(await docs.get('values', String(index))).toEqual(value);
    await expect(docs.put('values', 'nothing', undefined)).rejects.toThrow(TypeError);
  });
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from '../../../server/store/EventStore.ts';
import { openSqliteStore, SQLITE_FILE_NAME } from '../../../server/store/sqlite/index.ts';
import { openDatabase } from '../../../server/store/sqlite/schema.ts';
import { describeStoreContract } from './storeContract.ts';

describeStoreContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dialogue-board-sqlite-'));
  const opened: Store[] = [];
  const track = (store: Store) => {
    opened.push(store);
    return store;
  };
  return {
    store: track(openSqliteStore(dir)),
    reopen: async () => track(openSqliteStore(dir)),
    async cleanup() {
      for (const store of opened) await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});

describe('sqlite store file', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('creates a missing data dir and opens the file in WAL mode with synchronous=FULL', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dialogue-board-sqlite-'));
    dirs.push(root);
    const dataDir = join(root, 'nested', 'data');
    const store = openSqliteStore(dataDir);
    await store.events.append('s', 0, 'c', [{ type: 'x' }]);
    await store.close();
    const db = new Database(join(dataDir, SQLITE_FILE_NAME), { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(2);
    } finally {
      db.close();
    }
  });

  it('sets synchronous=FULL and a busy timeout on its own connection', () => {
    const root = mkdtempSync(join(tmpdir(), 'dialogue-board-sqlite-'));
    dirs.push(root);
    // synchronous and busy_timeout are per connection, so they are read on a connection the store's code opened.
    const probe = openDatabase(join(root, SQLITE_FILE_NAME));
    try {
      expect(probe.pragma('synchronous', { simple: true })).toBe(2);
      expect(probe.pragma('busy_timeout', { simple: true })).toBe(5000);
    } finally {
      probe.close();
    }
  });

  it('migrates a file of schema version 1: its minutes stay, and they can be sealed', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dialogue-board-sqlite-'));
    dirs.push(root);
    const store = openSqliteStore(root);
    await store.ydocs.appendUpdate('minutes:s', Uint8Array.from([7]));
    await store.close();
    const db = new Database(join(root, SQLITE_FILE_NAME));
    db.exec('DROP TABLE ydoc_seals');
    db.pragma('user_version = 1');
    db.close();
    const reopened = openSqliteStore(root);
    try {
      expect((await reopened.ydocs.loadUpdates('minutes:s')).map((u) => [...u])).toEqual([[7]]);
      await reopened.ydocs.seal('minutes:s');
      expect(await reopened.ydocs.isSealed('minutes:s')).toBe(true);
    } finally {
      await reopened.close();
    }
  });

  it('refuses a file written by a newer schema instead of guessing', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dialogue-board-sqlite-'));
    dirs.push(root);
    await openSqliteStore(root).close();
    const db = new Database(join(root, SQLITE_FILE_NAME));
    db.pragma('user_version = 99');
    db.close();
    expect(() => openSqliteStore(root)).toThrow(/schema version 99/);
  });
});

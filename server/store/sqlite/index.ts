import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../EventStore.ts';
import { openDatabase } from './schema.ts';
import { SqliteDocumentStore } from './SqliteDocumentStore.ts';
import { SqliteEventStore } from './SqliteEventStore.ts';
import { SqliteYDocStore } from './SqliteYDocStore.ts';

export const SQLITE_FILE_NAME = 'dialogue-board.sqlite';

/** The embedded default store: one SQLite file in `dataDir`, created with the directory when missing. */
export function openSqliteStore(dataDir: string): Store {
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(join(dataDir, SQLITE_FILE_NAME));
  return {
    events: new SqliteEventStore(db),
    docs: new SqliteDocumentStore(db),
    ydocs: new SqliteYDocStore(db),
    async close() {
      db.close();
    },
  };
}

import { join } from 'node:path';
import type { Store } from '../EventStore.ts';
import { ensurePrivateDir, ensurePrivateFile } from '../privateFiles.ts';
import { openDatabase } from './schema.ts';
import { SqliteDocumentStore } from './SqliteDocumentStore.ts';
import { SqliteEventStore } from './SqliteEventStore.ts';
import { SqliteYDocStore } from './SqliteYDocStore.ts';

export const SQLITE_FILE_NAME = 'dialogue-board.sqlite';

/**
 * The embedded default store: one SQLite file in `dataDir`, created with the directory when missing — both
 * readable by this user only, as the file holds password hashes and the token-signing key.
 */
export function openSqliteStore(dataDir: string): Store {
  ensurePrivateDir(dataDir);
  const file = join(dataDir, SQLITE_FILE_NAME);
  ensurePrivateFile(file);
  const db = openDatabase(file);
  return {
    events: new SqliteEventStore(db),
    docs: new SqliteDocumentStore(db),
    ydocs: new SqliteYDocStore(db),
    async close() {
      db.close();
    },
  };
}

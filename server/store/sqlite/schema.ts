import Database from 'better-sqlite3';

const SCHEMA_V1 = `
  -- head is kept here, not computed with MAX(seq), so the conflict check and sessionIds() are O(1) lookups.
  CREATE TABLE sessions (
    session_id TEXT PRIMARY KEY,
    head INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE events (
    session_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (session_id, seq)
  ) WITHOUT ROWID;

  CREATE TABLE commands (
    session_id TEXT NOT NULL,
    command_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (session_id, command_id)
  ) WITHOUT ROWID;

  CREATE TABLE snapshots (
    session_id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    json TEXT NOT NULL
  );

  CREATE TABLE documents (
    collection TEXT NOT NULL,
    key TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (collection, key)
  );

  -- position orders a document's updates. It is per document (not a global rowid) so that compaction can give the
  -- merged update the position of the last update it replaces, which sorts it before every update that remains.
  CREATE TABLE ydoc_updates (
    doc TEXT NOT NULL,
    position INTEGER NOT NULL,
    bytes BLOB NOT NULL,
    PRIMARY KEY (doc, position)
  );
`;

/** Sealed (approved) documents: an append to one of them is refused (SqliteYDocStore). */
const SCHEMA_V2 = `
  CREATE TABLE ydoc_seals (
    doc TEXT PRIMARY KEY
  ) WITHOUT ROWID;
`;

/** MIGRATIONS[v] brings a file at version v to v + 1; `migrate` runs the steps a file has not seen yet. */
const MIGRATIONS = [SCHEMA_V1, SCHEMA_V2];
const SCHEMA_VERSION = MIGRATIONS.length;

export function openDatabase(file: string): Database.Database {
  const db = new Database(file);
  try {
    // WAL lets reads run while a write commits; synchronous=FULL fsyncs the WAL on every commit, so an append has
    // reached the disk when it resolves (NORMAL would lose the last commits on power loss).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // A second process (a backup, the sqlite3 shell) may hold the lock briefly; wait instead of failing with BUSY.
    db.pragma('busy_timeout = 5000');
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true });
  if (version === SCHEMA_VERSION) return;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0 || version > SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${String(version)} is not supported (expected ${SCHEMA_VERSION})`,
    );
  }
  db.transaction(() => {
    for (const step of MIGRATIONS.slice(version)) db.exec(step);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

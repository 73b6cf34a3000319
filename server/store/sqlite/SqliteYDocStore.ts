import type Database from 'better-sqlite3';
import { DocumentSealedError, type YDocStore } from '../EventStore.ts';
import { assertSeq, toUint8Array } from '../storeArguments.ts';

export class SqliteYDocStore implements YDocStore {
  readonly #append: Database.Statement<[string, Uint8Array, string]>;
  readonly #load: Database.Statement<[string], Buffer>;
  readonly #headPositions: Database.Statement<[string, number], number>;
  readonly #firstPosition: Database.Statement<[string], number | null>;
  readonly #deleteThrough: Database.Statement<[string, number]>;
  readonly #insertAt: Database.Statement<[string, number, Uint8Array]>;
  readonly #compactTransaction: Database.Transaction<
    (docName: string, merged: Uint8Array, replacedCount: number) => void
  >;
  readonly #sealed: Database.Statement<[string], number>;
  readonly #seal: Database.Statement<[string]>;
  /** The seal check and the append under one write lock: no append lands after a seal. */
  readonly #appendTransaction: Database.Transaction<(docName: string, update: Uint8Array) => void>;

  constructor(db: Database.Database) {
    // Position is computed inside the INSERT, which runs under SQLite's write lock: no two appends get the same one.
    this.#append = db.prepare<[string, Uint8Array, string]>(
      `INSERT INTO ydoc_updates (doc, position, bytes)
       SELECT ?, COALESCE(MAX(position), 0) + 1, ? FROM ydoc_updates WHERE doc = ?`,
    );
    this.#load = db
      .prepare<[string], Buffer>('SELECT bytes FROM ydoc_updates WHERE doc = ? ORDER BY position')
      .pluck();
    this.#headPositions = db
      .prepare<[string, number], number>(
        'SELECT position FROM ydoc_updates WHERE doc = ? ORDER BY position LIMIT ?',
      )
      .pluck();
    this.#firstPosition = db
      .prepare<[string], number | null>('SELECT MIN(position) FROM ydoc_updates WHERE doc = ?')
      .pluck();
    this.#deleteThrough = db.prepare<[string, number]>(
      'DELETE FROM ydoc_updates WHERE doc = ? AND position <= ?',
    );
    this.#insertAt = db.prepare<[string, number, Uint8Array]>(
      'INSERT INTO ydoc_updates (doc, position, bytes) VALUES (?, ?, ?)',
    );
    this.#compactTransaction = db.transaction(this.#compactNow.bind(this));
    this.#sealed = db.prepare<[string], number>('SELECT 1 FROM ydoc_seals WHERE doc = ?').pluck();
    this.#seal = db.prepare<[string]>('INSERT OR IGNORE INTO ydoc_seals (doc) VALUES (?)');
    this.#appendTransaction = db.transaction((docName: string, update: Uint8Array) => {
      if (this.#sealed.get(docName) !== undefined) throw new DocumentSealedError(docName);
      this.#append.run(docName, update, docName);
    });
  }

  async appendUpdate(docName: string, update: Uint8Array): Promise<void> {
    this.#appendTransaction.immediate(docName, update);
  }

  async seal(docName: string): Promise<void> {
    this.#seal.run(docName);
  }

  async isSealed(docName: string): Promise<boolean> {
    return this.#sealed.get(docName) !== undefined;
  }

  async loadUpdates(docName: string): Promise<Uint8Array[]> {
    return this.#load.all(docName).map(toUint8Array);
  }

  async compact(docName: string, merged: Uint8Array, replacedCount: number): Promise<void> {
    assertSeq('replacedCount', replacedCount);
    this.#compactTransaction.immediate(docName, merged, replacedCount);
  }

  #compactNow(docName: string, merged: Uint8Array, replacedCount: number): void {
    const replaced = this.#headPositions.all(docName, replacedCount);
    const lastReplaced = replaced.at(-1);
    if (lastReplaced === undefined) {
      // Nothing replaced: the merged state goes in front of whatever is stored.
      const first = this.#firstPosition.get(docName) ?? null;
      this.#insertAt.run(docName, first === null ? 1 : first - 1, merged);
      return;
    }
    this.#deleteThrough.run(docName, lastReplaced);
    this.#insertAt.run(docName, lastReplaced, merged);
  }
}

import type Database from 'better-sqlite3';
import type { DocumentStore } from '../EventStore.ts';
import { toJson } from '../storeArguments.ts';

interface DocumentRow {
  key: string;
  json: string;
}

export class SqliteDocumentStore implements DocumentStore {
  readonly #select: Database.Statement<[string, string], string>;
  readonly #upsert: Database.Statement<[string, string, string]>;
  readonly #insertIfAbsent: Database.Statement<[string, string, string]>;
  readonly #delete: Database.Statement<[string, string]>;
  readonly #list: Database.Statement<[string], DocumentRow>;

  constructor(db: Database.Database) {
    this.#select = db
      .prepare<[string, string], string>('SELECT json FROM documents WHERE collection = ? AND key = ?')
      .pluck();
    this.#upsert = db.prepare<[string, string, string]>(
      `INSERT INTO documents (collection, key, json) VALUES (?, ?, ?)
       ON CONFLICT (collection, key) DO UPDATE SET json = excluded.json`,
    );
    this.#insertIfAbsent = db.prepare<[string, string, string]>(
      'INSERT INTO documents (collection, key, json) VALUES (?, ?, ?) ON CONFLICT (collection, key) DO NOTHING',
    );
    this.#delete = db.prepare<[string, string]>('DELETE FROM documents WHERE collection = ? AND key = ?');
    this.#list = db.prepare<[string], DocumentRow>(
      'SELECT key, json FROM documents WHERE collection = ? ORDER BY key',
    );
  }

  async get<T>(collection: string, key: string): Promise<T | null> {
    const json = this.#select.get(collection, key);
    return json === undefined ? null : parse<T>(json);
  }

  async put<T>(
    collection: string,
    key: string,
    value: T,
    options?: { onlyIfAbsent?: boolean },
  ): Promise<boolean> {
    const statement = options?.onlyIfAbsent ? this.#insertIfAbsent : this.#upsert;
    return statement.run(collection, key, toJson(value)).changes === 1;
  }

  async delete(collection: string, key: string): Promise<void> {
    this.#delete.run(collection, key);
  }

  async list<T>(collection: string): Promise<Array<{ key: string; value: T }>> {
    return this.#list.all(collection).map((row) => ({ key: row.key, value: parse<T>(row.json) }));
  }
}

/** The interface leaves validation of T to the caller (it knows the schema); the store only round-trips JSON. */
function parse<T>(json: string): T {
  return JSON.parse(json);
}

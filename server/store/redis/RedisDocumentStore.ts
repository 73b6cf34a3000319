import { RESP_TYPES } from 'redis';
import type { DocumentStore } from '../EventStore.ts';
import { toJson } from '../storeArguments.ts';
import { redisKeys } from './redisKeys.ts';
import type { StoreClient } from './redisClient.ts';

/** One hash per collection: field = key, value = JSON. */
export class RedisDocumentStore implements DocumentStore {
  readonly #client: StoreClient;
  // HGETALL's default reply is a plain object, where a key named "__proto__" would vanish; a Map keeps every key.
  readonly #mapClient;

  constructor(client: StoreClient) {
    this.#client = client;
    this.#mapClient = client.withTypeMapping({ [RESP_TYPES.MAP]: Map });
  }

  async get<T>(collection: string, key: string): Promise<T | null> {
    const json = await this.#client.hGet(redisKeys.documents(collection), key);
    return json === null ? null : parse<T>(json);
  }

  async put<T>(
    collection: string,
    key: string,
    value: T,
    options?: { onlyIfAbsent?: boolean },
  ): Promise<boolean> {
    const hash = redisKeys.documents(collection);
    const json = toJson(value);
    if (options?.onlyIfAbsent) return (await this.#client.hSetNX(hash, key, json)) === 1;
    await this.#client.hSet(hash, key, json);
    return true;
  }

  async delete(collection: string, key: string): Promise<void> {
    await this.#client.hDel(redisKeys.documents(collection), key);
  }

  async list<T>(collection: string): Promise<Array<{ key: string; value: T }>> {
    const entries = await this.#mapClient.hGetAll(redisKeys.documents(collection));
    return [...entries]
      .map(([key, json]) => ({ key: String(key), value: parse<T>(String(json)) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/** The interface leaves validation of T to the caller (it knows the schema); the store only round-trips JSON. */
function parse<T>(json: string): T {
  return JSON.parse(json);
}

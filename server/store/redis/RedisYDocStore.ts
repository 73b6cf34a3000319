import { RESP_TYPES } from 'redis';
import type { YDocStore } from '../EventStore.ts';
import { assertSeq, toUint8Array } from '../storeArguments.ts';
import { redisKeys } from './redisKeys.ts';
import type { StoreClient } from './redisClient.ts';

/** One list of binary updates per document, the compacted state first. */
export class RedisYDocStore implements YDocStore {
  readonly #client: StoreClient;
  // By default node-redis decodes bulk strings as UTF-8 text, which mangles Yjs updates; this view returns Buffers.
  readonly #binaryClient;

  constructor(client: StoreClient) {
    this.#client = client;
    this.#binaryClient = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  }

  async appendUpdate(docName: string, update: Uint8Array): Promise<void> {
    await this.#client.rPush(redisKeys.ydocUpdates(docName), asBuffer(update));
  }

  async loadUpdates(docName: string): Promise<Uint8Array[]> {
    const updates = await this.#binaryClient.lRange(redisKeys.ydocUpdates(docName), 0, -1);
    return updates.map(toUint8Array);
  }

  async compact(docName: string, merged: Uint8Array, replacedCount: number): Promise<void> {
    assertSeq('replacedCount', replacedCount);
    await this.#client.compactUpdates(redisKeys.ydocUpdates(docName), asBuffer(merged), replacedCount);
  }
}

/** node-redis sends Buffers as bytes but would stringify a plain Uint8Array; wrap without copying. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

import { RESP_TYPES } from 'redis';
import { DocumentSealedError, type YDocStore } from '../EventStore.ts';
import { assertSeq, toUint8Array } from '../storeArguments.ts';
import { redisKeys } from './redisKeys.ts';
import type { StoreClient } from './redisClient.ts';

/**
 * One list of binary updates per document, the compacted state first.
 *
 * Several nodes may compact one document (scale-out). `compact` trims by count, which is right only if the head of
 * the list is still what the caller loaded: each load notes the document's compaction epoch, and a compaction whose
 * load predates another compaction is skipped — the updates stay as they are, and a later compaction merges them.
 */
export class RedisYDocStore implements YDocStore {
  readonly #client: StoreClient;
  // By default node-redis decodes bulk strings as UTF-8 text, which mangles Yjs updates; this view returns Buffers.
  readonly #binaryClient;
  /**
   * Per document: the epoch each load saw, by the number of updates it returned (the `replacedCount` a compaction of
   * that load passes). The oldest epoch is kept when two loads returned the same count, so a doubt skips.
   */
  readonly #loads = new Map<string, Map<number, string>>();

  constructor(client: StoreClient) {
    this.#client = client;
    this.#binaryClient = client.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  }

  async appendUpdate(docName: string, update: Uint8Array): Promise<void> {
    const keys = { updates: redisKeys.ydocUpdates(docName), sealed: redisKeys.ydocSealed(docName) };
    if (!(await this.#client.appendUpdate(keys, asBuffer(update)))) throw new DocumentSealedError(docName);
  }

  async seal(docName: string): Promise<void> {
    await this.#client.set(redisKeys.ydocSealed(docName), '1');
  }

  async isSealed(docName: string): Promise<boolean> {
    return (await this.#client.exists(redisKeys.ydocSealed(docName))) === 1;
  }

  async loadUpdates(docName: string): Promise<Uint8Array[]> {
    // The epoch before the updates (same connection, so Redis runs them in this order): a compaction in between
    // makes the epoch look old, and the compaction of this load is skipped — never the other way round.
    const [epoch, updates] = await Promise.all([
      this.#client.get(redisKeys.ydocEpoch(docName)),
      this.#binaryClient.lRange(redisKeys.ydocUpdates(docName), 0, -1),
    ]);
    const loads = this.#loads.get(docName) ?? new Map<number, string>();
    if (!loads.has(updates.length)) loads.set(updates.length, epoch ?? '0');
    this.#loads.set(docName, loads);
    return updates.map(toUint8Array);
  }

  async compact(docName: string, merged: Uint8Array, replacedCount: number): Promise<void> {
    assertSeq('replacedCount', replacedCount);
    const epoch = this.#loads.get(docName)?.get(replacedCount);
    this.#loads.delete(docName);
    // No load of that size through this instance (a caller that knows the rows otherwise): compact unconditionally.
    const keys = { updates: redisKeys.ydocUpdates(docName), epoch: redisKeys.ydocEpoch(docName) };
    await this.#client.compactUpdates(keys, asBuffer(merged), replacedCount, epoch ?? '');
  }
}

/** node-redis sends Buffers as bytes but would stringify a plain Uint8Array; wrap without copying. */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../../server/store/EventStore.ts';
import { documentStoreContract } from './documentStoreContract.ts';
import { eventStoreContract } from './eventStoreContract.ts';
import { durabilityContract } from './durabilityContract.ts';
import { yDocStoreContract } from './yDocStoreContract.ts';

export interface OpenedStore {
  /** A store with no data in it: the suite asserts on `sessionIds()` of a fresh store. */
  store: Store;
  /** Opens the same data again after `store.close()` — a restart of the process (and, for Redis, of the server). */
  reopen?: () => Promise<Store>;
  /** Closes every store `open` and `reopen` returned and removes the data; called after each test. */
  cleanup: () => Promise<void>;
}

/** Accessors handed to the parts of the suite: the store of the running test and how it was opened. */
export interface ContractContext {
  store(): Store;
  opened(): OpenedStore;
}

/** The behaviour every backend must have (STYLE.md "one contract"); each backend's test file calls this once. */
export function describeStoreContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} store contract`, () => {
    let current: OpenedStore | undefined;
    const context: ContractContext = {
      opened() {
        if (!current) throw new Error('no store opened for this test');
        return current;
      },
      store() {
        return context.opened().store;
      },
    };

    beforeEach(async () => {
      current = await open();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });

    describe('events', () => eventStoreContract(context));
    describe('documents', () => documentStoreContract(context));
    describe('ydocs', () => yDocStoreContract(context));
    describe('durability', () => durabilityContract(context));
  });
}

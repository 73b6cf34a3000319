import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocumentSealedError, type YDocStore } from '../../../server/store/EventStore.ts';
import type { ContractContext } from './storeContract.ts';

/** A minutes-like Y.Doc whose every update is recorded, in the order Yjs emitted them. */
function recordedDoc(): { doc: Y.Doc; updates: Uint8Array[] } {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, updates };
}

function contentOf(doc: Y.Doc): unknown {
  return { body: doc.getText('body').toString(), meta: doc.getMap('meta').toJSON() };
}

function rebuild(updates: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of updates) Y.applyUpdate(doc, update);
  return doc;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

async function appendAll(ydocs: YDocStore, docName: string, updates: Uint8Array[]): Promise<void> {
  for (const update of updates) await ydocs.appendUpdate(docName, update);
}

export function yDocStoreContract({ store }: ContractContext): void {
  it('returns the updates in write order, byte for byte', async () => {
    const { ydocs } = store();
    const docName = randomUUID();
    const everyByte = Uint8Array.from({ length: 256 }, (_, index) => index);
    // Not valid UTF-8: a backend that decodes replies as text would mangle these.
    const notText = Uint8Array.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
    const large = Uint8Array.from({ length: 200_000 }, (_, index) => (index * 31) % 256);
    expect(await ydocs.loadUpdates(docName)).toEqual([]);
    await appendAll(ydocs, docName, [everyByte, notText, large]);
    const loaded = await ydocs.loadUpdates(docName);
    expect(loaded.map((update) => update.constructor)).toEqual([Uint8Array, Uint8Array, Uint8Array]);
    expect(loaded.map(hex)).toEqual([everyByte, notText, large].map(hex));
    expect(await ydocs.loadUpdates(randomUUID())).toEqual([]);
  });

  it('stores real Yjs updates that rebuild the document', async () => {
    const { ydocs } = store();
    const docName = randomUUID();
    const { doc, updates } = recordedDoc();
    doc.getText('body').insert(0, 'BIÊN BẢN HỘI NGHỊ ĐỐI THOẠI\n');
    doc.getMap('meta').set('chairman', 'Ông Lê Văn Hùng');
    doc.getText('body').insert(doc.getText('body').length, 'Thời gian: 8 giờ 00 phút.\n');
    doc.getText('body').delete(0, 4);
    await appendAll(ydocs, docName, updates);
    const loaded = await ydocs.loadUpdates(docName);
    expect(loaded).toHaveLength(updates.length);
    expect(contentOf(rebuild(loaded))).toEqual(contentOf(doc));
  });

  it('compacts: the merged state comes first and later updates follow it in order', async () => {
    const { ydocs } = store();
    const docName = randomUUID();
    const { doc, updates } = recordedDoc();
    const body = doc.getText('body');
    for (const line of ['Khai mạc.\n', 'Thông qua chương trình.\n', 'Báo cáo cải cách hành chính.\n']) {
      body.insert(body.length, line);
    }
    await appendAll(ydocs, docName, updates);
    const compacted = await ydocs.loadUpdates(docName);
    const merged = Y.mergeUpdates(compacted);

    // Written after the compactor loaded but before it compacted: must survive, after the merged state.
    body.insert(body.length, 'Ý kiến của công dân.\n');
    await ydocs.appendUpdate(docName, updates.at(-1) ?? new Uint8Array());
    await ydocs.compact(docName, merged, compacted.length);

    body.insert(body.length, 'Kết luận của Chủ tịch.\n');
    doc.getMap('meta').set('secretary', 'Bà Phạm Thu');
    const later = updates.slice(compacted.length);
    await appendAll(ydocs, docName, later.slice(1));

    const loaded = await ydocs.loadUpdates(docName);
    // Order is checked on the bytes: Yjs would converge even from a wrong order, so content alone proves nothing.
    expect(loaded.map(hex)).toEqual([merged, ...later].map(hex));
    expect(contentOf(rebuild(loaded))).toEqual(contentOf(doc));

    // A second compaction replaces the previous merged state too.
    const all = Y.mergeUpdates(loaded);
    await ydocs.compact(docName, all, loaded.length);
    const again = await ydocs.loadUpdates(docName);
    expect(again).toHaveLength(1);
    expect(contentOf(rebuild(again))).toEqual(contentOf(doc));
  });

  it('keeps the documents apart', async () => {
    const { ydocs } = store();
    const [a, b] = [randomUUID(), randomUUID()];
    await ydocs.appendUpdate(a, Uint8Array.from([1]));
    await ydocs.appendUpdate(b, Uint8Array.from([2]));
    await ydocs.appendUpdate(a, Uint8Array.from([3]));
    await ydocs.compact(b, Uint8Array.from([9]), 1);
    expect((await ydocs.loadUpdates(a)).map((update) => [...update])).toEqual([[1], [3]]);
    expect((await ydocs.loadUpdates(b)).map((update) => [...update])).toEqual([[9]]);
  });

  it('refuses every append to a sealed document, keeps what was stored, and still compacts it', async () => {
    const { ydocs } = store();
    const [sealed, other] = [randomUUID(), randomUUID()];
    await ydocs.appendUpdate(sealed, Uint8Array.from([1]));
    await ydocs.appendUpdate(sealed, Uint8Array.from([2]));
    expect(await ydocs.isSealed(sealed)).toBe(false);
    await ydocs.seal(sealed);
    await ydocs.seal(sealed); // idempotent
    expect(await ydocs.isSealed(sealed)).toBe(true);
    expect(await ydocs.isSealed(other)).toBe(false);
    await expect(ydocs.appendUpdate(sealed, Uint8Array.from([3]))).rejects.toBeInstanceOf(
      DocumentSealedError,
    );
    // Appends racing the seal: each lands before it or is refused, none after it.
    const racing = Array.from({ length: 20 }, (_, i) => ydocs.appendUpdate(other, Uint8Array.from([i])));
    const seal = ydocs.seal(other);
    const results = await Promise.allSettled([...racing, seal]);
    await seal;
    const landed = (await ydocs.loadUpdates(other)).length;
    expect(results.slice(0, 20).filter((r) => r.status === 'fulfilled')).toHaveLength(landed);
    await expect(ydocs.appendUpdate(other, Uint8Array.from([99]))).rejects.toBeInstanceOf(
      DocumentSealedError,
    );
    expect((await ydocs.loadUpdates(sealed)).map((update) => [...update])).toEqual([[1], [2]]);
    await ydocs.compact(sealed, Uint8Array.from([12]), 2);
    expect((await ydocs.loadUpdates(sealed)).map((update) => [...update])).toEqual([[12]]);
  });
}

/**
 * The client's sync core (client/lib/sessionSync.ts) against a fake transport: catch-up by seq with events pushed
 * meanwhile held back, the persistent outbox (order, resend on timeout with the same id, survival across a
 * reload, removal only on an ack), and the clock offset.
 */
import { describe, expect, it, vi } from 'vitest';
import type { CommandInput } from '../../shared/domain/commands.ts';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { emptyState } from '../../shared/domain/state.ts';
import type { Question, SessionState } from '../../shared/domain/types.ts';
import type { Ack, SyncReply, SyncRequest } from '../../shared/protocol.ts';
import { Outbox } from '../../client/lib/outbox.ts';
import { SessionSync } from '../../client/lib/sessionSync.ts';
import type { Transport } from '../../client/lib/sessionSync.ts';
import type { KeyValueStore } from '../../client/lib/storage.ts';

const SID = 's1';

class MemoryStore implements KeyValueStore {
  map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

/** A transport whose calls the test answers one by one. */
class FakeTransport implements Transport {
  syncs: { request: SyncRequest; reply: (r: SyncReply) => void; fail: () => void }[] = [];
  commands: { command: CommandInput; ack: (a: Ack) => void; fail: () => void }[] = [];
  serverNow = 0;
  sync(request: SyncRequest) {
    return new Promise<SyncReply>((resolve, reject) =>
      this.syncs.push({ request, reply: resolve, fail: () => reject(new Error('timeout')) }),
    );
  }
  command(command: CommandInput) {
    return new Promise<Ack>((resolve, reject) =>
      this.commands.push({ command, ack: resolve, fail: () => reject(new Error('timeout')) }),
    );
  }
  time() {
    return Promise.resolve(this.serverNow);
  }
}

const state = (seq: number): SessionState => ({ ...emptyState(SID), seq, status: 'live', title: 'T' });
const question = (id: string, text = 'q'): Question => ({
  id,
  anonymous: false,
  text,
  source: 'phone',
  status: 'published',
  preMeeting: false,
  createdAt: 1,
  updatedAt: 1,
  votes: 0,
});
const submitted = (seq: number, id: string): DomainEvent => ({
  type: 'question.submitted',
  seq,
  at: seq,
  question: question(id),
});
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

function setup(store = new MemoryStore(), initialState?: SessionState) {
  const onChange = vi.fn();
  const core = new SessionSync({
    sessionId: SID,
    outbox: new Outbox('k', store),
    initialState,
    onChange,
    retryDelayMs: 1,
    settleMs: 5,
  });
  return { core, store, onChange };
}

describe('SessionSync', () => {
  it('syncs first on connect, then applies pushed events in seq order, ignoring ones it has', async () => {
    const { core } = setup();
    const t = new FakeTransport();
    core.connected(t);
    expect(t.syncs[0]?.request).toEqual({ sessionId: SID, since: 0 });
    // Pushed while the sync is in flight: held back, applied after the reply.
    core.receive({ sessionId: SID, events: [submitted(4, 'b')] });
    t.syncs[0]!.reply({
      ok: true,
      mode: 'snapshot',
      seq: 3,
      serverNow: 0,
      state: { ...state(3), questions: { a: question('a') } },
    });
    await flush();
    expect(core.synced).toBe(true);
    expect(Object.keys(core.state!.questions).sort()).toEqual(['a', 'b']);
    expect(core.state!.seq).toBe(4);
    core.receive({ sessionId: SID, events: [submitted(4, 'dup'), submitted(6, 'c')] });
    core.receive({ sessionId: 'other', events: [submitted(9, 'x')] });
    expect(Object.keys(core.state!.questions).sort()).toEqual(['a', 'b', 'c']);
    expect(core.state!.seq).toBe(6);
  });

  it('catches up by seq after a reconnect and takes the head seq of the reply (gaps are unseen events)', async () => {
    const { core } = setup(new MemoryStore(), state(10));
    const t = new FakeTransport();
    core.connected(t);
    expect(t.syncs[0]?.request.since).toBe(10);
    expect(core.synced).toBe(false); // a saved state is not current until synced
    t.syncs[0]!.reply({ ok: true, mode: 'events', seq: 14, serverNow: 0, events: [submitted(12, 'a')] });
    await flush();
    expect(core.state!.seq).toBe(14);
    expect(core.state!.questions.a).toBeDefined();
  });

  it('keeps commands made offline in the persistent outbox and sends them in order after the sync', async () => {
    const { core, store } = setup();
    const first = core.send({ type: 'question.submit', questionId: 'q1', text: 'one' });
    core.send({ type: 'question.edit', questionId: 'q1', text: 'one, edited' });
    expect(core.pending.map((p) => p.command.type)).toEqual(['question.submit', 'question.edit']);
    expect(JSON.parse(store.getItem('dialogue-board:outbox:k')!)).toHaveLength(2);

    const t = new FakeTransport();
    core.connected(t);
    expect(t.commands).toHaveLength(0); // not before the sync reply
    t.syncs[0]!.reply({ ok: true, mode: 'snapshot', seq: 1, serverNow: 0, state: state(1) });
    await flush();
    expect(t.commands.map((c) => c.command.type)).toEqual(['question.submit']); // one at a time
    t.commands[0]!.ack({ ok: true, seq: 2 });
    await expect(first).resolves.toEqual({ ok: true, seq: 2 });
    await flush();
    expect(t.commands.map((c) => c.command.type)).toEqual(['question.submit', 'question.edit']);
    expect(JSON.parse(store.getItem('dialogue-board:outbox:k')!)).toHaveLength(1);
    t.commands[1]!.ack({ ok: true, seq: 3 });
    await flush();
    expect(JSON.parse(store.getItem('dialogue-board:outbox:k')!)).toHaveLength(0);
  });

  it('resends with the same id after a timeout, and after a reload; drops only on an ack', async () => {
    const store = new MemoryStore();
    const a = setup(store);
    a.core.send({ type: 'hand.raise', handId: 'h1' });
    const t1 = new FakeTransport();
    a.core.connected(t1);
    t1.syncs[0]!.reply({ ok: true, mode: 'snapshot', seq: 1, serverNow: 0, state: state(1) });
    await flush();
    const id = t1.commands[0]!.command.id;
    t1.commands[0]!.fail(); // timeout
    await vi.waitFor(() => expect(t1.commands).toHaveLength(2));
    expect(t1.commands[1]!.command.id).toBe(id);
    // The page is reloaded before any ack: a new core on the same device storage sends it again, same id.
    a.core.close();
    const b = setup(store);
    expect(b.core.pending.map((p) => p.command.id)).toEqual([id]);
    const t2 = new FakeTransport();
    b.core.connected(t2);
    t2.syncs[0]!.reply({ ok: true, mode: 'events', seq: 1, serverNow: 0, events: [] });
    await flush();
    expect(t2.commands[0]!.command.id).toBe(id);
    t2.commands[0]!.ack({ ok: true, seq: 2, duplicate: true });
    await flush();
    expect(b.core.pending.filter((p) => !p.acked)).toEqual([]);
  });

  it('a definitive failure leaves the outbox, resolves the promise and is the last error', async () => {
    const { core, store } = setup();
    const t = new FakeTransport();
    core.connected(t);
    t.syncs[0]!.reply({ ok: true, mode: 'snapshot', seq: 1, serverNow: 0, state: state(1) });
    await flush();
    const vote = core.send({ type: 'question.vote', questionId: 'gone', value: true });
    await flush();
    t.commands[0]!.ack({ ok: false, code: 'not_votable', message: 'hidden' });
    await expect(vote).resolves.toMatchObject({ ok: false, code: 'not_votable' });
    expect(core.lastError).toMatchObject({ code: 'not_votable', command: { type: 'question.vote' } });
    expect(JSON.parse(store.getItem('dialogue-board:outbox:k')!)).toEqual([]);
  });

  it('stops sending on a disconnect and resumes after the next sync', async () => {
    const { core } = setup();
    const t1 = new FakeTransport();
    core.connected(t1);
    t1.syncs[0]!.reply({ ok: true, mode: 'snapshot', seq: 1, serverNow: 0, state: state(1) });
    await flush();
    core.send({ type: 'hand.lower', handId: 'h' });
    await flush();
    core.disconnected();
    t1.commands[0]!.fail();
    await flush();
    expect(t1.commands).toHaveLength(1);
    expect(core.synced).toBe(false);
    const t2 = new FakeTransport();
    core.connected(t2);
    expect(t2.commands).toHaveLength(0);
    t2.syncs[0]!.reply({ ok: true, mode: 'events', seq: 1, serverNow: 0, events: [] });
    await vi.waitFor(() => expect(t2.commands).toHaveLength(1));
  });

  it('keeps an acked command "pending" until its events arrive', async () => {
    const { core } = setup();
    const t = new FakeTransport();
    core.connected(t);
    t.syncs[0]!.reply({ ok: true, mode: 'snapshot', seq: 1, serverNow: 0, state: state(1) });
    await flush();
    core.send({ type: 'question.submit', questionId: 'q9', text: 'x' });
    await flush();
    t.commands[0]!.ack({ ok: true, seq: 2 });
    await flush();
    expect(core.pending).toMatchObject([{ acked: true }]);
    core.receive({ sessionId: SID, events: [submitted(2, 'q9')] });
    expect(core.pending).toEqual([]);
  });

  it('measures the server clock offset', async () => {
    const now = 1000;
    const t = new FakeTransport();
    t.serverNow = 61_000;
    const core = new SessionSync({
      sessionId: SID,
      outbox: new Outbox('k', new MemoryStore()),
      onChange: () => {},
      now: () => now,
    });
    core.connected(t);
    t.syncs[0]!.reply({ ok: true, mode: 'snapshot', seq: 1, serverNow: 0, state: state(1) });
    await vi.waitFor(() => expect(core.serverOffset).toBe(60_000));
  });

  it('a rate-limited sync is tried again, not fatal', async () => {
    const { core } = setup();
    const t = new FakeTransport();
    core.connected(t);
    t.syncs[0]!.reply({ ok: false, code: 'rate_limited', message: 'too many syncs' });
    await vi.waitFor(() => expect(t.syncs).toHaveLength(2));
    expect(core.fatal).toBeUndefined();
    t.syncs[1]!.reply({ ok: true, mode: 'snapshot', seq: 3, serverNow: 0, state: state(3) });
    await vi.waitFor(() => expect(core.synced).toBe(true));
    expect(core.state?.seq).toBe(3);
  });

  it('a refused sync is fatal for this view', async () => {
    const { core } = setup();
    const t = new FakeTransport();
    core.connected(t);
    t.syncs[0]!.reply({ ok: false, code: 'forbidden', message: 'other session' });
    await flush();
    expect(core.fatal).toMatchObject({ code: 'forbidden' });
    expect(core.synced).toBe(false);
  });
});

/**
 * The application service for sessions: load state (snapshot + tail of the log), decide, append with optimistic
 * concurrency, fold, publish. Everything else (HTTP, sockets) is an adapter around `dispatch`.
 */
import { applyAll, Fold } from '../../shared/domain/apply.ts';
import type { Command, SessionCreate } from '../../shared/domain/commands.ts';
import { sessionCreated } from '../../shared/domain/create.ts';
import { decide } from '../../shared/domain/decide.ts';
import type { DomainEvent, NewDomainEvent } from '../../shared/domain/events.ts';
import { repairState } from '../../shared/domain/repair.ts';
import { emptyState } from '../../shared/domain/state.ts';
import type { Actor, ActorRef, SessionState } from '../../shared/domain/types.ts';
import type { WardProfile } from '../../shared/domain/ward.ts';
import type { Ack } from '../../shared/protocol.ts';
import type { EventStore, StoredEvent } from '../store/EventStore.ts';

/** `appendedHere`: this node appended the events (false for what it read from other writers, in scale-out). */
export type EventsListener = (
  sessionId: string,
  events: DomainEvent[],
  state: SessionState,
  appendedHere: boolean,
) => void;

interface Options {
  /**
   * Snapshot once this many events accumulated since the last one (default 200) and the session has been quiet for
   * `snapshotQuietMs` (default 1 s): serialising a 10,000-participant state blocks the event loop ~100 ms, which must
   * not land in the middle of a burst of commands. At 50 × this many events it is taken anyway: that bounds start-up
   * replay (10,000 events replay in 0.6 s on the benchmark machine; 2,000, the old bound, was crossed by a 10-second burst of 200
   * commands/s, whose ack p99 the forced snapshot then set).
   */
  snapshotEvery?: number;
  snapshotQuietMs?: number;
  /** Recent events kept in memory per session for catch-up without a store read (default 2,000). */
  recentEvents?: number;
  /**
   * Other processes append to the store too (scale-out; default false). Then every read — `state`, `catchUp` —
   * first asks the store for the session's head and catches the cached state up to it before answering, so a read
   * that starts after any node acknowledged a command sees that command's events (read-your-writes across nodes; the
   * tailer that keeps the cache current is usually, but not always, quicker). One small store round trip per read
   * (Redis: XREVRANGE COUNT 1). Off in embedded mode, where this process is the only writer and the cache is the head.
   */
  sharedStore?: boolean;
  now?: () => number;
  onError?: (err: unknown, context: string) => void;
}

interface Loaded {
  state: SessionState;
  snapshotSeq: number;
  snapshotTimer?: NodeJS.Timeout;
  /** Recent events, ascending by seq. */
  recent: DomainEvent[];
}

/**
 * How long a command may keep losing the append race to other nodes before `conflict` is answered (the client
 * resends it). A node with a burst of commands for one session appends back to back; the other node's command waits
 * at most about that burst.
 */
const CONFLICT_BUDGET_MS = 3_000;
/** Cap of the random pause before a retry after a lost race (ms). */
const MAX_CONFLICT_PAUSE_MS = 50;
/** A snapshot is taken without waiting for a quiet moment once this many × `snapshotEvery` events accumulated. */
const FORCED_SNAPSHOT = 50;
/** Commands decided and appended together at most (group commit): bounds one append's size and one decide pass. */
const MAX_BATCH = 200;
/**
 * Group commit on a store that holds the event loop while it appends (the embedded store's fsync on a slow disk): once
 * appends have held the loop SLOW_HOLD_MS or more (smoothed), a batch is taken this many times that hold after its
 * first command, so that appends hold the loop at most about a quarter of the time; never later than
 * MAX_COMMIT_DELAY_MS. A quick disk (fsync 0.3 ms) is never waited for: a timer's millisecond would cost every command
 * more than the commit it could save (measured: 50 phones voting at 100/s, ack p50 9.3 ms when it waited, 4.8 ms now). On a busy disk
 * (fsync 4 ms at 200 commands/s) one commit per ~16 ms instead of one per command.
 */
const SLOW_HOLD_MS = 2;
const COMMIT_DELAY_FACTOR = 3;
const MAX_COMMIT_DELAY_MS = 20;

const NOT_FOUND: Ack = { ok: false, code: 'not_found', message: 'no such session' };
const CONTENTION: Ack = { ok: false, code: 'conflict', message: 'too much contention; try again' };

interface Waiting {
  command: Command;
  actor: Actor;
  resolve(ack: Ack): void;
  reject(err: unknown): void;
}

export class SessionService {
  readonly #events: EventStore;
  readonly #loaded = new Map<string, Promise<Loaded | null>>();
  /** Per-session queue: work on one session (a batch of commands, a refresh) runs one at a time on this node. */
  readonly #queues = new Map<string, Promise<unknown>>();
  /** Commands waiting for the next batch of their session; a batch is queued whenever the list exists. */
  readonly #waiting = new Map<string, Waiting[]>();
  readonly #listeners = new Set<EventsListener>();
  /** How long the last appends held the event loop (ms, smoothed): 0 for a store that appends asynchronously. */
  #heldMs = 0;
  readonly #snapshotEvery: number;
  readonly #snapshotQuietMs: number;
  readonly #recentMax: number;
  readonly #sharedStore: boolean;
  readonly #now: () => number;
  readonly #onError: (err: unknown, context: string) => void;

  constructor(events: EventStore, options: Options = {}) {
    this.#events = events;
    this.#snapshotEvery = options.snapshotEvery ?? 200;
    this.#snapshotQuietMs = options.snapshotQuietMs ?? 1000;
    this.#recentMax = options.recentEvents ?? 2000;
    this.#sharedStore = options.sharedStore ?? false;
    this.#now = options.now ?? Date.now;
    this.#onError = options.onError ?? (() => {});
  }

  onEvents(listener: EventsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The current state (at least the store's head when the call began), or null when the session does not exist. */
  async state(sessionId: string): Promise<SessionState | null> {
    return (await this.#current(sessionId))?.state ?? null;
  }

  async create(
    sessionId: string,
    input: SessionCreate,
    ward: WardProfile,
    joinCode: string,
    by: ActorRef,
  ): Promise<SessionState> {
    const event = sessionCreated(sessionId, input, ward, joinCode, by, this.#now());
    const result = await this.#events.append(sessionId, 0, `create:${sessionId}`, [event]);
    if (!result.ok) throw new Error(`session ${sessionId} exists`);
    this.#loaded.delete(sessionId);
    const state = await this.state(sessionId);
    if (!state) throw new Error('created session did not load');
    return state;
  }

  /** Appends events decided elsewhere (carry-over, system actions) as one command. */
  async appendSystem(sessionId: string, commandId: string, events: NewDomainEvent[]): Promise<Ack> {
    return this.#serialise(sessionId, async () => {
      const loaded = await this.#load(sessionId);
      if (!loaded) return { ok: false, code: 'not_found', message: 'no such session' };
      const ack = await this.#append(sessionId, loaded, commandId, events);
      if (!ack.ok && ack.code === 'conflict') await this.#catchUp(sessionId, loaded);
      return ack;
    });
  }

  /**
   * Decides and stores one command. Group commit: commands that arrive while their session's previous batch is being
   * appended wait together and go into the store as one append (one fsync, one Redis script), each still decided on
   * its own against the state the ones before it left, in arrival order, and each acknowledged with its own result.
   */
  dispatch(command: Command, actor: Actor): Promise<Ack> {
    const { sessionId } = command;
    return new Promise<Ack>((resolve, reject) => {
      const waiting = this.#waiting.get(sessionId);
      if (waiting) waiting.push({ command, actor, resolve, reject });
      else {
        this.#waiting.set(sessionId, [{ command, actor, resolve, reject }]);
        // The batch is taken one turn of the event loop later at the soonest: commands that arrive in the same turn
        // share its append. With the embedded store the append is a synchronous fsync, so nothing else could ever
        // join a batch in flight; after the loop was held by one, the requests are all read in the next turn, and
        // this makes them one commit instead of one each (docs/benchmarks.md, "Join storm"). Later when appends hold
        // the loop long (SLOW_HOLD_MS).
        const run = () => void this.#serialise(sessionId, () => this.#runBatch(sessionId));
        if (this.#heldMs < SLOW_HOLD_MS) setImmediate(run);
        else setTimeout(run, Math.min(MAX_COMMIT_DELAY_MS, COMMIT_DELAY_FACTOR * this.#heldMs));
      }
    });
  }

  /**
   * The state and the events after `since`, read together: null events when `since` is older than the recent
   * events kept in memory (the caller sends a snapshot). Synchronous after the load, so a caller that subscribes
   * in the same tick misses nothing. The state is at least the store's head when the call began (see
   * `sharedStore`), so it is never older than anything acknowledged before: a client's `since` above it can only
   * come from a store that lost acknowledged events (a restored backup).
   */
  async catchUp(
    sessionId: string,
    since: number,
  ): Promise<{ state: SessionState; events: DomainEvent[] | null } | null> {
    const loaded = await this.#current(sessionId);
    if (!loaded) return null;
    const { state, recent } = loaded;
    if (since >= state.seq) return { state, events: [] };
    const first = recent[0];
    return { state, events: first && first.seq <= since + 1 ? recent.filter((e) => e.seq > since) : null };
  }

  /**
   * Reads what other writers (other nodes) appended and folds it in; publishes it like local events. With `headSeq`
   * (the stream's head as the caller saw it), no read when the state is already there.
   */
  async refresh(sessionId: string, headSeq = Number.POSITIVE_INFINITY): Promise<void> {
    await this.#serialise(sessionId, async () => {
      const loaded = this.#loaded.has(sessionId) ? await this.#load(sessionId) : null;
      if (loaded && loaded.state.seq < headSeq) await this.#catchUp(sessionId, loaded);
    });
  }

  /** Resolves when every command accepted so far has been decided and stored (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.#queues.size > 0) await Promise.all([...this.#queues.values()]);
    // Snapshots waiting for a quiet moment are taken now, so the next start replays little.
    for (const [sessionId, loading] of this.#loaded) {
      const loaded = await loading.catch(() => null);
      if (loaded?.snapshotTimer) await this.#snapshot(sessionId, loaded);
    }
  }

  /** Forgets a session's cached state (tests, memory pressure). */
  evict(sessionId: string): void {
    this.#loaded.delete(sessionId);
  }

  async #runBatch(sessionId: string): Promise<void> {
    const waiting = this.#waiting.get(sessionId) ?? [];
    const batch = waiting.splice(0, MAX_BATCH);
    if (waiting.length === 0) this.#waiting.delete(sessionId);
    else void this.#serialise(sessionId, () => this.#runBatch(sessionId));
    try {
      const acks = await this.#decideBatch(sessionId, batch);
      batch.forEach((w, i) => w.resolve(acks[i] ?? CONTENTION));
    } catch (err) {
      for (const w of batch) w.reject(err);
    }
  }

  async #decideBatch(sessionId: string, batch: Waiting[]): Promise<Ack[]> {
    const loaded = await this.#load(sessionId);
    if (!loaded) return batch.map(() => NOT_FOUND);
    const acks: Array<Ack | undefined> = Array.from({ length: batch.length });
    // A command sent twice into one batch (a quick resend) is decided once; the copy gets the first one's answer.
    const first = new Map<string, number>();
    batch.forEach((w, i) => {
      if (!first.has(w.command.id)) first.set(w.command.id, i);
    });
    const started = Date.now();
    let lostRace = false;
    for (let attempt = 0; attempt === 0 || Date.now() - started < CONFLICT_BUDGET_MS; attempt++) {
      if (lostRace) await this.#afterLostRace(sessionId, loaded, attempt);
      const open = [...first.values()].filter((i) => acks[i] === undefined);
      if (open.length === 0) break;
      const base = loaded.state;
      // One fold for the whole batch: each collection is copied once, not once per command (a join storm).
      const fold = new Fold(base);
      const decided: Array<{ index: number; events: NewDomainEvent[] }> = [];
      // Refusals and no-ops hold only if the state they were decided on was current, and only if they are not
      // resends of a command recorded before (probed in the same round trip): kept until the append succeeds.
      const answered: Array<[number, Ack]> = [];
      for (const i of open) {
        const { command, actor } = batch[i]!;
        const decision = this.#decide(fold.state, command, actor);
        if (!decision.ok) answered.push([i, { ok: false, ...decision.error }]);
        else if (decision.events.length === 0) answered.push([i, { ok: true, seq: fold.state.seq }]);
        else {
          decided.push({ index: i, events: decision.events });
          fold.apply(numbered(decision.events, fold.state.seq));
        }
      }
      const calledAt = performance.now();
      const appending = this.#events.appendMany(
        sessionId,
        base.seq,
        decided.map((d) => ({ commandId: batch[d.index]!.command.id, events: d.events })),
        answered.map(([i]) => batch[i]!.command.id),
      );
      // The time until the call returned is what it held the loop (an asynchronous store returns at once).
      this.#heldMs = 0.8 * this.#heldMs + 0.2 * (performance.now() - calledAt);
      const result = await appending;
      if (!result.ok) {
        // Resends are answered with their original seq; the others are decided again without them.
        if (result.reason === 'duplicate')
          for (const { commandId, seq } of result.recorded) {
            const i = first.get(commandId);
            if (i !== undefined) acks[i] = { ok: true, seq, duplicate: true };
          }
        lostRace = result.reason === 'conflict';
        if (result.reason === 'conflict' && result.headSeq < base.seq) {
          this.#storeBehind(sessionId, result.headSeq, base.seq);
          break;
        }
        continue;
      }
      const stored = numbered(
        decided.flatMap((d) => d.events),
        base.seq,
      );
      if (stored.length > 0) this.#fold(sessionId, loaded, stored, true, fold.state);
      decided.forEach((d, k) => (acks[d.index] = { ok: true, seq: result.seqs[k] ?? loaded.state.seq }));
      for (const [i, ack] of answered) acks[i] = ack;
      break;
    }
    return batch.map((w, i) => acks[first.get(w.command.id) ?? i] ?? CONTENTION);
  }

  /**
   * The store's head is below what this node folded: the store lost acknowledged events (Redis restored from a backup,
   * or one that lost its data). Every append would be refused as a conflict for good, and the catch-up would find
   * nothing to fold: the node forgets its copy, so the next command (the clients resend this batch) and sync load what
   * the store holds; phones ahead of it get a snapshot on their next sync. Loud, because acknowledged commands are gone.
   */
  #storeBehind(sessionId: string, headSeq: number, folded: number): void {
    this.#onError(
      new Error(`the store's head ${headSeq} is behind this node's ${folded}: acknowledged events were lost`),
      'session store behind; reloading from the store',
    );
    this.#loaded.delete(sessionId);
  }

  /** `decide`, with a bug in it answered as an internal error for that one command rather than the whole batch. */
  #decide(state: SessionState, command: Command, actor: Actor): ReturnType<typeof decide> {
    try {
      return decide(state, command, actor, this.#now());
    } catch (err) {
      this.#onError(err, `decide ${command.type}`);
      return { ok: false, error: { code: 'internal', message: 'internal error' } };
    }
  }

  async #append(
    sessionId: string,
    loaded: Loaded,
    commandId: string,
    events: NewDomainEvent[],
  ): Promise<Ack> {
    const expected = loaded.state.seq;
    const result = await this.#events.append(sessionId, expected, commandId, events);
    if (!result.ok) return { ok: false, code: 'conflict', message: 'another writer appended first' };
    if (result.duplicate) return { ok: true, seq: result.seq, duplicate: true };
    this.#fold(sessionId, loaded, numbered(events, expected), true);
    return { ok: true, seq: result.seq };
  }

  /**
   * Another node appended first (scale-out). A random pause, then the events appended meanwhile, then the caller
   * decides again. The pause matters: two nodes with queued commands for one session race in step, and the one that
   * must read before it appends loses to the one appending back to back almost every time — measured, a few percent
   * of 1,000 concurrent joins over two nodes failed after 8 immediate retries. Out of step, a retry has a chance.
   */
  async #afterLostRace(sessionId: string, loaded: Loaded, attempt: number): Promise<void> {
    const pauseMs = Math.random() * Math.min(2 ** attempt, MAX_CONFLICT_PAUSE_MS);
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    await this.#catchUp(sessionId, loaded);
  }

  async #catchUp(sessionId: string, loaded: Loaded): Promise<void> {
    const missing = (await this.#events.read(sessionId, loaded.state.seq)) as unknown as DomainEvent[];
    if (missing.length > 0) this.#fold(sessionId, loaded, missing, false);
  }

  /** Folds `events` into the cached state (or takes `folded`, the state already folded with them). */
  #fold(
    sessionId: string,
    loaded: Loaded,
    events: DomainEvent[],
    appendedHere: boolean,
    folded?: SessionState,
  ): void {
    loaded.state = folded ?? applyAll(loaded.state, events);
    loaded.recent.push(...events);
    if (loaded.recent.length > this.#recentMax)
      loaded.recent.splice(0, loaded.recent.length - this.#recentMax);
    for (const listener of this.#listeners) listener(sessionId, events, loaded.state, appendedHere);
    const behind = loaded.state.seq - loaded.snapshotSeq;
    if (behind < this.#snapshotEvery) return;
    clearTimeout(loaded.snapshotTimer);
    if (behind >= FORCED_SNAPSHOT * this.#snapshotEvery) void this.#snapshot(sessionId, loaded);
    else
      loaded.snapshotTimer = setTimeout(
        () => void this.#snapshot(sessionId, loaded),
        this.#snapshotQuietMs,
      ).unref();
  }

  #snapshot(sessionId: string, loaded: Loaded): Promise<void> {
    clearTimeout(loaded.snapshotTimer);
    loaded.snapshotTimer = undefined;
    if (loaded.state.seq === loaded.snapshotSeq) return Promise.resolve();
    loaded.snapshotSeq = loaded.state.seq;
    return this.#events
      .saveSnapshot(sessionId, { seq: loaded.state.seq, state: loaded.state })
      .catch((err: unknown) => this.#onError(err, 'snapshot'));
  }

  /** The loaded session, caught up to the store's head as of now when other processes write to the store. */
  async #current(sessionId: string): Promise<Loaded | null> {
    const loaded = await this.#load(sessionId);
    if (!loaded || !this.#sharedStore) return loaded;
    const head = await this.#events.head(sessionId);
    if (head < loaded.state.seq) {
      this.#storeBehind(sessionId, head, loaded.state.seq);
      return this.#load(sessionId);
    }
    // Folded in turn with this node's batches, like any catch-up; a batch or refresh ahead may get there first.
    if (loaded.state.seq < head)
      await this.#serialise(sessionId, async () => {
        if (loaded.state.seq < head) await this.#catchUp(sessionId, loaded);
      });
    return loaded;
  }

  #load(sessionId: string): Promise<Loaded | null> {
    let loading = this.#loaded.get(sessionId);
    if (!loading) {
      loading = this.#read(sessionId);
      this.#loaded.set(sessionId, loading);
      loading.then(
        (l) => l ?? this.#loaded.delete(sessionId),
        () => this.#loaded.delete(sessionId),
      );
    }
    return loading;
  }

  async #read(sessionId: string): Promise<Loaded | null> {
    const snapshot = await this.#events.loadSnapshot(sessionId);
    let state = snapshot ? repairState(snapshot.state as SessionState) : emptyState(sessionId);
    const tail = (await this.#events.read(sessionId, state.seq)) as StoredEvent[] as unknown as DomainEvent[];
    state = applyAll(state, tail);
    if (state.seq === 0) return null;
    return { state, snapshotSeq: snapshot?.seq ?? 0, recent: tail.slice(-this.#recentMax) };
  }

  #serialise<T>(sessionId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => {});
    this.#queues.set(sessionId, settled);
    void settled.then(() => {
      if (this.#queues.get(sessionId) === settled) this.#queues.delete(sessionId);
    });
    return next;
  }
}

/** Events as the store numbers them when appended after `afterSeq`. */
function numbered(events: NewDomainEvent[], afterSeq: number): DomainEvent[] {
  return events.map((e, i) => ({ ...e, seq: afterSeq + i + 1 }) as DomainEvent);
}

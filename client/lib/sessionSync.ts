/**
 * The client half of the sync protocol, without socket.io and without Svelte so it can be tested with a fake
 * transport (tests/unit/sessionSync.test.ts). connection.svelte.ts wires it to a socket and to reactive state.
 *
 * Guarantees:
 * - the state is the fold of the session's events with the shared `apply()`; an event is applied once, in seq
 *   order (events with seq ≤ the current seq are ignored; a snapshot replaces the state);
 * - on every (re)connect: first `sync` since the last seq (events pushed meanwhile are held back and applied after
 *   the reply, so none is skipped), then the outbox is sent in order, one command at a time;
 * - a command leaves the outbox only on an ack: `{ok:true}` or a definitive `{ok:false}`. Timeouts and
 *   disconnects keep it for a resend with the same id, which the server deduplicates: exactly-once effect.
 */
import { Fold } from '../../shared/domain/apply.ts';
import type { CommandInput } from '../../shared/domain/commands.ts';
import type { DomainEvent } from '../../shared/domain/events.ts';
import { emptyState } from '../../shared/domain/state.ts';
import type { SessionState } from '../../shared/domain/types.ts';
import type { Ack, EventsMessage, Failure, SyncReply, SyncRequest } from '../../shared/protocol.ts';
import { newId } from './ids.ts';
import type { Outbox, OutboxItem } from './outbox.ts';

/** What a connected socket offers. Each call rejects on timeout or when the socket is not connected. */
export interface Transport {
  sync(request: SyncRequest): Promise<SyncReply>;
  command(command: CommandInput): Promise<Ack>;
  time(): Promise<number>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command as a caller makes it: the connection fills in `sessionId`, and `id` when absent. */
export type CommandDraft = DistributiveOmit<CommandInput, 'id' | 'sessionId'> & { id?: string };

/** A command that failed for good, for a message to the person (the caller's promise got it too). */
export interface CommandFailure extends Failure {
  command: CommandInput;
  at: number;
}

export interface PendingCommand extends OutboxItem {
  /** Acknowledged, but its events have not reached this client yet. */
  acked: boolean;
}

export interface SessionSyncOptions {
  sessionId: string;
  outbox: Outbox;
  /** A state saved on this device earlier (shown as not yet current until the first sync). */
  initialState?: SessionState | undefined;
  /** Called after anything observable changed. */
  onChange: () => void;
  now?: () => number;
  /** Wait before resending after a timeout or a retryable failure. Default 1 s. */
  retryDelayMs?: number;
  /** How long an acked command may wait for its events before a catch-up sync. Default 1.5 s. */
  settleMs?: number;
}

/** Failures worth a resend (the server did not act): the same id makes it safe. */
const RETRYABLE = new Set<string>(['rate_limited', 'internal', 'conflict']);
const MAX_RETRIES = 8;
/** Sync refusals that a later sync overcomes (the server's per-socket sync budget, a passing failure). */
const RETRYABLE_SYNC = new Set<string>(['rate_limited', 'internal']);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SessionSync {
  readonly sessionId: string;
  #outbox: Outbox;
  #onChange: () => void;
  #now: () => number;
  #retryDelayMs: number;
  #settleMs: number;

  #state: SessionState | undefined;
  #synced = false;
  #transport: Transport | undefined;
  /** Bumped on every connect and disconnect: work begun under an older generation stops. */
  #generation = 0;
  /** Events pushed while a sync is in flight, applied after its reply. */
  #held: DomainEvent[] | undefined;
  #pumping = false;
  #waiters = new Map<string, (ack: Ack) => void>();
  #settling = new Map<string, { item: OutboxItem; seq: number }>();
  #settleTimer: ReturnType<typeof setTimeout> | undefined;
  #serverOffset = 0;
  #lastError: CommandFailure | undefined;
  #fatal: Failure | undefined;
  #closed = false;

  constructor(options: SessionSyncOptions) {
    this.sessionId = options.sessionId;
    this.#outbox = options.outbox;
    this.#onChange = options.onChange;
    this.#now = options.now ?? Date.now;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
    this.#settleMs = options.settleMs ?? 1500;
    if (options.initialState?.id === options.sessionId) this.#state = options.initialState;
  }

  /** The session as this client knows it; undefined before the first sync (and nothing saved). */
  get state(): SessionState | undefined {
    return this.#state;
  }
  /** True once caught up with the server on the current connection; false while offline or reconnecting. */
  get synced(): boolean {
    return this.#synced;
  }
  /** Commands not yet acknowledged, in order, then acked ones whose events are still on their way. */
  get pending(): PendingCommand[] {
    const waiting = this.#outbox.items.map((i) => ({ ...i, acked: false }));
    const acked = [...this.#settling.values()].map(({ item }) => ({ ...item, acked: true }));
    return [...waiting, ...acked];
  }
  /** Server clock minus device clock, in ms (add it to Date.now() for the server's time). */
  get serverOffset(): number {
    return this.#serverOffset;
  }
  get lastError(): CommandFailure | undefined {
    return this.#lastError;
  }
  /** A sync refused by the server (forbidden, not_found…): this view cannot go on with this token. */
  get fatal(): Failure | undefined {
    return this.#fatal;
  }

  clearError(): void {
    this.#lastError = undefined;
    this.#onChange();
  }

  /**
   * Queues a command: stored in the outbox first, then sent when connected. Resolves with the server's ack —
   * possibly much later (after a reconnect); after a reload the outbox still delivers it, but this promise is gone.
   */
  send(draft: CommandDraft): Promise<Ack> {
    const command = { ...draft, id: draft.id ?? newId(), sessionId: this.sessionId } as CommandInput;
    const promise = new Promise<Ack>((resolve) => this.#waiters.set(command.id, resolve));
    this.#outbox.add(command, this.#now());
    this.#lastError = undefined; // a new action: the previous failure is history
    this.#onChange();
    void this.#pump();
    return promise;
  }

  /** The socket is connected: catch up, then send what waits, then measure the clock. */
  connected(transport: Transport): void {
    if (this.#closed) return;
    this.#transport = transport;
    const generation = ++this.#generation;
    void (async () => {
      if (!(await this.#sync(generation))) return;
      void this.#pump();
      await this.#measureClock(generation);
    })();
  }

  disconnected(): void {
    this.#generation++;
    this.#transport = undefined;
    this.#synced = false;
    this.#held = undefined;
    // Acked commands need no resend; their events come with the next sync.
    this.#settling.clear();
    this.#onChange();
  }

  /** An `events` push from the server. */
  receive(message: EventsMessage): void {
    if (message.sessionId !== this.sessionId || this.#closed) return;
    if (this.#held) {
      this.#held.push(...message.events);
      return;
    }
    if (!this.#state) return; // before the first sync reply: the reply will contain these
    this.#applyEvents(message.events);
    this.#onChange();
  }

  /** Stops everything; the outbox stays on the device for the next visit. */
  close(): void {
    this.#closed = true;
    this.#generation++;
    this.#transport = undefined;
    clearTimeout(this.#settleTimer);
  }

  // ---- internals ----------------------------------------------------------------------------------------------

  #current(generation: number): boolean {
    return generation === this.#generation && !this.#closed && this.#transport !== undefined;
  }

  /** One catch-up round trip; returns whether this connection is synced. Retries while the socket stays up. */
  async #sync(generation: number): Promise<boolean> {
    for (;;) {
      if (!this.#current(generation)) return false;
      this.#held = [];
      let reply: SyncReply;
      try {
        reply = await this.#transport!.sync({ sessionId: this.sessionId, since: this.#state?.seq ?? 0 });
      } catch {
        if (!this.#current(generation)) return false;
        await sleep(this.#retryDelayMs);
        continue;
      }
      if (!this.#current(generation)) return false;
      const held = this.#held ?? [];
      this.#held = undefined;
      if (!reply.ok && RETRYABLE_SYNC.has(reply.code)) {
        // Over the server's sync budget, or a passing failure: not this view's end. The events pushed meanwhile
        // come again with the next reply.
        await sleep(this.#retryDelayMs * 2);
        continue;
      }
      if (!reply.ok) {
        this.#fatal = reply;
        this.#onChange();
        return false;
      }
      if (reply.mode === 'snapshot') this.#state = reply.state;
      else this.#applyEvents(reply.events);
      // Gaps are events this audience does not see: the head is where we are now.
      const state = this.#state ?? emptyState(this.sessionId);
      this.#state = state.seq < reply.seq ? { ...state, seq: reply.seq } : state;
      this.#applyEvents(held);
      this.#synced = true;
      this.#fatal = undefined;
      this.#settle();
      this.#onChange();
      return true;
    }
  }

  #applyEvents(events: readonly DomainEvent[]): void {
    // One fold per message: a batch of 500 joins copies the participants once, not 500 times.
    const fold = new Fold(this.#state ?? emptyState(this.sessionId));
    for (const event of [...events].sort((a, b) => a.seq - b.seq)) {
      if (event.seq > fold.state.seq) fold.apply([event]);
    }
    this.#state = fold.state;
    this.#settle();
  }

  /** Sends the outbox in order, one command at a time (a later command may depend on an earlier one). */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      for (;;) {
        const generation = this.#generation;
        const item = this.#outbox.first;
        if (!item || !this.#synced || !this.#current(generation)) return;
        let ack: Ack;
        try {
          ack = await this.#transport!.command(item.command);
        } catch {
          // Timeout or dropped: keep it. Resend now if still connected (same id: the server deduplicates).
          this.#outbox.countAttempt(item.command.id);
          if (this.#current(generation)) await sleep(this.#retryDelayMs);
          continue;
        }
        if (!ack.ok && RETRYABLE.has(ack.code)) {
          if (this.#outbox.countAttempt(item.command.id) < MAX_RETRIES) {
            await sleep(this.#retryDelayMs * 2);
            continue;
          }
        }
        this.#done(item, ack);
      }
    } finally {
      this.#pumping = false;
    }
  }

  #done(item: OutboxItem, ack: Ack): void {
    const id = item.command.id;
    this.#outbox.remove(id);
    if (ack.ok) {
      if (this.#state && ack.seq > this.#state.seq) {
        this.#settling.set(id, { item, seq: ack.seq });
        this.#scheduleSettleCheck();
      }
    } else {
      this.#lastError = { ...ack, command: item.command, at: this.#now() };
    }
    this.#waiters.get(id)?.(ack);
    this.#waiters.delete(id);
    this.#onChange();
  }

  #settle(): void {
    const seq = this.#state?.seq ?? 0;
    for (const [id, s] of this.#settling) if (s.seq <= seq) this.#settling.delete(id);
  }

  /** An acked command whose events do not arrive (e.g. the last event is one this audience does not see). */
  #scheduleSettleCheck(): void {
    clearTimeout(this.#settleTimer);
    this.#settleTimer = setTimeout(() => {
      if (this.#settling.size === 0 || !this.#synced) return;
      void this.#sync(this.#generation).then(() => {
        this.#settling.clear();
        this.#onChange();
      });
    }, this.#settleMs);
  }

  /** Three round trips; the one with the shortest RTT wins (its half-RTT error is the smallest). */
  async #measureClock(generation: number): Promise<void> {
    let best: { rtt: number; offset: number } | undefined;
    for (let i = 0; i < 3; i++) {
      if (!this.#current(generation)) return;
      const t0 = this.#now();
      let serverNow: number;
      try {
        serverNow = await this.#transport!.time();
      } catch {
        return;
      }
      const t1 = this.#now();
      const rtt = t1 - t0;
      if (!best || rtt < best.rtt) best = { rtt, offset: serverNow + rtt / 2 - t1 };
    }
    if (best && this.#current(generation)) {
      this.#serverOffset = Math.round(best.offset);
      this.#onChange();
    }
  }
}

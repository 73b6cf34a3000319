/**
 * The persistent outbox: commands a client has made but the server has not yet acknowledged, in order, in
 * localStorage. Written *before* a command is first emitted, so a reload, a crash or a closed browser loses
 * nothing; the server's idempotency by command id makes every resend harmless (exactly-once effect).
 */
import type { CommandInput } from '../../shared/domain/commands.ts';
import { browserStore, readJson, writeJson } from './storage.ts';
import type { KeyValueStore } from './storage.ts';

export interface OutboxItem {
  command: CommandInput;
  /** When it was made (device clock), for "waiting since". */
  queuedAt: number;
  /** Resends after a timeout or a retryable failure. */
  attempts: number;
}

export class Outbox {
  readonly key: string;
  #store: KeyValueStore | undefined;
  #items: OutboxItem[];

  constructor(key: string, store: KeyValueStore | undefined = browserStore()) {
    this.key = `outbox:${key}`;
    this.#store = store;
    const saved = readJson<OutboxItem[]>(this.key, store);
    this.#items = Array.isArray(saved) ? saved.filter((i) => typeof i?.command?.id === 'string') : [];
  }

  get items(): readonly OutboxItem[] {
    return this.#items;
  }
  get first(): OutboxItem | undefined {
    return this.#items[0];
  }
  has(id: string): boolean {
    return this.#items.some((i) => i.command.id === id);
  }

  add(command: CommandInput, now = Date.now()): void {
    if (this.has(command.id)) return;
    this.#items = [...this.#items, { command, queuedAt: now, attempts: 0 }];
    this.#save();
  }

  remove(id: string): void {
    const next = this.#items.filter((i) => i.command.id !== id);
    if (next.length === this.#items.length) return;
    this.#items = next;
    this.#save();
  }

  countAttempt(id: string): number {
    let attempts = 0;
    this.#items = this.#items.map((i) =>
      i.command.id === id ? { ...i, attempts: (attempts = i.attempts + 1) } : i,
    );
    this.#save();
    return attempts;
  }

  #save(): void {
    writeJson(this.key, this.#items, this.#store);
  }
}

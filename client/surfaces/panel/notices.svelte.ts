/**
 * Short messages after an action: what went wrong (stays until dismissed or replaced, errors are announced
 * assertively) and quiet confirmations (gone after a few seconds). Components push message keys, never text.
 */
import type { Failure } from '../../../shared/protocol.ts';
import type { ApiFailure } from '../../lib/api.ts';

export interface Message {
  key: string;
  values?: Record<string, string | number>;
}
export interface Notice extends Message {
  id: number;
  kind: 'error' | 'success';
}

const SUCCESS_MS = 4000;
const ERROR_MS = 12_000;
const MAX = 3;

/** The translated message of a failure; "already answered by <name>" when the server (or our state) knows who. */
export function failureMessage(
  failure: Pick<Failure | ApiFailure, 'code' | 'params'>,
  answeredBy?: string,
): Message {
  if (failure.code === 'already_answered') {
    const by = (typeof failure.params?.by === 'string' && failure.params.by) || answeredBy;
    if (by) return { key: 'panel.error.alreadyAnsweredBy', values: { by } };
  }
  return { key: `error.${failure.code}` };
}

export class Notices {
  #items = $state.raw<Notice[]>([]);
  #next = 1;
  /** Not reactive: only the timers that dismiss notices. */
  #timers: Record<number, ReturnType<typeof setTimeout>> = {};

  get items(): Notice[] {
    return this.#items;
  }

  error(message: Message): void {
    this.#push({ ...message, kind: 'error' }, ERROR_MS);
  }

  success(message: Message): void {
    this.#push({ ...message, kind: 'success' }, SUCCESS_MS);
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers[id]);
    delete this.#timers[id];
    this.#items = this.#items.filter((n) => n.id !== id);
  }

  clear(): void {
    for (const id of Object.keys(this.#timers)) this.dismiss(Number(id));
  }

  #push(notice: Omit<Notice, 'id'>, ms: number): void {
    const id = this.#next++;
    const items = [...this.#items, { ...notice, id }];
    for (const old of items.slice(0, Math.max(0, items.length - MAX))) this.dismiss(old.id);
    this.#items = items.slice(-MAX);
    this.#timers[id] = setTimeout(() => this.dismiss(id), ms);
  }
}

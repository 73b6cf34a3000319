/**
 * A ticking clock for countdowns. Reading `clock.now` inside a component or $derived subscribes to ticks; the
 * interval runs only while something reads it.
 */
import { createSubscriber } from 'svelte/reactivity';

export class Clock {
  #subscribe: () => void;

  constructor(intervalMs = 250) {
    this.#subscribe = createSubscriber((update) => {
      const timer = setInterval(update, intervalMs);
      return () => clearInterval(timer);
    });
  }

  /** Device time in ms; reactive. */
  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}

export const clock = new Clock();

/** "m:ss" (or "h:mm:ss") of a duration in ms, never negative. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

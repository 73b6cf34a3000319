/**
 * Display preferences kept on the device: large text (a class on <html>, see app.css). The language lives in
 * shared/i18n (svelte-i18n's `locale`), also persisted. Both are switched by components/Preferences.svelte.
 */
import { readJson, writeJson } from './storage.ts';

const KEY = 'large-text';

class Preferences {
  #largeText = $state(readJson<boolean>(KEY) === true);

  constructor() {
    this.#render();
  }

  get largeText(): boolean {
    return this.#largeText;
  }

  setLargeText(on: boolean): void {
    this.#largeText = on;
    writeJson(KEY, on);
    this.#render();
  }

  #render(): void {
    if (typeof document !== 'undefined')
      document.documentElement.classList.toggle('large-text', this.#largeText);
  }
}

export const preferences = new Preferences();

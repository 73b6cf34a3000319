/**
 * A dialog's submit: busy while the server decides, the failure shown in the dialog (e.g. "already answered by
 * …"), closed on success. When the dialog is gone before the answer comes (closed, or the panel went offline and
 * the outbox delivered later), a failure becomes a notice instead, so it is never lost.
 */
import type { Ack } from '../../../shared/protocol.ts';
import type { Message } from './notices.svelte.ts';
import type { PanelSession } from './panelSession.svelte.ts';

export class Submission {
  readonly #session: PanelSession;
  #busy = $state(false);
  #error = $state.raw<Message | undefined>();
  #alive = true;

  constructor(session: PanelSession) {
    this.#session = session;
  }

  get busy(): boolean {
    return this.#busy;
  }
  get error(): Message | undefined {
    return this.#error;
  }

  async run(send: () => Promise<Ack>, onOk: () => void, questionId?: string): Promise<void> {
    if (this.#busy) return;
    this.#busy = true;
    this.#error = undefined;
    const ack = await send();
    this.#busy = false;
    if (ack.ok) {
      if (this.#alive) onOk();
      return;
    }
    const message = this.#session.failure(ack, questionId);
    if (this.#alive) this.#error = message;
    else this.#session.notices.error(message);
  }

  /** Call when the dialog unmounts. */
  dispose(): void {
    this.#alive = false;
  }
}

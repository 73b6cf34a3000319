/** Turns an ack or a REST result into the message Feedback.svelte shows. */
import { errorKey } from '../../../../shared/i18n/index.ts';

export interface FeedbackMessage {
  ok: boolean;
  key: string;
  values?: Record<string, string | number>;
}

export function fromAck(
  ack: { ok: true } | { ok: false; code: string; params?: Record<string, string | number> },
  success: string,
  values?: Record<string, string | number>,
): FeedbackMessage {
  if (ack.ok) return { ok: true, key: success, ...(values ? { values } : {}) };
  return { ok: false, key: errorKey(ack.code) };
}

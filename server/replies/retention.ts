/**
 * How long a contact for a written reply is kept: while its asker may still be owed a reply, then the retention
 * period after the last delivery. Pure: the state and the time are passed in.
 */
import type { SessionState } from '../../shared/domain/types.ts';

/**
 * When the contact may be erased (ms), or null while it is still needed: the session is not closed yet, or one of
 * the asker's opinions is still open or awaits its written reply or that reply's delivery. A contact of a session
 * that no longer exists may go at once.
 */
export function contactExpiresAt(
  state: SessionState | null,
  participantId: string,
  savedAt: number,
  retentionMs: number,
): number | null {
  if (!state) return 0;
  if (state.status !== 'closed') return null;
  let last = savedAt;
  for (const q of Object.values(state.questions)) {
    if (q.authorId !== participantId) continue;
    if (q.status === 'pending' || q.status === 'published') return null;
    if (q.status !== 'answered' || q.answer?.mode !== 'writing') continue;
    const delivery = q.answer.written?.delivery;
    if (!delivery) return null;
    last = Math.max(last, delivery.at);
  }
  return last + retentionMs;
}

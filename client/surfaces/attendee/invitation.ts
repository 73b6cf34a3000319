/**
 * A personal invitation (giấy mời) opened on the phone: loaded only when the page's address carries one, so the
 * join screen of everyone else stays within the phone's 60 KB budget.
 *
 * - Before joining: reads the invitation (that invitee's salutation, name, group or organisation) to fill in the
 *   join form; the join then carries the token and the server marks the invitee present.
 * - Already joined on this phone (the giấy mời scanned again at the hall): joins again with this device's secret and
 *   the token — the same participant, now marked present.
 */
import type { InvitationView } from '../../../shared/invitations/invitees.ts';
import { api, request } from '../../lib/api.ts';
import { savedSecret, type AttendeeIdentity } from './identity.ts';

export type { InvitationView };
/** Its strings, for the caller to register (importing the i18n runtime here would split it out of the first load). */
export { default as messages } from '../../../shared/i18n/invitationPhone.ts';

export const readInvitation = (joinCode: string, token: string) =>
  request<InvitationView>('POST', '/api/invitation', { body: { joinCode, token } });

/** Checks in a phone that joined before; true when the invitee is (now) marked present. */
export async function checkInAgain(identity: AttendeeIdentity, token: string): Promise<boolean> {
  const secret = savedSecret(identity.sessionId);
  if (!secret) return false;
  const result = await api.join({ joinCode: identity.joinCode, secret, invitation: token });
  return result.ok && result.value.checkedIn === true;
}

/**
 * Finding an invitation from what a phone sends (its join code and the token of its giấy mời), and the rule for
 * when joining with it marks the invitee present. Used by the join (server/http/api.ts) and the invitation routes.
 */
import type { Request } from 'express';
import type { SessionState } from '../../shared/domain/types.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { joinBudgetsOf } from '../limits/joinBudgets.ts';
import { wardToday } from '../reports/wardClock.ts';
import { sessionForJoinCode } from '../sessions/joinCodes.ts';
import { InviteeStore } from './InviteeStore.ts';

/** The app's one invitee store (it holds nothing itself: every read goes to the document store). */
const perApp = new WeakMap<AppContext, InviteeStore>();
export function inviteesOf(ctx: AppContext): InviteeStore {
  let store = perApp.get(ctx);
  if (!store) perApp.set(ctx, (store = new InviteeStore(ctx.store.docs)));
  return store;
}

/** The personal link of an invitation: the join link, the token after `#` (never sent in a request line or logged). */
export const invitationLink = (origin: string, joinCode: string, token: string) =>
  `${origin}/j/${joinCode}#moi=${token}`;

/**
 * Whether joining now means being in the hall: the meeting is on, or it is its day. A giấy mời scanned at home
 * days before (to send an opinion) does not mark anyone present; scanned again at the hall it does.
 */
export const meetingIsOn = (state: SessionState, today = wardToday()) =>
  state.status === 'live' || (state.status === 'collecting' && state.date === today);

/**
 * Resolves a join code and, when given, an invitation token of that session, counting the lookup against the join
 * budgets: a wrong code or a token that is not of this session is a guess. Throws `not_found` for a wrong code and
 * `invalid_invitation` for a wrong token.
 */
export async function lookUpInvitation(
  ctx: AppContext,
  req: Request,
  joinCode: string,
  token: string | undefined,
) {
  const store = inviteesOf(ctx);
  let codeRight = false;
  const found = await joinBudgetsOf(ctx).lookUp(req.ip, async () => {
    const sessionId = await sessionForJoinCode(ctx.store.docs, joinCode);
    if (!sessionId) return null;
    codeRight = true;
    if (token === undefined) return { sessionId, invitee: null };
    const invitee = await store.byToken(sessionId, token);
    return invitee ? { sessionId, invitee } : null;
  });
  if (!found) {
    if (codeRight) throw new AppError('invalid_invitation', 'this invitation is not valid for this meeting');
    throw new AppError('not_found', 'no session with this code');
  }
  return found;
}

/**
 * The big screen's REST calls: a display token for a session, and pairing a projector by a short code (the
 * projector opens a code and polls; staff claim the code for a session). Pairing codes live in the document store
 * (server/screens/ScreenPairings.ts); the limiters are ctx.limits', so budgets hold across a scale-out.
 */
import { Router, type Request, type Response } from 'express';
import type { SessionState } from '../../shared/domain/types.ts';
import {
  SCREEN_ROLES,
  ScreenPairClaimSchema,
  ScreenPairPollSchema,
  type DisplayTokenReply,
  type ScreenPairingOpened,
  type ScreenPairPollReply,
} from '../../shared/protocol.ts';
import { TOKEN_TTL_SEC } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { isLimited, type Limiter } from '../limits/RateLimits.ts';
import { ScreenPairings, type ScreenGrant } from '../screens/ScreenPairings.ts';
import { requireRole, type AuthedRequest } from './auth.ts';
import { parse } from './parse.ts';

/** A display token for the session's big screen, and the screen's path with it. */
export async function issueDisplayToken(ctx: AppContext, state: SessionState): Promise<ScreenGrant> {
  const { token } = await ctx.tokens.sign(
    { role: 'screen', sub: `screen:${state.id}`, sid: state.id },
    TOKEN_TTL_SEC.screen,
  );
  return { sessionId: state.id, token, path: `/screen/${state.id}?token=${encodeURIComponent(token)}` };
}

/** Takes a point from `limiter` for `key`, or refuses with `rate_limited`. */
async function spend(limiter: Limiter, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (err) {
    if (isLimited(err)) throw new AppError('rate_limited', 'too many attempts; wait a few minutes');
    throw err;
  }
}

const clientKey = (req: Request) => req.ip ?? 'unknown';

export function screensRouter(ctx: AppContext): Router {
  const r = Router();
  const pairings = new ScreenPairings(ctx.store.docs);
  const showScreen = requireRole(ctx, SCREEN_ROLES);
  // A projector opens a code once in a few minutes; a busy hall network behind one address may hold several.
  const opening = ctx.limits.create('screen-pair-open', { points: 20, durationSec: 600 });
  // The projector polls every two seconds.
  const polling = ctx.limits.create('screen-pair-poll', { points: 120, durationSec: 60 });
  // Wrong codes typed by one staff account: a few mistakes, then a pause (a right code gives its point back).
  const claiming = ctx.limits.create('screen-pair-claim', { points: 5, durationSec: 300, blockSec: 300 });

  const loadSession = async (id: string) => {
    const state = await ctx.sessions.state(id);
    if (!state) throw new AppError('not_found', 'no such session');
    return state;
  };

  r.post('/sessions/:id/display-token', showScreen, async (req, res: Response<DisplayTokenReply>) => {
    const { token, path } = await issueDisplayToken(ctx, await loadSession(String(req.params.id)));
    res.json({ token, path });
  });

  r.post('/screen-pairings', async (req, res: Response<ScreenPairingOpened>) => {
    await spend(opening, clientKey(req));
    res.status(201).json(await pairings.open());
  });

  r.post('/screen-pairings/poll', async (req, res: Response<ScreenPairPollReply>) => {
    await spend(polling, clientKey(req));
    const { code, secret } = parse(ScreenPairPollSchema, req.body);
    const result = await pairings.poll(code, secret);
    if (!result) throw new AppError('not_found', 'no such pairing code (or it expired)');
    res.json(result);
  });

  r.post('/sessions/:id/screen-pairing', showScreen, async (req: AuthedRequest, res) => {
    const { code } = parse(ScreenPairClaimSchema, req.body);
    const who = req.claims?.sub ?? clientKey(req);
    await spend(claiming, who);
    const state = await loadSession(String(req.params.id));
    if (!(await pairings.claim(code, await issueDisplayToken(ctx, state))))
      throw new AppError('not_found', 'no screen is waiting with this code (or it expired)');
    await claiming.reward(who, 1);
    res.json({ sessionId: state.id });
  });

  return r;
}

import type { NextFunction, Request, Response } from 'express';
import { isStaffRole, type Role } from '../../shared/domain/roles.ts';
import type { Claims } from '../auth/tokens.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';

export interface AuthedRequest extends Request {
  claims?: Claims;
}

export const bearer = (req: Request): string | null => {
  const header = req.get('authorization');
  return header?.startsWith('Bearer ') ? header.slice(7) : null;
};

/**
 * Verifies a token; for staff also that the account still exists, is enabled and was not changed since the token
 * was signed (its version, see server/auth/AccountWatch.ts). The claims carry the account's current name.
 */
export async function authenticate(ctx: AppContext, token: unknown): Promise<Claims | null> {
  const claims = await ctx.tokens.verify(token);
  if (!claims) return null;
  if (!isStaffRole(claims.role)) return claims;
  const account = await ctx.users.account(claims.sub);
  if (!account || account.version !== (claims.ver ?? 0) || account.role !== claims.role) return null;
  return { ...claims, name: account.name, fieldIds: account.fieldIds };
}

/** Middleware: a valid token with one of `roles` (any staff role when omitted). */
export function requireRole(ctx: AppContext, roles?: readonly Role[]) {
  return async (req: AuthedRequest, _res: Response, next: NextFunction) => {
    const claims = await authenticate(ctx, bearer(req));
    if (!claims) return next(new AppError('unauthorized', 'sign in first'));
    const allowed = roles ? roles.includes(claims.role) : isStaffRole(claims.role);
    if (!allowed) return next(new AppError('forbidden', `${claims.role} may not do this`));
    req.claims = claims;
    next();
  };
}

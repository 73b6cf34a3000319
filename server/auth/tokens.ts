import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../../shared/domain/roles.ts';
import { ROLES } from '../../shared/domain/roles.ts';

/** What a signed token says about its bearer. */
export interface Claims {
  role: Role;
  /** userId for staff and screens, participantId for attendees. */
  sub: string;
  name?: string;
  /** Attendee and screen tokens are bound to one session. */
  sid?: string;
  fieldIds?: string[];
  /**
   * Staff: the account's version when the token was signed. Disabling the account or changing its role, fields or
   * password bumps the version, and a token of an older version is refused (server/auth/AccountWatch.ts).
   */
  ver?: number;
}

/** Lifetimes: staff sign in per meeting day; phones keep their identity to read answers months later. */
export const TOKEN_TTL_SEC: Record<'staff' | 'attendee' | 'screen', number> = {
  staff: 12 * 3600,
  attendee: 400 * 86400,
  screen: 30 * 86400,
};

export class Tokens {
  readonly #key: Uint8Array;
  constructor(secret: string) {
    this.#key = new TextEncoder().encode(secret);
  }

  async sign(claims: Claims, ttlSec: number): Promise<{ token: string; expiresAt: number }> {
    const expiresAt = Math.floor(Date.now() / 1000) + ttlSec;
    const { sub, ...rest } = claims;
    const token = await new SignJWT({ ...rest })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.#key);
    return { token, expiresAt: expiresAt * 1000 };
  }

  /** The claims of a valid, unexpired token; null otherwise (never throws on bad input). */
  async verify(token: unknown): Promise<Claims | null> {
    if (typeof token !== 'string' || token.length > 4096) return null;
    try {
      const { payload } = await jwtVerify(token, this.#key, { algorithms: ['HS256'] });
      const role = payload.role;
      if (typeof payload.sub !== 'string' || !(ROLES as readonly unknown[]).includes(role)) return null;
      return {
        role: role as Role,
        sub: payload.sub,
        ...(typeof payload.name === 'string' ? { name: payload.name } : {}),
        ...(typeof payload.sid === 'string' ? { sid: payload.sid } : {}),
        ...(Array.isArray(payload.fieldIds)
          ? { fieldIds: payload.fieldIds.filter((f) => typeof f === 'string') }
          : {}),
        ...(typeof payload.ver === 'number' ? { ver: payload.ver } : {}),
      };
    } catch {
      return null;
    }
  }
}

/**
 * What a signed token says about its holder, read on the device without verifying it (the server verifies every
 * request; the client only uses the claims to arrange its screen, e.g. an official's fields first). `LoginReply`
 * carries no `fieldIds`, the token does.
 */
export interface TokenClaims {
  role?: string;
  sub?: string;
  name?: string;
  sid?: string;
  fieldIds?: string[];
  exp?: number;
}

/** The payload of a JWT, or `{}` when the token is not one we can read. */
export function readClaims(token: string | undefined): TokenClaims {
  const part = token?.split('.')[1];
  if (!part) return {};
  try {
    const base64 = part
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const payload: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (typeof payload !== 'object' || payload === null) return {};
    const p = payload as Record<string, unknown>;
    const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
    const claims: TokenClaims = {};
    const role = str(p.role);
    const sub = str(p.sub);
    const name = str(p.name);
    const sid = str(p.sid);
    if (role !== undefined) claims.role = role;
    if (sub !== undefined) claims.sub = sub;
    if (name !== undefined) claims.name = name;
    if (sid !== undefined) claims.sid = sid;
    if (Array.isArray(p.fieldIds))
      claims.fieldIds = p.fieldIds.filter((f): f is string => typeof f === 'string');
    if (typeof p.exp === 'number') claims.exp = p.exp;
    return claims;
  } catch {
    return {};
  }
}

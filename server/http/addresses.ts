/**
 * The address phones use: in every QR code and printed link. Chosen once by the office (kept in the ward profile),
 * else PUBLIC_URL, else the address this request came in on — which, on the server's own computer, is localhost,
 * an address no phone can open. The admin page and the big screen then say so and offer the server's LAN
 * addresses (private IPv4 of its network interfaces) or PUBLIC_URL.
 */
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { Router, type Request } from 'express';
import QRCode from 'qrcode';
import { STAFF_ROLES } from '../../shared/domain/roles.ts';
import { JoinAddressSchema, type AddressesReply, type JoinLinkReply } from '../../shared/protocol.ts';
import type { AppContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { joinBudgetsOf } from '../limits/joinBudgets.ts';
import { sessionForJoinCode } from '../sessions/joinCodes.ts';
import { requireRole } from './auth.ts';
import { parse } from './parse.ts';

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** localhost, 127.0.0.0/8, ::1: reachable from this computer only. */
export function isLoopback(origin: string): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.replace(/^\[|\]$/g, '').toLowerCase();
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

const isPrivateV4 = (ip: string) =>
  /^10\./.test(ip) || /^192\.168\./.test(ip) || /^172\.(1[6-9]|2\d|3[01])\./.test(ip);

/** The server's addresses on its local networks (private IPv4 only), as origins on `port`. */
export function lanOrigins(
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const ips = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => i.family === 'IPv4' && !i.internal && isPrivateV4(i.address))
    .map((i) => i.address);
  return [...new Set(ips)].map((ip) => `http://${ip}${port === 80 ? '' : `:${port}`}`);
}

const requestOrigin = (req: Request) => `${req.protocol}://${req.get('host') ?? 'localhost'}`;

/** Where phones are sent: the office's choice, else PUBLIC_URL, else this request's own address. */
export async function joinOrigin(ctx: AppContext, req: Request): Promise<string> {
  const ward = await ctx.ward.get();
  return trimSlash(ward.joinAddress ?? ctx.config.publicUrl ?? requestOrigin(req));
}

export function addressesRouter(ctx: AppContext): Router {
  const r = Router();
  const admin = requireRole(ctx, ['admin']);
  // The big screen shows the warning and the LAN addresses too.
  const staffOrScreen = requireRole(ctx, [...STAFF_ROLES, 'screen']);

  const joinBudgets = joinBudgetsOf(ctx);
  /** A code lookup like the join page's: it answers whether a code exists, so it counts against the same budgets. */
  const sessionOfCode = async (req: Request) => {
    const code = String(req.params.code).trim().toUpperCase();
    if (!(await joinBudgets.lookUp(req.ip, () => sessionForJoinCode(ctx.store.docs, code))))
      throw new AppError('not_found', 'no session with this code');
    return code;
  };

  /** The join QR as SVG: the link phones open, on the chosen address. */
  r.get('/join/:code/qr.svg', async (req, res) => {
    const code = await sessionOfCode(req);
    const svg = await QRCode.toString(`${await joinOrigin(ctx, req)}/j/${code}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    res.type('image/svg+xml').set('Cache-Control', 'no-cache').send(svg);
  });

  /** The same link as text, for what is printed next to the QR, and whether it only works on this computer. */
  r.get('/join/:code/link', async (req, res) => {
    const code = await sessionOfCode(req);
    const origin = await joinOrigin(ctx, req);
    const reply: JoinLinkReply = { origin, link: `${origin}/j/${code}`, loopback: isLoopback(origin) };
    res.set('Cache-Control', 'no-cache').json(reply);
  });

  r.get('/addresses', staffOrScreen, async (req, res) => {
    const ward = await ctx.ward.get();
    const chosen = await joinOrigin(ctx, req);
    const reply: AddressesReply = {
      chosen,
      loopback: isLoopback(chosen),
      ...(ward.joinAddress ? { saved: ward.joinAddress } : {}),
      ...(ctx.config.publicUrl ? { publicUrl: trimSlash(ctx.config.publicUrl) } : {}),
      lan: lanOrigins(req.socket.localPort ?? ctx.config.port),
    };
    res.json(reply);
  });

  r.put('/addresses/join', admin, async (req, res) => {
    const { address } = parse(JoinAddressSchema, req.body);
    const { joinAddress: _old, ...ward } = await ctx.ward.get();
    await ctx.ward.put(address ? { ...ward, joinAddress: trimSlash(address) } : ward);
    res.json({ joinAddress: address ? trimSlash(address) : null });
  });

  return r;
}

/**
 * The key a per-address budget counts under. `req.ip` already follows X-Forwarded-For from a trusted (loopback)
 * reverse proxy. An IPv6 subscriber is handed a whole /64, so any address in it is the same "machine" here —
 * otherwise one phone could rotate through 2^64 addresses and never run out of budget.
 */
export function clientAddress(ip: string | undefined): string {
  if (!ip) return 'unknown';
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  if (!ip.includes(':')) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address ("::" filled in), lower case, without leading zeros. */
function expandIpv6(ip: string): string[] {
  const [head = '', tail] = ip.toLowerCase().split('%')[0]?.split('::') ?? [];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(missing, 0)).fill('0'), ...right].map((g) =>
    (Number.parseInt(g, 16) || 0).toString(16),
  );
}

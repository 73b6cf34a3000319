/**
 * A TCP port on 127.0.0.1 for a process a test starts (an app node, a Redis server) and may start again on the same
 * port after killing it. Taken below the kernel's ephemeral range (`net.ipv4.ip_local_port_range`, 32768–60999 by
 * default): a port the kernel hands out for `listen(0)` can be handed out again to an outgoing connection in the
 * seconds before the child binds it, or between its kill and its restart — the long fault run met EADDRINUSE so. Below
 * the range only another test choosing the same port can take it, and binding it here first checks that.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 10_000;

function ephemeralStart(): number {
  try {
    const start = Number(
      readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return Number.isInteger(start) && start > LOWEST + 1_000 ? start : 32_768;
  } catch {
    return 32_768;
  }
}

const below = ephemeralStart();

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (below - LOWEST));
    if (await bindable(port)) return port;
  }
  throw new Error(`no free port between ${LOWEST} and ${below}`);
}

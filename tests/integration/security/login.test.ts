/**
 * Staff sign-in as OWASP ASVS 4.0 L2 asks (V2.2): guessing is slowed per account and per source address with
 * growing delays, never a lockout an attacker can impose on the admin; unknown, disabled and wrong-password
 * sign-ins get the same answer after the same work. Each "machine" is its own loopback address (tests/helpers/fromAddress.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delaySchedule } from '../../../server/auth/LoginGuard.ts';
import { loginFrom, type Reply } from '../../helpers/fromAddress.ts';
import { signInTimeRatios } from '../../helpers/signInTiming.ts';
import { ADMIN_PASSWORD, startServer, type TestServer } from '../../helpers/server.ts';
import { twoNodesOnRedis } from '../../helpers/twoNodes.ts';

const WRONG = 'not-the-password';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};
const retryAfter = (reply: Reply) => Number(reply.headers['retry-after']);

async function createUser(server: TestServer, username: string, password: string, role = 'chair') {
  const res = await server.api('POST', '/api/users', {
    token: server.adminToken,
    body: { username, password, role, name: username },
  });
  expect(res.status).toBe(201);
}

describe('staff sign-in on one node', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('lets wrong passwords from one address through ever more slowly, refusing the rest as rate_limited with Retry-After', async () => {
    const from = '127.0.1.1';
    const free = server.app.ctx.config.login.perAccountAddress;
    for (let i = 0; i < free; i++)
      expect((await loginFrom(from, server.url, 'admin', WRONG)).status).toBe(401);
    const waits: number[] = [];
    for (let step = 0; step < 4; step++) {
      expect((await loginFrom(from, server.url, 'admin', WRONG)).status).toBe(401);
      const refused = await loginFrom(from, server.url, 'admin', WRONG);
      expect(refused.status).toBe(429);
      expect(refused.body.code).toBe('rate_limited');
      expect(retryAfter(refused)).toBeGreaterThanOrEqual(1);
      expect(refused.body.params?.retryAfterSec).toBe(retryAfter(refused));
      waits.push(retryAfter(refused));
      await sleep(retryAfter(refused) * 1000 + 100);
    }
    expect(waits).toEqual([...waits].sort((a, b) => a - b));
    expect(waits.at(-1)).toBeGreaterThan(waits[0] ?? 0);
  });

  it('checks the password only a handful of times in a burst of 200 guesses from one address', async () => {
    await createUser(server, 'burst-target', 'burst-password-1');
    const started = performance.now();
    const replies = await Promise.all(
      Array.from({ length: 200 }, () => loginFrom('127.0.1.2', server.url, 'burst-target', WRONG)),
    );
    const elapsedSec = (performance.now() - started) / 1000;
    const checked = replies.filter((r) => r.status === 401).length;
    const refused = replies.filter((r) => r.status === 429 && r.body.code === 'rate_limited').length;
    expect(checked + refused).toBe(200);
    // The free tries, the first slowed one, and one more for each wait that ended while the burst went on.
    const { perAccountAddress, maxDelaySec } = server.app.ctx.config.login;
    let allowed = perAccountAddress + 1;
    let waited = 0;
    for (const delay of delaySchedule(maxDelaySec)) {
      waited += delay;
      if (waited > elapsedSec) break;
      allowed++;
    }
    expect(checked).toBeLessThanOrEqual(allowed);
    expect(checked).toBeLessThan(20);
  });

  it('still signs the admin in from another address while one address is throttled (no lockout)', async () => {
    const attacker = '127.0.1.3';
    let reply: Reply | undefined;
    for (let i = 0; i < 50 && reply?.status !== 429; i++)
      reply = await loginFrom(attacker, server.url, 'admin', WRONG);
    expect(reply?.status).toBe(429);
    // The right password from the throttled address waits too: otherwise the throttle would answer the guess.
    expect((await loginFrom(attacker, server.url, 'admin', ADMIN_PASSWORD)).status).toBe(429);
    const office = await loginFrom('127.0.1.4', server.url, 'admin', ADMIN_PASSWORD);
    expect(office.status).toBe(200);
    expect(typeof office.body.token).toBe('string');
  });

  it('answers an unknown user, a disabled account and a wrong password alike', async () => {
    await createUser(server, 'gone-chair', 'gone-password-1');
    await server.api('PATCH', '/api/users/gone-chair', {
      token: server.adminToken,
      body: { disabled: true },
    });
    await createUser(server, 'kept-chair', 'kept-password-1');
    const replies = [
      await loginFrom('127.0.1.5', server.url, 'no-such-user', 'whatever-1'),
      await loginFrom('127.0.1.6', server.url, 'gone-chair', 'gone-password-1'),
      await loginFrom('127.0.1.7', server.url, 'kept-chair', 'wrong-password-1'),
    ];
    for (const reply of replies) {
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual(replies[0]?.body);
    }
  });

  // What this guards is the kind of defect that tells accounts apart: a path that skips the password check answers in
  // a fifth of the time or less. How close the three are on a quiet machine (within 10 %) is `npm run bench`'s
  // figure (docs/benchmarks.md); on a CI box shared with other work the median of 48 ratios moved between 0.89 and
  // 1.12 from run to run with no change to the server, so the bound here leaves room for that and no more.
  it(
    'takes the same time for an unknown user, a disabled account and a wrong password (medians within 25 %)',
    { timeout: 120_000 },
    async () => {
      await createUser(server, 'timed-known', 'timed-password-1');
      await createUser(server, 'timed-disabled', 'timed-password-2');
      await server.api('PATCH', '/api/users/timed-disabled', {
        token: server.adminToken,
        body: { disabled: true },
      });
      const tries = {
        unknown: ['timed-nobody', 'timed-password-1'],
        wrong: ['timed-known', 'wrong-password-1'],
        disabled: ['timed-disabled', 'timed-password-2'],
      } as const;
      const ratios = await signInTimeRatios(server.url, tries, 48, (n) => `127.0.2.${n + 1}`);
      for (const kind of ['unknown', 'disabled'] as const) {
        const ratio = median(ratios[kind]);
        expect(ratio, `${kind} / wrong password: ${ratio.toFixed(3)}`).toBeGreaterThan(0.75);
        expect(ratio, `${kind} / wrong password: ${ratio.toFixed(3)}`).toBeLessThan(1.25);
      }
    },
  );
});

describe('guessing one account from many addresses', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ env: { LOGIN_BUDGET_ACCOUNT: '8' } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('slows down addresses that never signed in as the account, not the one its owner uses', async () => {
    await createUser(server, 'target-chair', 'target-password-1');
    const owner = '127.0.3.1';
    expect((await loginFrom(owner, server.url, 'target-chair', 'target-password-1')).status).toBe(200);
    // Nine addresses, one guess each: no single address is over its own budget.
    for (let i = 0; i < 9; i++)
      expect((await loginFrom(`127.0.3.${10 + i}`, server.url, 'target-chair', WRONG)).status).toBe(401);
    const stranger = await loginFrom('127.0.3.100', server.url, 'target-chair', 'target-password-1');
    expect(stranger.status).toBe(429);
    expect(retryAfter(stranger)).toBeGreaterThanOrEqual(1);
    expect((await loginFrom(owner, server.url, 'target-chair', 'target-password-1')).status).toBe(200);
  });
});

describe('staff sign-in in scale-out', () => {
  const nodes = twoNodesOnRedis();

  it('keeps one budget per address across the nodes behind the load balancer', async () => {
    const { a, b } = nodes;
    const from = '127.0.4.1';
    const free = a.app.ctx.config.login.perAccountAddress;
    // Alternating nodes: the free tries and the first slowed one are let through, wherever they land.
    for (let i = 0; i <= free; i++) {
      const node = i % 2 ? b : a;
      expect((await loginFrom(from, node.url, 'admin', WRONG)).status).toBe(401);
    }
    for (const node of [a, b]) {
      const refused = await loginFrom(from, node.url, 'admin', WRONG);
      expect(refused.status).toBe(429);
    }
    expect((await loginFrom('127.0.4.2', b.url, 'admin', ADMIN_PASSWORD)).status).toBe(200);
  });
});

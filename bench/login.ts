/**
 * What guessing staff passwords buys (docs/security.md, "Staff sign-in"): `guesses` wrong passwords for `admin` from
 * one address, `concurrency` at a time, against the real app; during the attack the right password from another
 * address; then the time an unknown username, a disabled account and a wrong password take (tests/helpers/signInTiming.ts:
 * one at a time in turning order, fresh addresses).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
import { loginFrom } from '../tests/helpers/fromAddress.ts';
import { signInTimeRatios } from '../tests/helpers/signInTiming.ts';
import { median, summarise, type Summary } from './lib/stats.ts';

export interface LoginResult {
  guesses: number;
  concurrency: number;
  seconds: number;
  /** Guesses whose password was checked (401); the rest waited (429 rate_limited). */
  checked: number;
  refused: number;
  other: number;
  /** Answer time of a refused guess, ms. */
  refusedMs: Summary;
  /** The right password from another address, in the middle of the attack. */
  owner: { status: number; ms: number };
  /** Medians of (unknown username ÷ wrong password) and (disabled account ÷ wrong password), per round. */
  timing: { rounds: number; wrongMs: number; unknownRatio: number; disabledRatio: number };
}

const ADMIN_PASSWORD = 'bench-admin-password';

export async function loginFigure(guesses: number, rounds: number, concurrency = 20): Promise<LoginResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-login-'));
  const app = await createApp(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, ADMIN_PASSWORD, LOG_LEVEL: 'silent' }),
  );
  try {
    const url = `http://127.0.0.1:${await app.listen()}`;
    const attacker = '127.0.5.1';
    let checked = 0;
    let refused = 0;
    let other = 0;
    const refusedMs: number[] = [];
    let owner: LoginResult['owner'] | undefined;
    let sent = 0;
    const started = performance.now();
    const worker = async () => {
      while (sent < guesses) {
        const n = ++sent;
        if (n === Math.floor(guesses / 2)) {
          const reply = await loginFrom('127.0.5.2', url, 'admin', ADMIN_PASSWORD);
          owner = { status: reply.status, ms: reply.ms };
        }
        const reply = await loginFrom(attacker, url, 'admin', `guess-${n}`);
        if (reply.status === 401) checked++;
        else if (reply.status === 429) {
          refused++;
          refusedMs.push(reply.ms);
        } else other++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    const seconds = (performance.now() - started) / 1000;

    const admin = (await loginFrom('127.0.5.3', url, 'admin', ADMIN_PASSWORD)).body.token ?? '';
    for (const [username, disabled] of [
      ['timed-known', false],
      ['timed-disabled', true],
    ] as const) {
      await fetch(`${url}/api/users`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
        body: JSON.stringify({ username, password: 'timed-password', role: 'chair' }),
      });
      if (disabled)
        await fetch(`${url}/api/users/${username}`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
          body: JSON.stringify({ disabled: true }),
        });
    }
    const timing = await signInTimeRatios(
      url,
      {
        unknown: ['timed-nobody', 'timed-password'],
        wrong: ['timed-known', 'wrong-password'],
        disabled: ['timed-disabled', 'timed-password'],
      },
      rounds,
      (n) => `127.7.${Math.floor(n / 250)}.${(n % 250) + 1}`,
    );
    return {
      guesses,
      concurrency,
      seconds,
      checked,
      refused,
      other,
      refusedMs: summarise(refusedMs),
      owner: owner ?? { status: 0, ms: Number.NaN },
      timing: {
        rounds,
        wrongMs: median(timing.wrongMs),
        unknownRatio: median(timing.unknown),
        disabledRatio: median(timing.disabled),
      },
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

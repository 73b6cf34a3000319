/**
 * How long an unknown username and a disabled account take to be refused, against a wrong password for a real account
 * (ASVS V2.2: the answer's time must not tell them apart). Used by the security test and by `npm run bench`.
 *
 * The three go one at a time, in an order that turns through all six permutations: sent together, the first one sent
 * also waited for the client to open the other two connections and shared the cores with them, so it looked slower
 * whichever kind it was (unknown ÷ wrong 1.30 on a CI box). Each round compares its three with each other, so a burst
 * of load on the machine falls on one round; the caller takes the medians of the ratios.
 */
import { loginFrom } from './fromAddress.ts';

export interface SignInTries {
  unknown: readonly [username: string, password: string];
  wrong: readonly [username: string, password: string];
  disabled: readonly [username: string, password: string];
}

const KINDS = ['unknown', 'wrong', 'disabled'] as const;
const ORDERS = [
  [0, 1, 2],
  [1, 2, 0],
  [2, 0, 1],
  [0, 2, 1],
  [2, 1, 0],
  [1, 0, 2],
] as const;
const WARM_UP = 3;

/**
 * `rounds` rounds (after a few to warm up), each from fresh source addresses (`address(n)` for the n-th sign-in, so no
 * budget is touched twice): unknown ÷ wrong and disabled ÷ wrong per round, and the wrong password's time (ms).
 */
export async function signInTimeRatios(
  url: string,
  tries: SignInTries,
  rounds: number,
  address: (n: number) => string,
): Promise<{ unknown: number[]; disabled: number[]; wrongMs: number[] }> {
  const out = { unknown: [] as number[], disabled: [] as number[], wrongMs: [] as number[] };
  for (let round = 0; round < rounds + WARM_UP; round++) {
    const ms: number[] = [];
    for (const k of ORDERS[round % ORDERS.length] ?? []) {
      const [username, password] = tries[KINDS[k]];
      const reply = await loginFrom(address(round * 3 + k), url, username, password);
      if (reply.status !== 401) throw new Error(`${KINDS[k]} sign-in answered ${reply.status}, not 401`);
      ms[k] = reply.ms;
    }
    if (round < WARM_UP) continue;
    const [unknown = Number.NaN, wrong = Number.NaN, disabled = Number.NaN] = ms;
    out.unknown.push(unknown / wrong);
    out.disabled.push(disabled / wrong);
    out.wrongMs.push(wrong);
  }
  return out;
}

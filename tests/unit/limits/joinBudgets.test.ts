/** The parts of the join budgets that need no server: how addresses are counted, how budgets are configured. */
import { describe, expect, it } from 'vitest';
import { JOIN_BUDGET_DEFAULTS, loadConfig } from '../../../server/config.ts';
import { clientAddress } from '../../../server/limits/clientAddress.ts';

describe('clientAddress', () => {
  it('counts IPv4 per address, IPv4 written as IPv6 as the IPv4 address', () => {
    expect(clientAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress(undefined)).toBe('unknown');
  });

  it('counts IPv6 per /64, however the address is written', () => {
    const key = clientAddress('2001:db8:1:2::1');
    expect(key).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:0db8:0001:0002:ffff:eeee:dddd:cccc')).toBe(key);
    expect(clientAddress('2001:db8:1:2:0:0:0:9%eth0')).toBe(key);
    expect(clientAddress('2001:db8:1:3::1')).not.toBe(key);
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
    expect(clientAddress('2001:db8::')).toBe('2001:db8:0:0::/64');
  });
});

describe('join budget configuration', () => {
  it('defaults fit a hall of 500 phones behind one address and stop a script well before thousands a day', () => {
    const { joinBudgets } = loadConfig({});
    expect(joinBudgets.newIdentity.points).toBeGreaterThanOrEqual(500);
    expect(joinBudgets.newIdentity.durationSec).toBeGreaterThanOrEqual(120);
    expect(joinBudgets.newIdentityDaily.points).toBeLessThan(2000);
    expect(joinBudgets.codeGuess.points).toBeLessThan(joinBudgets.codeLookup.points / 10);
    expect(Object.keys(joinBudgets).sort()).toEqual(Object.keys(JOIN_BUDGET_DEFAULTS).sort());
  });

  it('reads POINTS/SECONDS from the environment and refuses anything else', () => {
    expect(loadConfig({ JOIN_NEW_BUDGET: '900/300' }).joinBudgets.newIdentity).toEqual({
      points: 900,
      durationSec: 300,
    });
    for (const bad of ['900', '0/60', '10/0', 'lots/60', '-1/60'])
      expect(() => loadConfig({ JOIN_GUESS_BUDGET: bad }), bad).toThrow(/JOIN_GUESS_BUDGET/);
  });
});

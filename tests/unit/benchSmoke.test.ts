/**
 * The benchmark is not a test (`npm run bench`, minutes of load); this only checks that its script still runs end to
 * end at a tiny size and reports every figure of the issue, so it cannot rot between real runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Results } from '../../bench/report.ts';

const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench -- --quick', () => {
  it('runs at a tiny size and reports every figure', { timeout: 180_000 }, () => {
    const out = join(dir, 'benchmarks.md');
    const json = join(dir, 'benchmarks.json');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--out', out, '--json', json],
      {
        encoding: 'utf8',
        timeout: 170_000,
      },
    );
    expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);

    const results = JSON.parse(readFileSync(json, 'utf8')) as Results;
    const mode = results.modes.find((m) => m.mode === 'embedded');
    expect(mode?.errors).toEqual([]);
    const size = mode?.sizes[0];
    expect(size?.real.n).toBeGreaterThan(0);
    expect(size?.baseline.n).toBeGreaterThan(0);
    expect(size?.missing).toEqual({ real: 0, baseline: 0 });
    expect(size?.memory.kbPerPhone).toEqual(expect.any(Number));
    expect(mode?.ack?.summary.n).toBeGreaterThan(0);
    expect(mode?.ack?.baselineLag.messages).toEqual(expect.any(Number));
    expect(mode?.storm?.finalVotes).toBe(mode?.storm?.votes);
    expect(results.replay).toMatchObject({
      withSnapshotMs: expect.any(Number),
      withoutSnapshotMs: expect.any(Number),
    });
    expect(results.minutes).toMatchObject({ summary: { n: expect.any(Number) }, missing: 0 });
    expect(results.bundle?.rows.map((r) => r.surface)).toEqual(
      expect.arrayContaining(['attendee', 'screen', 'panel']),
    );

    const markdown = readFileSync(out, 'utf8');
    for (const figure of [
      'fan-out',
      'command ack',
      'memory per connected phone',
      'vote storm',
      'start-up replay',
      'minutes',
      'initial JavaScript',
      'fan-out under load',
      'join storm',
    ])
      expect(markdown).toContain(figure);
  });
});

/**
 * The long run of the randomized fault test (`npm run bench -- --only history`): `runs` schedules, each with its own
 * seed, three app nodes on Redis with two replicas and Sentinel, and the nemesis of tests/helpers/history/faultRun.ts.
 * Every history (each client's commands, acks, syncs and pushed events, the final log) and its verdict is written to
 * `<dir>/history-<seed>.json`, and a summary of all of them to `<dir>/verdict.json`.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runFaultSchedule } from '../tests/helpers/history/faultRun.ts';

export interface HistoryRun {
  seed: number;
  ok: boolean;
  violations: string[];
  faults: string[];
  commands: number;
  acked: number;
  resent: number;
  logLength: number;
  seconds: number;
  file: string;
  error?: string;
}

export interface HistoryResult {
  dir: string;
  runs: HistoryRun[];
  nodes: number;
  phonesPerNode: number;
  loadSeconds: number;
  faultsPerRun: number;
}

export async function historyFigure(options: {
  runs: number;
  dir?: string;
  firstSeed: number;
  nodes: number;
  phonesPerNode: number;
  loadMs: number;
  faults: number;
  verbose: boolean;
}): Promise<HistoryResult> {
  const dir = options.dir ? resolve(options.dir) : mkdtempSync(join(tmpdir(), 'bench-history-'));
  mkdirSync(dir, { recursive: true });
  console.log(`  histories and verdicts: ${dir}`);
  const runs: HistoryRun[] = [];
  for (let i = 0; i < options.runs; i++) {
    const seed = options.firstSeed + i;
    const file = join(dir, `history-${seed}.json`);
    const t0 = performance.now();
    try {
      const result = await runFaultSchedule({
        seed,
        nodes: options.nodes,
        phonesPerNode: options.phonesPerNode,
        loadMs: options.loadMs,
        faults: options.faults,
        sentinel: true,
        minutes: true,
        log: options.verbose ? (line) => console.log(`    ${line}`) : () => {},
      });
      writeFileSync(file, JSON.stringify(result));
      const run: HistoryRun = {
        seed,
        ok: result.violations.length === 0,
        violations: result.violations.map((v) => `${v.rule}: ${v.detail}`),
        faults: result.done.map((d) => `${d.at} ms ${d.what}`),
        commands: result.stats.commands,
        acked: result.stats.acked,
        resent: result.stats.resent,
        logLength: result.stats.logLength,
        seconds: (performance.now() - t0) / 1000,
        file,
      };
      runs.push(run);
      console.log(
        `  seed ${seed}: ${run.ok ? 'pass' : `FAIL (${run.violations.length} violations: ${run.violations.slice(0, 3).join('; ')})`}; ` +
          `${run.commands} commands, ${run.acked} acks, ${run.resent} resends; ${run.faults.join(', ')} (${run.seconds.toFixed(0)} s)`,
      );
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      // The stack too: a run that ends without a verdict is a finding about the harness or the system.
      writeFileSync(
        file,
        JSON.stringify({ seed, error, stack: err instanceof Error ? err.stack : undefined }),
      );
      runs.push({
        seed,
        ok: false,
        violations: [],
        faults: [],
        commands: 0,
        acked: 0,
        resent: 0,
        logLength: 0,
        seconds: (performance.now() - t0) / 1000,
        file,
        error,
      });
      console.log(`  seed ${seed}: the run failed: ${error}`);
    }
  }
  const result: HistoryResult = {
    dir,
    runs,
    nodes: options.nodes,
    phonesPerNode: options.phonesPerNode,
    loadSeconds: options.loadMs / 1000,
    faultsPerRun: options.faults,
  };
  writeFileSync(join(dir, 'verdict.json'), JSON.stringify(result, null, 2));
  console.log(`  verdict: ${join(dir, 'verdict.json')}`);
  return result;
}

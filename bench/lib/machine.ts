/**
 * What the numbers were measured on, and how busy the machine was with other work while they were: the CPU time
 * of the whole machine (/proc/stat) minus the CPU time of the bench's own processes (/proc/<pid>/stat), per phase.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface MachineInfo {
  /** One-row SQLite commits with the store's settings (WAL, synchronous=FULL) in the temp dir: the disk's fsync. */
  commitMs?: { p50: number; p99: number; mean: number };
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
  fdLimit: string;
}

export function describeMachine(): MachineInfo {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    fdLimit: fdLimit(),
  };
}

/** Soft/hard open-files limit of this process (Node raises the soft limit to the hard one at start-up). */
function fdLimit(): string {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const [soft, hard] = line?.split(/\s{2,}/).slice(1, 3) ?? [];
    return `${soft}/${hard}`;
  } catch {
    return 'unknown';
  }
}

const TICKS_PER_SEC = 100; // USER_HZ on Linux

interface CpuMark {
  at: number;
  busy: number;
  ours: Map<number, number>;
  load1: number;
}

/**
 * CPU time of a process in ticks, or null when it is gone. With `reaped`, the CPU time of its children that have
 * exited and been waited for is added (cutime + cstime): short-lived bench children still count as ours.
 */
function procTicks(pid: number, reaped = false): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the ")" of the command name start at field 3; utime, stime, cutime, cstime are fields 14–17.
    const f = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    return (f[11] ?? 0) + (f[12] ?? 0) + (reaped ? (f[13] ?? 0) + (f[14] ?? 0) : 0);
  } catch {
    return null;
  }
}

function machineBusyTicks(): number {
  const first = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const [, user, nice, system, idle, iowait, irq, softirq, steal] = first.split(/\s+/).map(Number);
  void idle;
  void iowait;
  return (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
}

export interface CpuUse {
  seconds: number;
  /** Cores' worth of CPU used by the bench's processes (0–cores). */
  ours: number;
  /** Cores' worth of CPU used by everything else on the machine. */
  foreign: number;
  load1: number;
}

export class CpuMeter {
  readonly #pids: () => number[];
  constructor(pids: () => number[]) {
    this.#pids = pids;
  }

  mark(): CpuMark {
    const ours = new Map<number, number>();
    for (const pid of [process.pid, ...this.#pids()]) {
      const t = procTicks(pid, pid === process.pid);
      if (t !== null) ours.set(pid, t);
    }
    return { at: performance.now(), busy: machineBusyTicks(), ours, load1: loadavg()[0] ?? 0 };
  }

  since(start: CpuMark): CpuUse {
    const end = this.mark();
    const seconds = (end.at - start.at) / 1000;
    let ours = 0;
    for (const [pid, t] of end.ours) ours += t - (start.ours.get(pid) ?? t);
    const busy = end.busy - start.busy;
    const toCores = (ticks: number) => (seconds > 0 ? ticks / TICKS_PER_SEC / seconds : 0);
    return {
      seconds,
      ours: toCores(ours),
      foreign: Math.max(0, toCores(busy - ours)),
      load1: Math.max(start.load1, end.load1),
    };
  }
}

/** CPU time (user + system) a process has used so far, in ms; NaN when it is gone. */
export function processCpuMs(pid: number): number {
  const t = procTicks(pid);
  return t === null ? Number.NaN : (t * 1000) / TICKS_PER_SEC;
}

/**
 * Times `n` single-row commits as the embedded store makes them (WAL, synchronous=FULL: one fsync each). Every
 * command is one such commit on the server's event loop, so this bounds command throughput on this disk.
 */
export function probeCommits(n = 200): { p50: number; p99: number; mean: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-fsync-'));
  try {
    const db = new Database(join(dir, 'probe.sqlite'));
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, json TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (json) VALUES (?)');
    const commit = db.transaction((json: string) => insert.run(json));
    const row = JSON.stringify({ type: 'question.voted', questionId: 'x'.repeat(36), votes: 1 });
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      commit.immediate(row);
      times.push(performance.now() - t0);
    }
    db.close();
    times.sort((a, b) => a - b);
    const at = (p: number) =>
      times[Math.min(times.length - 1, Math.ceil((p / 100) * times.length) - 1)] ?? Number.NaN;
    return { p50: at(50), p99: at(99), mean: times.reduce((a, b) => a + b, 0) / times.length };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

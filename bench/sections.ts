/**
 * Sections of docs/benchmarks.md that a partial run (`--only history`, `--only joinstorm`) may replace on its own:
 * each sits between markers, and its rows of the summary table are recognised by how their figure begins.
 */
import type { HistoryResult } from './history.ts';
import type { JoinStormResult } from './joinStorm.ts';
import type { Row } from './report.ts';

export interface Section {
  /** The marker name: `<!-- bench: name -->` … `<!-- /bench: name -->`. */
  name: string;
  lines: string[];
  rows: Row[];
  /** How this section's summary rows begin (`| <figure>`), to replace them. */
  rowPrefix: string;
}

const ms = (x: number) => (Number.isFinite(x) ? (x < 10 ? x.toFixed(1) : x.toFixed(0)) : '—');
const when = (startedAt: string, command: string) =>
  `Measured ${startedAt.slice(0, 16).replace('T', ' ')} UTC with \`${command}\`.`;

export const JOIN_STORM_TARGET = { p99Ms: 1_000 };

export function joinStormSection(
  j: JoinStormResult | { error: string },
  startedAt: string,
  command: string,
): Section {
  const figure = 'join storm';
  if ('error' in j)
    return {
      name: 'joinstorm',
      lines: [],
      rows: [{ figure, target: '', measured: `error: ${j.error}`, baseline: '—', pass: false }],
      rowPrefix: `| ${figure}`,
    };
  const failures = Object.values(j.failed).reduce((a, b) => a + b, 0);
  const pass = j.joined === j.phones && failures === 0 && j.joinMs.p99 <= JOIN_STORM_TARGET.p99Ms;
  return {
    name: 'joinstorm',
    rowPrefix: `| ${figure}`,
    rows: [
      {
        figure: `${figure}, ${j.phones.toLocaleString('en')} phones within ${j.windowMs / 1000} s`,
        target: `all acked; p99 ≤ ${JOIN_STORM_TARGET.p99Ms} ms`,
        measured: `${j.joined} of ${j.phones} acked, p50 ${ms(j.joinMs.p50)} / p99 ${ms(j.joinMs.p99)} ms; synced p99 ${ms(j.syncedMs.p99)} ms`,
        baseline: '—',
        pass,
      },
    ],
    lines: [
      '## Join storm',
      '',
      when(startedAt, command),
      '',
      `${j.phones.toLocaleString('en')} phones join one live session evenly within ${j.windowMs / 1000} s, each as the SPA does: \`POST /api/join\``,
      '(the `participant.join` command decided, appended with fsync and acknowledged), then a socket.io connection and',
      '`sync`. The join budgets per source address are lifted (every phone comes from loopback), as in the real-time',
      'figures; the server is `bench/target.ts` in its own process.',
      '',
      '| phones | window | acked | join p50 / p99 / max | join → synced p50 / p99 | failures | participants afterwards |',
      '|---|---|---|---|---|---|---|',
      `| ${j.phones.toLocaleString('en')} | ${j.windowMs / 1000} s (last answer after ${(j.spanMs / 1000).toFixed(1)} s) | ${j.joined} | ` +
        `${ms(j.joinMs.p50)} / ${ms(j.joinMs.p99)} / ${ms(j.joinMs.max)} ms | ${ms(j.syncedMs.p50)} / ${ms(j.syncedMs.p99)} ms (${j.synced}) | ` +
        `${failures ? JSON.stringify(j.failed) : 'none'} | ${j.participants ?? '—'} |`,
      '',
    ],
  };
}

export function historySection(
  h: HistoryResult | { error: string },
  startedAt: string,
  command: string,
): Section {
  const figure = 'randomized faults';
  if ('error' in h)
    return {
      name: 'history',
      lines: [],
      rows: [{ figure, target: '', measured: `error: ${h.error}`, baseline: '—', pass: false }],
      rowPrefix: `| ${figure}`,
    };
  const passed = h.runs.filter((r) => r.ok).length;
  const faults = h.runs.reduce((n, r) => n + r.faults.filter((f) => /SIGKILL|SIGSTOP/.test(f)).length, 0);
  const acked = h.runs.reduce((n, r) => n + r.acked, 0);
  const lines = [
    '## Randomized faults and the history checker',
    '',
    when(startedAt, command),
    '',
    `${h.runs.length} schedules, each from its own seed: ${h.nodes} app nodes on Redis with two replicas and three sentinels`,
    `(acknowledged once on a replica: \`REDIS_WAIT_REPLICAS=1\`), ${h.phonesPerNode} phones and a chair on every node sending random`,
    `commands (questions, votes, hands raised and lowered, answers) for ${h.loadSeconds} s or until the nemesis is through, two minutes`,
    `writers, and ${h.faultsPerRun} nemesis operations per schedule: SIGKILL a node and start it again on its port, SIGSTOP one`,
    'for 6–9 s (past every client timeout) and SIGCONT it, SIGKILL the Redis primary and start it again through',
    "`scripts/redis-start-role.sh` (as the new primary's replica, as docs/operations.md says a Redis must start). Every",
    'command, ack, sync and pushed event of every client is recorded and judged by `tests/helpers/history/check.ts`',
    '(every acknowledged command in the log exactly once, one order for everyone, no client going back, reads that see',
    'every earlier ack, vote counts equal to the voters, every client at the head afterwards, minutes converged and',
    'stored once). The checker catches planted bugs: `tests/integration/scale/historyCatchesBugs.test.ts`.',
    '',
    `**${passed} of ${h.runs.length} histories pass**; ${faults} kills and pauses, ${acked.toLocaleString('en')} acknowledged commands in all.`,
    `Histories and verdicts: \`${h.dir}\` (one \`history-<seed>.json\` each, \`verdict.json\`). Replay one schedule:`,
    `\`FAULT_SEED=<seed> FAULT_NODES=${h.nodes} FAULT_FAULTS=${h.faultsPerRun} FAULT_LOAD_MS=${h.loadSeconds * 1000} npx vitest run tests/integration/scale/faultHistory.test.ts\`.`,
    '',
    '| seed | verdict | commands / acked / resent | log | nemesis | seconds |',
    '|---|---|---|---|---|---|',
    ...h.runs.map(
      (r) =>
        `| ${r.seed} | ${r.error ? `run failed: ${r.error}` : r.ok ? 'pass' : `**${r.violations.length} violations**: ${r.violations.slice(0, 2).join('; ')}`} | ` +
        `${r.commands} / ${r.acked} / ${r.resent} | ${r.logLength} | ${r.faults.join(', ')} | ${r.seconds.toFixed(0)} |`,
    ),
    '',
  ];
  return {
    name: 'history',
    lines,
    rowPrefix: `| ${figure}`,
    rows: [
      {
        figure: `${figure}: ${h.runs.length} schedules, ${h.nodes} nodes, Sentinel`,
        target: 'every history passes the checker',
        measured: `${passed} of ${h.runs.length} pass (${faults} kills and pauses, ${acked} acks)`,
        baseline: '—',
        pass: passed === h.runs.length && h.runs.length > 0,
      },
    ],
  };
}

/** The section between its markers, for the full document. */
export function sectionMarkdown(s: Section): string[] {
  if (s.lines.length === 0) return [];
  return [`<!-- bench: ${s.name} -->`, ...s.lines, `<!-- /bench: ${s.name} -->`, ''];
}

/**
 * An earlier run's document with only `s` replaced: its text between the markers (or before "## Machine load" the
 * first time) and its rows of the summary table (after the table's last row).
 */
export function withSection(doc: string, s: Section, summaryRow: (r: Row) => string): string {
  const begin = `<!-- bench: ${s.name} -->`;
  const end = `<!-- /bench: ${s.name} -->`;
  const section = sectionMarkdown(s).join('\n').trimEnd();
  const b = doc.indexOf(begin);
  const e = doc.indexOf(end);
  let text =
    b >= 0 && e > b
      ? doc.slice(0, b) + section + doc.slice(e + end.length)
      : doc.replace('## Machine load', `${section}\n\n## Machine load`);
  const lines = text.split('\n').filter((l) => !l.startsWith(s.rowPrefix));
  let row = lines.indexOf('## Summary');
  while (row + 1 < lines.length && !lines[row + 1]?.startsWith('|')) row++;
  while (row + 1 < lines.length && lines[row + 1]?.startsWith('|')) row++;
  lines.splice(row + 1, 0, ...s.rows.map(summaryRow));
  text = lines.join('\n');
  return text;
}

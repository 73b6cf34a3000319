/**
 * Start-up replay. Two modes, each a fresh process:
 *
 *   prepare <dir> <events>   writes a session of <events> valid events into an embedded store at <dir>/snapshot and
 *                            a copy without the snapshot at <dir>/no-snapshot
 *   start <dataDir> <sessionId>   times createApp + the first sessions.state(id) in this (fresh) process
 *
 * The events are decided by the real domain core (decide + apply) from realistic commands: 1,000 participants join,
 * a few hundred questions, and votes toggled on and off for the rest. They are appended in chunks of 1,000 per store
 * transaction (one command per event would be 100,000 fsyncs just to set up); the snapshot is the one the running
 * server would have left: the state at the last multiple of SNAPSHOT_EVERY.
 */
import { cpSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { CommandSchema } from '../shared/domain/commands.ts';
import { apply } from '../shared/domain/apply.ts';
import { decide } from '../shared/domain/decide.ts';
import type { DomainEvent, NewDomainEvent } from '../shared/domain/events.ts';
import type { Actor, SessionState } from '../shared/domain/types.ts';
import { serve } from './lib/rpc.ts';
import { wardDay } from '../tests/helpers/wardDay.ts';

/** SessionService's default `snapshotEvery`. */
const SNAPSHOT_EVERY = 200;
const CHUNK = 1000;
const PARTICIPANTS = 1000;
const QUESTIONS = 300;

const [mode, dir, third] = process.argv.slice(2);

async function prepare(root: string, total: number) {
  const { createApp } = await import('../server/app.ts');
  const { loadConfig } = await import('../server/config.ts');
  const { reserveJoinCode } = await import('../server/sessions/joinCodes.ts');
  const { SQLITE_FILE_NAME } = await import('../server/store/sqlite/index.ts');
  const withSnapshot = join(root, 'snapshot');
  const without = join(root, 'no-snapshot');
  mkdirSync(withSnapshot, { recursive: true });
  const app = await createApp(
    loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: withSnapshot,
      ADMIN_PASSWORD: 'bench-admin-password',
      LOG_LEVEL: 'silent',
    }),
  );
  const { sessions, store, ward } = app.ctx;
  const sessionId = 'bench-replay';
  const joinCode = await reserveJoinCode(store.docs, sessionId);
  const admin: Actor = { role: 'admin', id: 'admin' };
  const today = wardDay();
  let state = await sessions.create(
    sessionId,
    {
      title: 'Hội nghị đối thoại (replay bench)',
      date: today,
      startTime: '08:00',
      venue: 'Hội trường',
      moderation: 'open',
    },
    await ward.get(),
    joinCode,
    admin,
  );
  await store.docs.put('sessions', sessionId, { createdAt: state.createdAt });

  let x = 42;
  const random = () => (x = (x * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const pending: NewDomainEvent[] = [];
  let snapshot: SessionState | null = null;
  let n = 0;
  let t = Date.now();
  const run = (input: Record<string, unknown>, actor: Actor) => {
    const command = CommandSchema.parse({ id: `c${n++}`, sessionId, ...input });
    const decision = decide(state, command, actor, (t += 37));
    if (!decision.ok) throw new Error(`${command.type}: ${decision.error.code}`);
    for (const e of decision.events) {
      const stored = { ...e, seq: state.seq + 1 } as DomainEvent;
      state = apply(state, stored);
      pending.push(e);
      if (state.seq % SNAPSHOT_EVERY === 0) snapshot = state;
    }
  };
  run({ type: 'session.set_status', status: 'live' }, admin);
  const participants: string[] = [];
  const questions: string[] = [];
  const votes = new Map<string, Set<string>>();
  while (state.seq < total) {
    const r = random();
    if (participants.length < PARTICIPANTS && (participants.length < 50 || r < 0.05)) {
      const participantId = `p${participants.length}`;
      participants.push(participantId);
      run(
        {
          type: 'participant.join',
          participantId,
          name: `Người dự ${participants.length}`,
          group: (participants.length % 22) + 1,
        },
        { role: 'attendee', id: participantId },
      );
    } else if (questions.length < QUESTIONS && (questions.length < 10 || r < 0.08)) {
      const questionId = `q${questions.length}`;
      questions.push(questionId);
      const author = participants[Math.floor(random() * participants.length)]!;
      run(
        {
          type: 'question.submit',
          questionId,
          text: `Câu hỏi số ${questions.length} về thủ tục hành chính của phường?`,
          anonymous: random() < 0.3,
        },
        { role: 'attendee', id: author },
      );
    } else {
      const voter = participants[Math.floor(random() * participants.length)]!;
      const questionId = questions[Math.floor(random() * questions.length)]!;
      const set = votes.get(questionId) ?? new Set<string>();
      votes.set(questionId, set);
      const value = !set.has(voter);
      if (value) set.add(voter);
      else set.delete(voter);
      run({ type: 'question.vote', questionId, value }, { role: 'attendee', id: voter });
    }
  }
  // The log: the session.created event is already stored (seq 1); everything decided here follows it.
  let head = await store.events.head(sessionId);
  for (let i = 0; i < pending.length; i += CHUNK) {
    const chunk = pending.slice(i, i + CHUNK);
    const result = await store.events.append(sessionId, head, `bench-chunk-${i}`, chunk);
    if (!result.ok) throw new Error('append conflict');
    head = result.seq;
  }
  if (head !== state.seq) throw new Error(`head ${head} != ${state.seq}`);
  await app.close();
  cpSync(withSnapshot, without, { recursive: true });
  // Only now the snapshot, in one copy: the other replays the whole log.
  const db = new Database(join(withSnapshot, SQLITE_FILE_NAME));
  const snap = snapshot as SessionState | null;
  const snapJson = JSON.stringify(snap);
  db.prepare('INSERT OR REPLACE INTO snapshots (session_id, seq, json) VALUES (?, ?, ?)').run(
    sessionId,
    snap?.seq ?? 0,
    snapJson,
  );
  db.close();
  const noSnap = new Database(join(without, SQLITE_FILE_NAME));
  noSnap.prepare('DELETE FROM snapshots').run();
  noSnap.close();
  return {
    sessionId,
    events: head,
    snapshotSeq: snap?.seq ?? 0,
    snapshotKB: Math.round(snapJson.length / 1024),
    dbMB: Math.round((statSync(join(without, SQLITE_FILE_NAME)).size / 2 ** 20) * 10) / 10,
    participants: participants.length,
    questions: questions.length,
    dirs: { snapshot: withSnapshot, noSnapshot: without },
  };
}

async function start(dataDir: string, sessionId: string) {
  const t0 = performance.now();
  const { createApp } = await import('../server/app.ts');
  const { loadConfig } = await import('../server/config.ts');
  const t1 = performance.now();
  const app = await createApp(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
  );
  const t2 = performance.now();
  const state = await app.ctx.sessions.state(sessionId);
  const t3 = performance.now();
  if (!state) throw new Error('session did not load');
  const result = {
    importMs: t1 - t0,
    createAppMs: t2 - t1,
    firstStateMs: t3 - t2,
    readyMs: t3 - t1,
    seq: state.seq,
  };
  await app.close();
  return result;
}

await serve(async () => {
  if (!dir || !third)
    throw new Error('usage: replay.ts prepare <dir> <events> | start <dataDir> <sessionId>');
  if (mode === 'prepare') return { info: await prepare(dir, Number(third)), handlers: {} };
  if (mode === 'start') return { info: await start(dir, third), handlers: {} };
  throw new Error(`unknown mode ${mode}`);
});

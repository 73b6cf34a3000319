/**
 * Join storm (`npm run bench -- --only joinstorm`): `phones` phones join one live session evenly within `windowMs`
 * (the hall scanning the QR code as the chair opens the meeting), each as the SPA does — `POST /api/join`, then a
 * socket.io connection and `sync`. Measured per phone: the join's answer (the `participant.join` command decided,
 * appended and acknowledged) and join-to-synced. The real server (`bench/target.ts`) runs in its own process with the
 * join budgets per source address lifted (every phone here comes from loopback), as in bench/realtime.ts.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import { ApiError, apiClient, connectSocket } from './lib/client.ts';
import { Worker } from './lib/rpc.ts';
import { summarise, type Summary } from './lib/stats.ts';
import { BENCH_JOIN_BUDGETS } from './realtime.ts';
import { wardDay } from '../tests/helpers/wardDay.ts';

export interface JoinStormResult {
  phones: number;
  windowMs: number;
  /** From the first join sent to the last one answered. */
  spanMs: number;
  joined: number;
  failed: Record<string, number>;
  joinMs: Summary;
  syncedMs: Summary;
  synced: number;
  /** The session's participant count in a staff snapshot afterwards. */
  participants: number | null;
}

const ADMIN_PASSWORD = 'bench-admin-password';

export async function joinStormFigure(
  options: { phones: number; windowMs: number; redisUrl?: string; profileDir?: string; verbose: boolean },
  track: (w: { pid: number } | null, remove?: boolean) => void,
): Promise<JoinStormResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-joinstorm-'));
  const server = await Worker.start<{ port: number; pid: number }>(
    'joinstorm-server',
    new URL('./target.ts', import.meta.url).href,
    {
      env: {
        DATA_DIR: dataDir,
        ADMIN_PASSWORD,
        REDIS_URL: options.redisUrl,
        LOG_LEVEL: 'warn',
        ...BENCH_JOIN_BUDGETS,
      },
      verbose: options.verbose,
    },
  );
  track(server);
  const sockets: Socket[] = [];
  try {
    const url = `http://127.0.0.1:${server.info.port}`;
    const api = apiClient(url, 60_000);
    const admin = (
      await api<{ token: string }>('POST', '/api/login', undefined, {
        username: 'admin',
        password: ADMIN_PASSWORD,
      })
    ).token;
    const session = await api<{ id: string; joinCode: string }>('POST', '/api/sessions', admin, {
      title: 'Hội nghị đối thoại (join storm)',
      date: wardDay(),
      venue: 'Hội trường UBND phường',
      moderation: 'open',
    });
    const staff = await connectSocket(url, sockets, admin);
    const live = (await staff.timeout(30_000).emitWithAck('command', {
      id: crypto.randomUUID(),
      sessionId: session.id,
      type: 'session.set_status',
      status: 'live',
    })) as { ok: boolean };
    if (!live.ok) throw new Error('could not set the session live');

    if (options.profileDir) await server.call('profileStart');
    const joinMs: number[] = [];
    const syncedMs: number[] = [];
    const failed: Record<string, number> = {};
    const t0 = performance.now();
    let lastAnswer = t0;
    const phone = async (i: number) => {
      const at = t0 + (options.windowMs * i) / options.phones;
      const wait = at - performance.now();
      if (wait > 0) await new Promise((d) => setTimeout(d, wait));
      const sent = performance.now();
      let token: string;
      try {
        token = (await api<{ token: string }>('POST', '/api/join', undefined, { joinCode: session.joinCode }))
          .token;
      } catch (err) {
        const key = err instanceof ApiError ? `http ${err.status}` : 'error';
        failed[key] = (failed[key] ?? 0) + 1;
        return;
      }
      const answered = performance.now();
      lastAnswer = Math.max(lastAnswer, answered);
      joinMs.push(answered - sent);
      try {
        const socket = await connectSocket(url, sockets, token);
        const reply = (await socket
          .timeout(60_000)
          .emitWithAck('sync', { sessionId: session.id, since: 0 })) as { ok: boolean };
        if (reply.ok) syncedMs.push(performance.now() - sent);
        else failed['sync refused'] = (failed['sync refused'] ?? 0) + 1;
      } catch {
        failed['socket'] = (failed['socket'] ?? 0) + 1;
      }
    };
    await Promise.all(Array.from({ length: options.phones }, (_, i) => phone(i)));
    const spanMs = lastAnswer - t0;
    if (options.profileDir) {
      mkdirSync(options.profileDir, { recursive: true });
      const file = join(options.profileDir, 'joinstorm.cpuprofile');
      await server.call('profileStop', { file }, 120_000);
      console.log(`    profile: ${file}`);
    }
    const reply = (await staff.timeout(60_000).emitWithAck('sync', { sessionId: session.id, since: 0 })) as {
      ok: boolean;
      mode?: string;
      state?: { participants?: Record<string, unknown> };
    };
    const participants =
      reply.ok && reply.mode === 'snapshot' ? Object.keys(reply.state?.participants ?? {}).length : null;
    return {
      phones: options.phones,
      windowMs: options.windowMs,
      spanMs,
      joined: joinMs.length,
      failed,
      joinMs: summarise(joinMs),
      syncedMs: summarise(syncedMs),
      synced: syncedMs.length,
      participants,
    };
  } finally {
    for (const s of sockets) s.close();
    await server.stop();
    track(server, true);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

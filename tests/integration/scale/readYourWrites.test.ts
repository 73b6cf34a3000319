/**
 * Read-your-writes across nodes: a node answers `sync` (and serves the session's state to REST, minutes and exports)
 * from a state at least as new as the session's stream head at the moment of the request — never from a cache that
 * has not yet caught up with what another node appended and acknowledged.
 *
 * The sequence that broke it: two nodes on one Redis; phones vote through node A, all acknowledged; staff on node B,
 * which follows the session, syncs from 0 at once — and got a snapshot from before the votes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ack, SyncReply } from '../../../shared/protocol.ts';
import { startRedis, type RedisServer } from '../../helpers/redisServer.ts';
import { pool, SyncedClient } from '../../helpers/scaleCluster.ts';
import { startServer, type ClientSocket, type TestServer } from '../../helpers/server.ts';

let redis: RedisServer;
let a: TestServer;
let b: TestServer;
const clients: SyncedClient[] = [];
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  redis = await startRedis();
  const env = {
    REDIS_URL: redis.url,
    AUTH_SECRET: randomBytes(32).toString('base64url'),
    // One staff socket syncs twice per round, 100 times in all: far over a client's sync budget (docs/security.md).
    SYNC_PER_SOCKET: '1000',
    SYNC_PER_STAFF: '1000',
  };
  a = await startServer({ env });
  b = await startServer({ env });
});

afterAll(async () => {
  for (const client of clients) client.close();
  for (const socket of sockets) socket.disconnect();
  await a?.close();
  await b?.close();
  await redis?.stop();
});

const PHONES = 60;

/** A live session on node A with an asker and `PHONES` voters connected to A. */
async function hall() {
  const session = await a.createSession({ moderation: 'open' });
  await a.setStatus(session.id, 'live');
  const phone = async (listen: boolean) => {
    const { token } = await a.join(session.joinCode);
    const client = new SyncedClient({ urls: [a.url], token, sessionId: session.id, listen });
    clients.push(client);
    await client.connected();
    return client;
  };
  const asker = await phone(true);
  const voters = await pool(
    Array.from({ length: PHONES }, (_, i) => i),
    8,
    () => phone(false),
  );
  /** One question through A, and every voter's vote on it; resolves with the highest seq acknowledged. */
  const round = async (text: string): Promise<{ questionId: string; acked: number }> => {
    const questionId = randomUUID();
    const acks: Ack[] = [
      await asker.send({
        id: randomUUID(),
        type: 'question.submit',
        sessionId: session.id,
        questionId,
        text,
      }),
    ];
    acks.push(
      ...(await Promise.all(
        voters.map((v) =>
          v.send({ id: randomUUID(), type: 'question.vote', sessionId: session.id, questionId, value: true }),
        ),
      )),
    );
    const refused = acks.find((ack) => !ack.ok);
    if (refused) throw new Error(`command refused: ${JSON.stringify(refused)}`);
    return { questionId, acked: Math.max(...acks.map((ack) => (ack.ok ? ack.seq : -1))) };
  };
  return { session, round };
}

describe('read-your-writes across nodes', () => {
  it(
    'a sync on node B right after 60 votes acknowledged by node A never answers a seq below the highest ack (50 rounds)',
    { timeout: 180_000 },
    async () => {
      const { session, round } = await hall();
      // Staff on node B: a socket that follows the session (so B has it cached and tails it), then syncs again at
      // once after every round — from 0, as a panel that just opened, and from the acked seq, as a phone that holds
      // it and moved to B.
      const staff = await b.connect(await b.staffToken('chair'));
      sockets.push(staff);
      const first: SyncReply = await staff.emitWithAck('sync', { sessionId: session.id, since: 0 });
      expect(first.ok).toBe(true);

      const stale: Array<{ round: number; acked: number; got: number; since: number }> = [];
      for (let r = 0; r < 50; r++) {
        const { questionId, acked } = await round(`Câu hỏi vòng ${r}`);
        const replies = await Promise.all(
          [0, acked].map(async (since) => ({
            since,
            reply: await staff.emitWithAck('sync', { sessionId: session.id, since }),
          })),
        );
        for (const { since, reply } of replies) {
          if (!reply.ok) throw new Error(`sync failed: ${reply.code}`);
          if (reply.seq < acked) stale.push({ round: r, acked, got: reply.seq, since });
          else if (reply.mode === 'snapshot') expect(reply.state.questions[questionId]?.votes).toBe(PHONES);
        }
      }
      expect(stale).toEqual([]);
    },
  );

  it(
    'serves the state and the exports on node B from the stream head too, right after votes acknowledged by A',
    { timeout: 120_000 },
    async () => {
      const { session, round } = await hall();
      const admin = a.adminToken;
      // Node B's tailer lags, as a busy node's does: what it reports is folded 300 ms late. (The REST reads' own
      // round trips — the token check reads the account — otherwise hide most of a lag this short.)
      const sessions = b.app.ctx.sessions;
      const refresh = sessions.refresh.bind(sessions);
      sessions.refresh = async (id, head) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await refresh(id, head);
      };
      // Node B loads the session now, before the writes, and from then on follows it.
      expect((await b.api('GET', `/api/sessions/${session.id}`, { token: admin })).status).toBe(200);
      const behind: Array<{ round: number; acked: number; state: number; votes: number | undefined }> = [];
      for (let r = 0; r < 20; r++) {
        const text = `Câu hỏi số ${r}`;
        const { questionId, acked } = await round(text);
        const [state, csv] = await Promise.all([
          b.api<{ seq: number; questions: Record<string, { votes: number }> }>(
            'GET',
            `/api/sessions/${session.id}/state`,
            { token: admin },
          ),
          fetch(`${b.url}/api/sessions/${session.id}/export/questions.csv`, {
            headers: { authorization: `Bearer ${admin}` },
          }).then((res) => res.text()),
        ]);
        const votes = state.body.questions[questionId]?.votes;
        if (state.body.seq < acked || votes !== PHONES)
          behind.push({ round: r, acked, state: state.body.seq, votes });
        // The export was read after the same ack: its row of this question carries every vote.
        const row = csv.split('\n').find((line) => line.includes(text));
        expect(row, `round ${r}: question missing from the export`).toBeDefined();
        expect(row).toContain(`,${PHONES},`);
      }
      expect(behind).toEqual([]);
    },
  );
});

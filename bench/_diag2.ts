import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { createRequire } from 'node:module';
const { BroadcastOperator } = createRequire(import.meta.url)(
  '/work/main/node_modules/socket.io/dist/broadcast-operator.js',
);
import { createApp } from '../server/app.ts';
import { loadConfig } from '../server/config.ts';
const orig = BroadcastOperator.prototype.emit;
const sizes: Record<string, number[]> = {};
(BroadcastOperator.prototype as any).emit = function (ev: string, ...args: any[]) {
  const len = JSON.stringify(args).length;
  const k = [...(this as any).rooms].join(',').replace(/[0-9a-f-]{36}/g, 'X');
  (sizes[k] ??= []).push(len);
  return orig.call(this, ev, ...args);
};
const app = await createApp(
  loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: '/tmp/diag2-' + Date.now(),
    ADMIN_PASSWORD: 'bench-admin-password',
    LOG_LEVEL: 'warn',
  }),
);
const port = await app.listen();
const url = `http://127.0.0.1:${port}`;
const api = async (m: string, p: string, t?: string, b?: unknown) =>
  (
    await fetch(url + p, {
      method: m,
      headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) },
      body: b === undefined ? null : JSON.stringify(b),
    })
  ).json() as any;
const admin = (
  await api('POST', '/api/login', undefined, { username: 'admin', password: 'bench-admin-password' })
).token;
const s = await api('POST', '/api/sessions', admin, {
  title: 'x',
  date: new Date().toISOString().slice(0, 10),
  venue: 'v',
  moderation: 'open',
});
const conn = (token: string) =>
  new Promise<any>((r) => {
    const so = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
    so.once('connect', () => r(so));
  });
const a = await conn(admin);
await a.emitWithAck('command', {
  id: randomUUID(),
  sessionId: s.id,
  type: 'session.set_status',
  status: 'live',
});
const phones: any[] = [];
for (let i = 0; i < 30; i++) {
  const p = await api('POST', '/api/join', undefined, { joinCode: s.joinCode, name: 'N ' + i, group: 3 });
  const so = await conn(p.token);
  await so.emitWithAck('sync', { sessionId: s.id, since: 0 });
  phones.push(so);
}
const qs: string[] = [];
for (let i = 0; i < 30; i++) {
  const q = randomUUID();
  qs.push(q);
  await phones[i].emitWithAck('command', {
    id: randomUUID(),
    sessionId: s.id,
    type: 'question.submit',
    questionId: q,
    text: 'Thủ tục cấp giấy chứng nhận quyền sử dụng đất ở phường mất bao lâu?',
    anonymous: false,
  });
}
for (const k in sizes) delete sizes[k];
const hands: (string | undefined)[] = [];
await Promise.all(
  phones.map(async (p, i) => {
    for (let j = 0; j < 6; j++) {
      if (j % 3 === 0)
        await p.emitWithAck('command', {
          id: randomUUID(),
          sessionId: s.id,
          type: 'question.vote',
          questionId: qs[(i + j) % 30],
          value: true,
        });
      else if (j % 3 === 1) {
        hands[i] = randomUUID();
        await p.emitWithAck('command', {
          id: randomUUID(),
          sessionId: s.id,
          type: 'hand.raise',
          handId: hands[i],
          topic: 'x',
        });
      } else
        await p.emitWithAck('command', {
          id: randomUUID(),
          sessionId: s.id,
          type: 'hand.lower',
          handId: hands[i],
        });
    }
  }),
);
await new Promise((r) => setTimeout(r, 100));
for (const [k, v] of Object.entries(sizes))
  console.log(
    k,
    'n',
    v.length,
    'avg bytes',
    Math.round(v.reduce((x, y) => x + y, 0) / v.length),
    'max',
    Math.max(...v),
  );
process.exit(0);

import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { Worker, now, sleep } from './lib/rpc.ts';
const w = await Worker.start<{port:number}>('server', new URL('./target.ts', import.meta.url).href, { env: { DATA_DIR: '/tmp/diag-' + Date.now(), ADMIN_PASSWORD: 'bench-admin-password' } });
const url = `http://127.0.0.1:${w.info.port}`;
const api = async (m: string, p: string, t?: string, b?: unknown) => (await fetch(url + p, { method: m, headers: { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) }, body: b === undefined ? null : JSON.stringify(b) })).json() as any;
const admin = (await api('POST', '/api/login', undefined, { username: 'admin', password: 'bench-admin-password' })).token;
const s = await api('POST', '/api/sessions', admin, { title: 'x', date: new Date().toISOString().slice(0, 10), venue: 'v', moderation: 'open' });
const conn = (token: string) => new Promise<any>((r) => { const so = io(url, { auth: { token }, transports: ['websocket'], forceNew: true }); so.once('connect', () => r(so)); });
const a = await conn(admin);
console.log(await a.emitWithAck('command', { id: randomUUID(), sessionId: s.id, type: 'session.set_status', status: 'live' }));
const p1 = await api('POST', '/api/join', undefined, { joinCode: s.joinCode }); const p2 = await api('POST', '/api/join', undefined, { joinCode: s.joinCode });
const s1 = await conn(p1.token); const s2 = await conn(p2.token);
await s1.emitWithAck('sync', { sessionId: s.id, since: 0 }); await s2.emitWithAck('sync', { sessionId: s.id, since: 0 });
let recv = 0; s2.on('events', () => { recv = now(); });
for (let i = 0; i < 8; i++) {
  const t0 = now(); recv = 0;
  const ack = await s1.emitWithAck('command', { id: randomUUID(), sessionId: s.id, type: 'question.submit', questionId: randomUUID(), text: 'hello there', anonymous: false });
  const tAck = now() - t0;
  while (!recv) await sleep(1);
  console.log(`ack ${tAck.toFixed(1)} ms, recv ${(recv - t0).toFixed(1)} ms`, ack.ok);
  await sleep(300);
}
for (const so of [a, s1, s2]) so.close();
await w.stop();

/**
 * Minutes: update propagation between three editors, in the y-websocket protocol the stock client speaks.
 *
 *   serve                 a standalone minutes endpoint (createMinutesServer on its own HTTP server, SQLite Yjs store
 *                         in a temp dir, every token may write): used when the app does not serve /yjs/ yet
 *   edit                  three WebsocketProvider clients, each with its own Y.Doc, in this process (one clock)
 *
 * Each editor owns a paragraph of the minutes fragment (as the Tiptap binding writes it: Y.XmlElement "paragraph"
 * holding a Y.XmlText) and types into it; an edit carries its number, the two other editors record when they see it.
 */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MINUTES_FRAGMENT } from '../shared/minutes/schema.ts';
import { now, serve, sleep } from './lib/rpc.ts';
import { wardDay } from '../tests/helpers/wardDay.ts';

const mode = process.argv[2];

async function standalone() {
  const { createMinutesServer } = await import('../server/minutes/index.ts');
  const { openSqliteStore } = await import('../server/store/sqlite/index.ts');
  const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'bench-minutes-')));
  const http = createServer((_req, res) => res.writeHead(404).end());
  const minutes = createMinutesServer(http, {
    ydocs: store.ydocs,
    authorize: async () => 'write',
    context: async () => ({
      wardName: 'Phường Kiến Hưng',
      place: 'Kiến Hưng',
      sessionTitle: 'Hội nghị đối thoại',
      date: wardDay(),
      venue: 'Hội trường',
      attendees: '',
      chairName: 'Chủ tọa',
      secretaryName: 'Thư ký',
      agenda: ['Khai mạc', 'Đối thoại', 'Kết luận'],
    }),
    isLocked: () => false,
  });
  const port = await new Promise<number>((resolve) =>
    http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)),
  );
  return {
    info: { port, pid: process.pid },
    handlers: {
      async stop() {
        await minutes.close();
        http.close();
        await store.close();
      },
    },
  };
}

interface Editor {
  doc: Y.Doc;
  provider: WebsocketProvider;
  text: Y.XmlText;
}

function connect(serverUrl: string, sessionId: string, token: string): Promise<Editor> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(serverUrl, sessionId, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      provider.destroy();
      reject(new Error('no sync within 5 s'));
    }, 5_000);
    provider.once('sync', () => {
      clearTimeout(timer);
      resolve({ doc, provider, text: new Y.XmlText() });
    });
  });
}

async function editors(args: { url: string; sessionId: string; tokens: string[] }) {
  const serverUrl = `${args.url.replace(/^http/, 'ws')}/yjs`;
  const settled = await Promise.allSettled(args.tokens.map((t) => connect(serverUrl, args.sessionId, t)));
  const list = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (list.length < settled.length) {
    for (const e of list) e.provider.destroy();
    throw new Error('an editor could not connect');
  }
  // Each editor adds its own paragraph at the end of the fragment.
  for (const e of list) {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [e.text]);
    const fragment = e.doc.getXmlFragment(MINUTES_FRAGMENT);
    fragment.insert(fragment.length, [p]);
  }
  return list;
}

async function run(list: Editor[], edits: number, intervalMs: number) {
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  const seen = list.map(() => new Set<number>());
  let expected = 0;
  let resolveAll = () => {};
  const all = new Promise<void>((r) => (resolveAll = r));
  list.forEach((e, k) => {
    e.doc.getXmlFragment(MINUTES_FRAGMENT).observeDeep((events, tx) => {
      if (tx.local) return;
      const t = now();
      for (const ev of events) {
        if (!(ev.target instanceof Y.XmlText)) continue;
        for (const d of ev.delta) {
          if (typeof d.insert !== 'string') continue;
          for (const m of d.insert.matchAll(/⟦(\d+)⟧/g)) {
            const id = Number(m[1]);
            const t0 = sentAt.get(id);
            if (t0 === undefined || seen[k]!.has(id)) continue;
            seen[k]!.add(id);
            latencies.push(Math.round((t - t0) * 100) / 100);
            if (latencies.length === expected) resolveAll();
          }
        }
      }
    });
  });
  expected = edits * (list.length - 1);
  const t0 = now();
  for (let i = 0; i < edits; i++) {
    const due = t0 + i * intervalMs;
    if (due > now()) await sleep(due - now());
    const editor = list[i % list.length]!;
    sentAt.set(i, now());
    editor.text.insert(editor.text.length, `⟦${i}⟧ `);
  }
  await Promise.race([all, sleep(10_000)]);
  return { latencies, missing: expected - latencies.length, edits, intervalMs };
}

await serve(async () => {
  if (mode === 'serve') return standalone();
  let list: Editor[] = [];
  return {
    info: { pid: process.pid },
    handlers: {
      /** Connects the editors; false (and nothing connected) when the endpoint does not answer the y-websocket protocol. */
      async connect(args: { url: string; sessionId: string; tokens: string[] }) {
        try {
          list = await editors(args);
          return true;
        } catch {
          return false;
        }
      },
      run: (args: { edits: number; intervalMs: number }) => run(list, args.edits, args.intervalMs),
      async stop() {
        for (const e of list) e.provider.destroy();
      },
    },
  };
});

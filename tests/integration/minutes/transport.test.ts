/** Liveness, limits and coexistence with socket.io on the same HTTP server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io as socketIoClient } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { MinutesCloseCode } from '../../../shared/minutes/closeCodes.ts';
import {
  appendParagraph,
  minutesText,
  openMinutesClient,
  sleep,
  waitFor,
} from '../../helpers/minutesClient.ts';
import type { MinutesClient } from '../../helpers/minutesClient.ts';
import { startMinutesTestServer, testAuthorize } from '../../helpers/minutesTestServer.ts';
import type { MinutesTestServer, MinutesTestServerOptions } from '../../helpers/minutesTestServer.ts';

let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups = [];
});

async function server(config: Partial<MinutesTestServerOptions> = {}): Promise<MinutesTestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'minutes-'));
  const started = await startMinutesTestServer({ dataDir, ...config });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => started.close());
  return started;
}

function client(srv: MinutesTestServer, sessionId: string, token: string | null): MinutesClient {
  const opened = openMinutesClient(srv.url, sessionId, token);
  cleanups.push(() => opened.destroy());
  return opened;
}

interface RawSocket {
  ws: WebSocket;
  frames: Uint8Array[];
  opened: Promise<void>;
  closed: Promise<{ code: number; at: number }>;
}

/** A bare ws client, to do what the stock client never does: stay silent, skip pongs, send garbage. */
function raw(srv: MinutesTestServer, path: string, options: { autoPong?: boolean } = {}): RawSocket {
  const ws = new WebSocket(`ws://127.0.0.1:${srv.port}${path}`, { autoPong: options.autoPong ?? true });
  cleanups.push(() => ws.terminate());
  const frames: Uint8Array[] = [];
  ws.on('message', (data: Buffer) => frames.push(new Uint8Array(data)));
  ws.on('error', () => undefined);
  return {
    ws,
    frames,
    opened: new Promise((resolve) => ws.once('open', () => resolve())),
    closed: new Promise((resolve) => ws.once('close', (code) => resolve({ code, at: Date.now() }))),
  };
}

function syncStep1(): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint8Array(encoder, Y.encodeStateVector(new Y.Doc()));
  return encoding.toUint8Array(encoder);
}

describe('liveness', () => {
  it('sends a keepalive frame every heartbeat, so the stock client never hits its 30-s silence timeout', async () => {
    const srv = await server({ options: { heartbeatMs: 100 } });
    const socket = raw(srv, '/yjs/live?token=w1');
    await socket.opened;
    // Apart from the join (sync step 1, maybe awareness) the silent socket gets the 3-byte empty awareness update.
    const keepalives = (): number =>
      socket.frames.filter((f) => f.length === 3 && f[0] === 1 && f[1] === 1 && f[2] === 0).length;
    await waitFor(() => keepalives() >= 3, 5_000, 'three keepalives');
    expect(socket.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('terminates a socket that does not answer pings', async () => {
    const srv = await server({ options: { heartbeatMs: 100 } });
    const silent = raw(srv, '/yjs/live?token=w1', { autoPong: false });
    const healthy = raw(srv, '/yjs/live?token=w2');
    await Promise.all([silent.opened, healthy.opened]);
    const opened = Date.now();
    const { code, at } = await silent.closed;
    expect(code).toBe(1006); // cut off, no close frame
    expect(at - opened).toBeLessThan(2_000); // two heartbeats nominally; slack for a loaded machine
    await sleep(300);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
  });

  it('a stock client stays connected across many heartbeats and keeps syncing', async () => {
    // Short enough to tick often in a test, long enough that a loaded machine still answers pings in time.
    const srv = await server({ options: { heartbeatMs: 250 } });
    const a = client(srv, 'steady', 'w1');
    const b = client(srv, 'steady', 'w2');
    await Promise.all([a.synced(), b.synced()]);
    await sleep(1_500);
    appendParagraph(a.doc, 'still here');
    await waitFor(() => minutesText(b.doc).includes('still here'), 5_000, 'edit after heartbeats');
    expect(a.closes).toEqual([]);
    expect(b.closes).toEqual([]);
  });
});

describe('limits and bad input', () => {
  it('closes with 4413 on a frame above maxMessageBytes, and the stock client does not resend it forever', async () => {
    const srv = await server({ options: { maxMessageBytes: 4_096 } });
    const socket = raw(srv, '/yjs/big?token=w1');
    await socket.opened;
    socket.ws.send(new Uint8Array(5_000));
    expect((await socket.closed).code).toBe(MinutesCloseCode.MessageTooBig);

    const paster = client(srv, 'big', 'w1');
    await paster.synced();
    appendParagraph(paster.doc, 'x'.repeat(10_000));
    await waitFor(() => paster.closes.length > 0, 5_000, 'close');
    expect(paster.closes[0]?.code).toBe(4413);
    await sleep(1_000);
    expect(paster.closes).toHaveLength(1);
    const calls = srv.authorizeCalls.filter((c) => c.sessionId === 'big' && c.token === 'w1').length;
    expect(calls).toBe(2); // the raw socket and the paster's single connection
  });

  it('closes with 4400 on a frame that is not the y-websocket protocol, and on text frames', async () => {
    const srv = await server();
    const garbage = raw(srv, '/yjs/garbage?token=w1');
    await garbage.opened;
    await waitFor(() => garbage.frames.length > 0, 5_000, 'joined'); // the server's sync step 1
    garbage.ws.send(Uint8Array.of(0, 7, 1, 2));
    expect((await garbage.closed).code).toBe(MinutesCloseCode.BadMessage);
    const corrupt = raw(srv, '/yjs/garbage?token=w1');
    await corrupt.opened;
    await waitFor(() => corrupt.frames.length > 0, 5_000, 'joined');
    corrupt.ws.send(Uint8Array.of(0, 2, 3, 250, 251, 252)); // an update message whose payload is not an update
    expect((await corrupt.closed).code).toBe(MinutesCloseCode.BadMessage);
    const text = raw(srv, '/yjs/garbage?token=w1');
    await text.opened;
    text.ws.send('hello');
    expect((await text.closed).code).toBe(MinutesCloseCode.BadMessage);
    // The room survived all three.
    const ok = client(srv, 'garbage', 'w1');
    await ok.synced();
    expect(minutesText(ok.doc)[0]).toBe('ỦY BAN NHÂN DÂN');
  });

  it('handles frames that arrive while the token is still being checked, in order', async () => {
    const srv = await server({
      options: {
        authorize: async (_sessionId, token) => {
          await sleep(300);
          return testAuthorize(token);
        },
      },
    });
    const socket = raw(srv, '/yjs/early?token=w1');
    await socket.opened;
    socket.ws.send(syncStep1()); // answered with sync step 2 once joined
    const step2 = await new Promise<Uint8Array>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no step 2')), 5_000);
      socket.ws.on('message', (data: Buffer) => {
        if (data[0] === 0 && data[1] === 1) {
          clearTimeout(timer);
          resolve(new Uint8Array(data));
        }
      });
    });
    expect(step2.length).toBeGreaterThan(100); // the whole template
  });
});

describe('sharing the HTTP server with socket.io', () => {
  it('works with socket.io attached (even with its default destroyUpgrade) and an authorizer slower than 1 s', async () => {
    const srv = await server({
      socketIo: true,
      options: {
        authorize: async (_sessionId, token) => {
          await sleep(1_300); // engine.io ends foreign upgrades that wrote nothing after 1 s
          return testAuthorize(token);
        },
      },
    });
    srv.io?.on('connection', (socket) => socket.emit('hello', 'from socket.io'));
    const io = socketIoClient(`http://127.0.0.1:${srv.port}`, { transports: ['websocket'] });
    cleanups.push(() => {
      io.close();
    });
    const greeting = new Promise<string>((resolve) => io.on('hello', resolve));
    const minutes = client(srv, 'shared', 'w1');
    await minutes.synced(5_000);
    expect(await greeting).toBe('from socket.io');
    expect(minutes.closes).toEqual([]);
    expect(minutesText(minutes.doc)[0]).toBe('ỦY BAN NHÂN DÂN');
  });

  it('leaves upgrades for other paths alone', async () => {
    const srv = await server({ socketIo: true });
    const io = socketIoClient(`http://127.0.0.1:${srv.port}`, { transports: ['websocket'] });
    cleanups.push(() => {
      io.close();
    });
    await new Promise<void>((resolve) => io.on('connect', () => resolve()));
    expect(srv.minutes.stats().sockets).toBe(0);
  });
});

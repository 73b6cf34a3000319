/**
 * The bare socket.io baseline: same socket.io version and options as the real server, websocket transport, no
 * auth, no store, no rooms. A trigger client emits `broadcast` with a payload; the server sends it as `events` to
 * every other connected socket — one `socket.broadcast.emit`, which socket.io serialises once for all sockets.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { serve, sleep } from './lib/rpc.ts';

await serve(async () => {
  const http = createServer();
  // Same limits as server/app.ts, so the two servers differ only in what they do per message.
  const io = new Server(http, { serveClient: false, maxHttpBufferSize: 64 * 1024, destroyUpgrade: false });
  io.on('connection', (socket) => {
    socket.on('broadcast', (payload: unknown) => {
      socket.broadcast.emit('events', payload);
    });
  });
  const port = await new Promise<number>((resolve) =>
    http.listen(0, '127.0.0.1', () => resolve((http.address() as AddressInfo).port)),
  );
  return {
    info: { port, pid: process.pid },
    handlers: {
      async gc() {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (gc) {
          gc();
          await sleep(100);
          gc();
        }
        return { collected: Boolean(gc) };
      },
      sockets: () => io.engine.clientsCount,
      async stop() {
        await io.close();
      },
    },
  };
});

/**
 * HTTP calls from a chosen source address. Every 127.x.y.z address is the loopback interface on Linux, so a test can
 * be several "machines" (a throttled attacker, the admin's office) against one server without faking headers.
 */
import { request, type IncomingHttpHeaders } from 'node:http';

export interface Reply<T = unknown> {
  status: number;
  headers: IncomingHttpHeaders;
  body: T;
  /** Time from sending to the end of the reply, in ms. */
  ms: number;
}

export function callFrom<T = unknown>(
  from: string,
  url: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<Reply<T>> {
  const target = new URL(path, url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method,
        localAddress: from,
        // A fresh connection each time: a kept-alive one would carry the address of an earlier call.
        agent: false,
        headers: {
          ...(payload !== undefined
            ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
            : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: (text ? JSON.parse(text) : null) as T,
            ms: performance.now() - started,
          });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/** `POST /api/login` from `from`. */
export const loginFrom = (from: string, url: string, username: string, password: string) =>
  callFrom<{ token?: string; code?: string; message?: string; params?: Record<string, unknown> }>(
    from,
    url,
    'POST',
    '/api/login',
    { username, password },
  );

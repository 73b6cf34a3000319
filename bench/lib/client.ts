/**
 * What the benchmarks do as a client of the real server: JSON calls to its API and socket.io connections, the way the
 * SPA makes them (websocket transport, a token in the handshake). One place, so every figure is measured through the
 * same client code.
 */
import { io, type Socket } from 'socket.io-client';

export type Api = <T>(method: string, path: string, token?: string, body?: unknown) => Promise<T>;

/** An error from the API, with the HTTP status (a join budget's 429 is counted, not fatal, in some figures). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** JSON calls to the server at `url`; a status of 300 or more throws an ApiError with the reply's text. */
export function apiClient(url: string, timeoutMs = 30_000): Api {
  return async <T>(method: string, path: string, token?: string, body?: unknown): Promise<T> => {
    const res = await fetch(url + path, {
      method,
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    if (res.status >= 300) throw new ApiError(`${method} ${path}: ${res.status} ${text}`, res.status);
    return JSON.parse(text) as T;
  };
}

/** A socket.io connection as the SPA opens it (no reconnection: a benchmark counts drops); kept in `sockets`. */
export function connectSocket(url: string, sockets: Socket[], token?: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, {
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(token ? { auth: { token } } : {}),
    });
    sockets.push(s);
    s.once('connect', () => resolve(s));
    s.once('connect_error', reject);
  });
}

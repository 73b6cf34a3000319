/**
 * Typed fetch helpers for the REST API (shared/protocol.ts). Every helper resolves to `Result<T>`: the body on 2xx,
 * or the server's `{ok:false, code, message, params?}` on 4xx/5xx, or a `network` failure when the server could not
 * be reached — callers translate `code` with `$_(errorKey(code))`, never show `message` (English, for logs).
 */
import type { ErrorCode } from '../../shared/domain/errors.ts';
import type { SessionCreate } from '../../shared/domain/commands.ts';
import type { JoinInfo, JoinReply, LoginReply, SessionSummary } from '../../shared/protocol.ts';

/** A failure as the server sends it, plus the client-side codes `network` (unreachable) and `timeout`. */
export interface ApiFailure {
  ok: false;
  code: ErrorCode | 'network' | 'timeout';
  message: string;
  params?: Record<string, string | number>;
  status?: number;
}
export type Result<T> = { ok: true; value: T } | ApiFailure;

export interface JoinRequest {
  joinCode: string;
  name?: string;
  group?: number;
  organisation?: string;
  kind?: 'resident' | 'business' | 'delegate';
  /** The device's secret for the session (client/surfaces/attendee/identity.ts): the same secret, the same participant. */
  secret?: string;
  /** The token of a personal invitation (giấy mời), from its QR link: marks that invitee present on the day. */
  invitation?: string;
  /** Where to send a written reply, when the person asked for one (kept outside the session's record). */
  contact?: { phone?: string; address?: string };
}

const TIMEOUT_MS = 15_000;

/** One request. `token` goes in `Authorization: Bearer`; a JSON body is sent when `body` is given. */
export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  options: { token?: string | undefined; body?: unknown; file?: Blob; signal?: AbortSignal } = {},
): Promise<Result<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  // An upload sends the file itself as the body (server/http/reportFiles.ts).
  if (options.file) headers['content-type'] = options.file.type || 'application/octet-stream';
  // AbortSignal.timeout/any are too new for some phones' WebViews.
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, TIMEOUT_MS);
  options.signal?.addEventListener('abort', () => controller.abort());
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: options.file ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: controller.signal,
    });
  } catch (error) {
    return { ok: false, code: timedOut ? 'timeout' : 'network', message: String(error) };
  } finally {
    clearTimeout(timer);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (response.ok) return { ok: true, value: body as T };
  if (isFailure(body)) return { ...body, status: response.status };
  return {
    ok: false,
    code: response.status === 401 ? 'unauthorized' : response.status === 404 ? 'not_found' : 'internal',
    message: `HTTP ${response.status}`,
    status: response.status,
  };
}

function isFailure(x: unknown): x is ApiFailure {
  return (
    typeof x === 'object' &&
    x !== null &&
    (x as ApiFailure).ok === false &&
    typeof (x as ApiFailure).code === 'string'
  );
}

/** The calls the shell and the attendee use; other surfaces add theirs next to their code with `request()`. */
export const api = {
  login: (username: string, password: string) =>
    request<LoginReply>('POST', '/api/login', { body: { username, password } }),
  joinInfo: (joinCode: string) => request<JoinInfo>('GET', `/api/join/${encodeURIComponent(joinCode)}`),
  join: (body: JoinRequest) => request<JoinReply>('POST', '/api/join', { body }),
  sessions: (token: string) => request<SessionSummary[]>('GET', '/api/sessions', { token }),
  createSession: (
    token: string,
    body: Partial<SessionCreate> & Pick<SessionCreate, 'title' | 'date' | 'venue'>,
  ) => request<SessionSummary>('POST', '/api/sessions', { token, body }),
};

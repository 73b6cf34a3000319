/**
 * The REST calls of the admin surface (server/http/api.ts and server/http/office.ts), typed, over the shell's
 * `request()`. Every call resolves to a Result: components translate failures by code.
 */
import type { SessionCreate } from '../../../shared/domain/commands.ts';
import type { DeliveryMethod, SessionState } from '../../../shared/domain/types.ts';
import type { WardProfile } from '../../../shared/domain/ward.ts';
import type { Contact, DisplayTokenReply, SessionSummary, UserView } from '../../../shared/protocol.ts';
import type { AuditRow } from '../../../shared/report/audit.ts';
import type { FollowUpItem } from '../../../shared/report/followup.ts';
import type { Report } from '../../../shared/report/report.ts';
import { wardToday } from '../../../shared/i18n/dates.ts';
import { request, type Result } from '../../lib/api.ts';
import { staffAuth } from '../../lib/auth.svelte.ts';

export interface UserCreate {
  username: string;
  password: string;
  role: 'admin' | 'chair' | 'vice_chair' | 'official' | 'secretary';
  name?: string;
  title?: string;
  fieldIds?: string[];
}
export type UserUpdate = Partial<Omit<UserCreate, 'username'>> & { disabled?: boolean };

export interface AuditPage {
  rows: AuditRow[];
  next: number | null;
  total: number;
}
export interface FollowUpReply {
  today: string;
  items: FollowUpItem[];
  counts: { overdue: number; pending: number; done: number };
  signers: Record<string, Array<{ id: string; name: string; title: string }>>;
}

const token = () => staffAuth.token;
const enc = encodeURIComponent;

/** Sign-in expired or the account was disabled: forget the token so the sign-in form shows again. */
async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH',
  path: string,
  body?: unknown,
): Promise<Result<T>> {
  const result = await request<T>(method, path, { token: token(), ...(body !== undefined ? { body } : {}) });
  if (!result.ok && result.code === 'unauthorized') staffAuth.logout();
  return result;
}

/** The ward's date today, YYYY-MM-DD (the ward's calendar, whatever the computer's time zone). */
export const localToday = (now = new Date()): string => wardToday(now.getTime());

export const adminApi = {
  sessions: () => call<SessionSummary[]>('GET', '/api/sessions'),
  createSession: (body: SessionCreate) => call<SessionSummary>('POST', '/api/sessions', body),
  sessionState: (id: string) => call<SessionState>('GET', `/api/sessions/${enc(id)}/state`),
  report: (id: string) => call<Report>('GET', `/api/sessions/${enc(id)}/report?today=${localToday()}`),
  regenerateJoinCode: (id: string) =>
    call<{ joinCode: string }>('POST', `/api/sessions/${enc(id)}/join-code`),
  displayToken: (id: string) => call<DisplayTokenReply>('POST', `/api/sessions/${enc(id)}/display-token`),
  audit: (id: string, q: { after?: number; limit?: number; type?: string; role?: string; lang: string }) => {
    const params = new URLSearchParams({ lang: q.lang, limit: String(q.limit ?? 100) });
    if (q.after) params.set('after', String(q.after));
    if (q.type) params.set('type', q.type);
    if (q.role) params.set('role', q.role);
    return call<AuditPage>('GET', `/api/sessions/${enc(id)}/events?${params}`);
  },
  ward: () => call<WardProfile>('GET', '/api/ward'),
  saveWard: (ward: WardProfile) => call<WardProfile>('PUT', '/api/ward', ward),
  users: () => call<UserView[]>('GET', '/api/users'),
  createUser: (body: UserCreate) => call<UserView>('POST', '/api/users', body),
  updateUser: (username: string, body: UserUpdate) =>
    call<UserView>('PATCH', `/api/users/${enc(username)}`, body),
  followUp: (show: string) =>
    call<FollowUpReply>('GET', `/api/followup?show=${enc(show)}&today=${localToday()}`),
  writtenAnswer: (sessionId: string, questionId: string, body: { id: string; text: string }) =>
    call<{ ok: true; seq: number }>(
      'POST',
      `/api/sessions/${enc(sessionId)}/questions/${enc(questionId)}/written-answer`,
      body,
    ),
  replyLetter: (
    sessionId: string,
    body: { id: string; questionIds: string[]; number: string; date: string; signedBy: string },
  ) => call<{ ok: true; seq: number }>('POST', `/api/sessions/${enc(sessionId)}/replies/letter`, body),
  replyDelivery: (
    sessionId: string,
    body: { id: string; questionIds: string[]; method: DeliveryMethod; date: string },
  ) => call<{ ok: true; seq: number }>('POST', `/api/sessions/${enc(sessionId)}/replies/delivery`, body),
  contacts: (sessionId: string) =>
    call<Record<string, Contact>>('GET', `/api/sessions/${enc(sessionId)}/contacts`),
  setContact: (sessionId: string, participantId: string, body: { phone?: string; address?: string }) =>
    call<null>('PUT', `/api/sessions/${enc(sessionId)}/participants/${enc(participantId)}/contact`, body),
};

/** The path of a reply letter's DOCX (download()). */
export const replyLetterPath = (sessionId: string, questionIds: string[]) =>
  `/api/sessions/${enc(sessionId)}/export/reply-letter.docx?questions=${questionIds.map(enc).join(',')}`;

/**
 * Downloads an export: the token goes in the Authorization header (never in a URL, where it would end up in logs
 * and history), so the file is fetched here and handed to the browser as a blob.
 */
export async function download(path: string): Promise<boolean> {
  try {
    const res = await fetch(path, { headers: { authorization: `Bearer ${token() ?? ''}` } });
    if (res.status === 401) staffAuth.logout();
    if (!res.ok) return false;
    const disposition = res.headers.get('content-disposition') ?? '';
    const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? 'export';
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = decodeURIComponent(name);
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    return true;
  } catch {
    return false;
  }
}

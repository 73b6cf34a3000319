/** The REST calls of the invitee list, the giấy mời and the sign-in sheet (server/http/invitations.ts). */
import type {
  InvitationSettings,
  InvitationsReply,
  Invitee,
  InviteeImportReply,
  InviteeInput,
} from '../../../../shared/invitations/invitees.ts';
import type { Attendance } from '../../../../shared/report/attendance.ts';
import { request, type Result } from '../../../lib/api.ts';
import { staffAuth } from '../../../lib/auth.svelte.ts';

const enc = encodeURIComponent;

async function call<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<Result<T>> {
  const result = await request<T>(method, path, {
    token: staffAuth.token,
    ...(body !== undefined ? { body } : {}),
  });
  if (!result.ok && result.code === 'unauthorized') staffAuth.logout();
  return result;
}

const base = (sessionId: string) => `/api/sessions/${enc(sessionId)}`;

export const inviteesApi = {
  list: (sessionId: string) => call<Invitee[]>('GET', `${base(sessionId)}/invitees`),
  add: (sessionId: string, input: InviteeInput) =>
    call<Invitee>('POST', `${base(sessionId)}/invitees`, input),
  update: (sessionId: string, id: string, input: InviteeInput) =>
    call<Invitee>('PUT', `${base(sessionId)}/invitees/${enc(id)}`, input),
  remove: (sessionId: string, id: string) => call<null>('DELETE', `${base(sessionId)}/invitees/${enc(id)}`),
  erase: (sessionId: string) => call<{ erased: number }>('DELETE', `${base(sessionId)}/invitees`),
  import: (sessionId: string, format: 'csv' | 'xlsx', data: string) =>
    call<InviteeImportReply>('POST', `${base(sessionId)}/invitees/import`, { format, data }),
  checkIn: (sessionId: string, id: string, present: boolean) =>
    call<{ present: boolean }>('PUT', `${base(sessionId)}/invitees/${enc(id)}/check-in`, { present }),
  invitations: (sessionId: string) => call<InvitationsReply>('GET', `${base(sessionId)}/invitations`),
  settings: (sessionId: string) => call<InvitationSettings>('GET', `${base(sessionId)}/invitations/settings`),
  saveSettings: (sessionId: string, settings: InvitationSettings) =>
    call<InvitationSettings>('PUT', `${base(sessionId)}/invitations/settings`, settings),
  attendance: (sessionId: string) => call<Attendance>('GET', `${base(sessionId)}/attendance`),
};

/** A file as the import takes it: CSV as text, XLSX as base64. */
export async function readImportFile(file: File): Promise<{ format: 'csv' | 'xlsx'; data: string }> {
  if (/\.csv$/i.test(file.name) || file.type === 'text/csv')
    return { format: 'csv', data: await file.text() };
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { format: 'xlsx', data: btoa(binary) };
}

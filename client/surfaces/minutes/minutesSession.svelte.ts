/**
 * One staff member's minutes page for one session: the live session state through the shell's Connection (for the
 * side list, the title and the approval), the shared document (MinutesCollab), who may write, and the verbs:
 * approve (chair) and export (DOCX download, print view).
 */
import type { Role } from '../../../shared/domain/roles.ts';
import type { SessionState } from '../../../shared/domain/types.ts';
import type { LoginReply } from '../../../shared/protocol.ts';
import { request } from '../../lib/api.ts';
import type { ApiFailure, Result } from '../../lib/api.ts';
import { Connection } from '../../lib/connection.svelte.ts';
import { MinutesCollab } from './collab.svelte.ts';
import type { PresenceUser } from './collab.svelte.ts';

/** Roles that write the minutes (the server decides; this only arranges the page). */
export const WRITER_ROLES: readonly Role[] = ['chair', 'secretary'];

/** Caret colours: dark enough for white name labels (contrast ≥ 4.5:1), distinct from each other. */
export const CARET_COLORS = [
  '#b91c1c',
  '#1d4ed8',
  '#047857',
  '#7e22ce',
  '#a16207',
  '#be185d',
  '#0e7490',
  '#4d7c0f',
] as const;

/** A stable colour per account, so a person keeps theirs across reloads and devices. */
export function colorFor(id: string): string {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) >>> 0;
  return CARET_COLORS[h % CARET_COLORS.length] ?? CARET_COLORS[0];
}

export type ExportKind = 'docx' | 'html';

export interface ExportFile {
  blob: Blob;
  filename: string;
}

function filenameOf(response: Response, fallback: string): string {
  const header = response.headers.get('content-disposition') ?? '';
  const utf = /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (utf?.[1]) {
    try {
      return decodeURIComponent(utf[1]);
    } catch {
      // fall through to the plain name
    }
  }
  const plain = /filename="?([^";]+)"?/i.exec(header);
  return plain?.[1] ?? fallback;
}

export class MinutesSession {
  readonly login: LoginReply;
  readonly sessionId: string;
  readonly connection: Connection;
  readonly collab: MinutesCollab;
  readonly color: string;

  constructor(login: LoginReply, sessionId: string) {
    this.login = login;
    this.sessionId = sessionId;
    this.color = colorFor(login.userId);
    this.connection = new Connection({
      token: login.token,
      sessionId,
      storageKey: `minutes:${login.userId}`,
    });
    this.collab = new MinutesCollab({
      sessionId,
      token: login.token,
      user: this.#user(WRITER_ROLES.includes(login.role)),
      ...(WRITER_ROLES.includes(login.role)
        ? { keepLocal: `dialogue-board:minutes:${sessionId}:${login.userId}` }
        : {}),
    });
  }

  get state(): SessionState | undefined {
    return this.connection.state;
  }
  get role(): Role {
    return this.login.role;
  }
  get approval(): SessionState['minutesApproved'] {
    return this.connection.state?.minutesApproved;
  }
  /** This account writes the minutes (chair, secretary). */
  get writer(): boolean {
    return WRITER_ROLES.includes(this.login.role);
  }
  /** Edits would reach the others now: a writer, before approval, and the server has not refused the token. */
  get canEdit(): boolean {
    return this.writer && !this.approval && this.collab.denial === undefined;
  }
  get canApprove(): boolean {
    return this.login.role === 'chair' && !this.approval && this.connection.state !== undefined;
  }

  /** What this tab shows the others (name, colour, role, whether it writes). */
  presence(): PresenceUser {
    return this.#user(this.canEdit);
  }

  /**
   * The chair approves: the server writes the register number given (the last moment it can be set) into the
   * header, locks the document and records `minutes.approved` with the content's hash.
   */
  approve(docNumber?: string): Promise<Result<{ hash: string; seq: number }>> {
    return request<{ hash: string; seq: number }>(
      'POST',
      `/api/sessions/${encodeURIComponent(this.sessionId)}/minutes/approve`,
      {
        token: this.login.token,
        body: docNumber ? { docNumber } : {},
      },
    );
  }

  /** Fetches an export with the Bearer token (a plain link would carry no token). */
  async fetchExport(kind: ExportKind): Promise<{ ok: true; value: ExportFile } | ApiFailure> {
    const fallback = `bien-ban-${this.state?.date ?? this.sessionId}.${kind}`;
    let response: Response;
    try {
      response = await fetch(`/api/sessions/${encodeURIComponent(this.sessionId)}/export/minutes.${kind}`, {
        headers: { authorization: `Bearer ${this.login.token}` },
      });
    } catch (error) {
      return { ok: false, code: 'network', message: String(error) };
    }
    if (!response.ok) {
      return {
        ok: false,
        code: response.status === 401 ? 'unauthorized' : 'internal',
        message: `HTTP ${response.status}`,
        status: response.status,
      };
    }
    return { ok: true, value: { blob: await response.blob(), filename: filenameOf(response, fallback) } };
  }

  close(): void {
    this.collab.destroy();
    this.connection.close();
  }

  #user(writer: boolean): PresenceUser {
    return { name: this.login.name || this.login.role, color: this.color, role: this.login.role, writer };
  }
}

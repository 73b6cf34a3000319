/**
 * One session as the office sees it: the live, staff-projected state folded by the shell's Connection, the
 * synthesis computed from it with the same pure `buildReport` the server uses for exports, and the verbs that send
 * the office's commands. Components read getters and call verbs; only this class knows the command shapes.
 */
import type {
  AgendaItem,
  Criterion,
  PaperIssued,
  SessionState,
  SessionStatus,
} from '../../../../shared/domain/types.ts';
import type { Ack } from '../../../../shared/protocol.ts';
import { buildReport, type Report } from '../../../../shared/report/report.ts';
import { Connection } from '../../../lib/connection.svelte.ts';
import { newId } from '../../../lib/ids.ts';
import { localToday } from '../adminApi.ts';

export interface SessionChanges {
  title?: string;
  date?: string;
  startTime?: string;
  venue?: string;
  wardName?: string;
  parentBody?: string;
  place?: string;
  groups?: number;
  moderation?: 'open' | 'review';
  criteria?: Criterion[];
  defaultSpeechSec?: number;
}

export interface PaperForm {
  participantId: string;
  name?: string;
  group?: number;
  organisation?: string;
  kind: 'resident' | 'business' | 'delegate' | 'staff';
  questions: Array<{ questionId: string; text: string; fieldId?: string; anonymous: boolean }>;
  answers?: Record<string, number>;
  comment?: string;
  procedure?: string;
}

export type Tab = 'overview' | 'agenda' | 'settings' | 'invitees' | 'opinions' | 'paper' | 'report' | 'audit';
export const TABS: readonly Tab[] = [
  'overview',
  'agenda',
  'settings',
  'invitees',
  'opinions',
  'paper',
  'report',
  'audit',
];
export const isTab = (x: string | undefined): x is Tab => (TABS as readonly string[]).includes(x ?? '');

/** The next status of each, in the order of the meeting (draft may skip collecting). */
export const NEXT_STATUS: Record<SessionStatus, SessionStatus | undefined> = {
  draft: 'collecting',
  collecting: 'live',
  live: 'closed',
  closed: undefined,
};

export class AdminSession {
  readonly id: string;
  readonly connection: Connection;
  #today = $state(localToday());
  #report = $derived.by((): Report | undefined => {
    const s = this.connection.state;
    return s ? buildReport(s, { today: this.#today }) : undefined;
  });

  constructor(options: { token: string; sessionId: string; userId: string }) {
    this.id = options.sessionId;
    this.connection = new Connection({
      token: options.token,
      sessionId: options.sessionId,
      storageKey: `admin:${options.userId}`,
    });
  }

  get state(): SessionState | undefined {
    return this.connection.state;
  }
  get report(): Report | undefined {
    return this.#report;
  }
  get closed(): boolean {
    return this.state?.status === 'closed';
  }
  /** Paper forms and opinions are taken while collecting or live. */
  get open(): boolean {
    return this.state?.status === 'collecting' || this.state?.status === 'live';
  }
  /** Paper forms are entered, corrected and removed from the opening of collection on, after closing too. */
  get paperOpen(): boolean {
    return this.state !== undefined && this.state.status !== 'draft';
  }

  close(): void {
    this.connection.close();
  }

  update(changes: SessionChanges): Promise<Ack> {
    return this.connection.send({ type: 'session.update', ...changes });
  }

  setStatus(status: SessionStatus): Promise<Ack> {
    this.#today = localToday();
    return this.connection.send({ type: 'session.set_status', status });
  }

  setAgenda(items: AgendaItem[]): Promise<Ack> {
    return this.connection.send({ type: 'agenda.set', items });
  }

  enterPaperForm(form: PaperForm): Promise<Ack> {
    return this.connection.send({ type: 'paper_form.enter', ...form });
  }

  /** The whole form as it should read: questions kept by their ids, new ones added, missing ones taken off. */
  correctPaperForm(form: PaperForm): Promise<Ack> {
    return this.connection.send({ type: 'paper_form.correct', ...form });
  }

  removePaperForm(participantId: string): Promise<Ack> {
    return this.connection.send({ type: 'paper_form.remove', participantId });
  }

  setPaperIssued(issued: PaperIssued): Promise<Ack> {
    return this.connection.send({ type: 'paper_form.set_issued', ...issued });
  }
}

export const newItemId = (): string => newId();

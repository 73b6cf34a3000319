/**
 * One staff member's panel on one session: the live state (through the shell's Connection), who they are, what
 * they may do, and a verb per command. Components read getters and call verbs; failures become notices with the
 * translated reason, so every button reports "already answered by …" the same way.
 */
import type { CommandType } from '../../../shared/domain/commands.ts';
import { isResponsible, may } from '../../../shared/domain/permissions.ts';
import { own } from '../../../shared/domain/records.ts';
import { answererName } from '../../../shared/domain/state.ts';
import type { Role } from '../../../shared/domain/roles.ts';
import type {
  AnswerMode,
  Official,
  Question,
  SessionState,
  SessionStatus,
} from '../../../shared/domain/types.ts';
import type { Ack, LoginReply } from '../../../shared/protocol.ts';
import { Connection } from '../../lib/connection.svelte.ts';
import type { CommandDraft } from '../../lib/connection.svelte.ts';
import { newId } from '../../lib/ids.ts';

/** What an outcome carries besides its mode (shared/domain/commands.ts question.answer). */
interface Outcome {
  note: string;
  dueDate?: string;
  authority?: string;
  reason?: string;
  answeredBy?: string;
}
import { readClaims } from '../../lib/tokenClaims.ts';
import { fieldOf } from './board.ts';
import { failureMessage, Notices } from './notices.svelte.ts';
import type { Message } from './notices.svelte.ts';

export interface RunOptions {
  /** Confirmation shown when the server accepts. */
  success?: Message;
  /** The caller shows the failure itself (e.g. inside its dialog). */
  quiet?: boolean;
}

export class PanelSession {
  readonly connection: Connection;
  readonly login: LoginReply;
  readonly notices = new Notices();
  readonly #claimFields: readonly string[];

  #official = $derived.by((): Official | undefined =>
    this.connection.state?.officials.find((o) => o.userId !== undefined && o.userId === this.login.userId),
  );
  #myFields = $derived.by((): readonly string[] => [
    ...this.#claimFields,
    ...(this.#official?.fieldIds ?? []),
  ]);

  /** Commands this page sent and awaits: their failures are reported by `run`, not again from `lastError`. */
  readonly #awaited: Record<string, true> = {};
  /** Speaking time for the next speaker(s) chosen on this panel; the session's default until changed. */
  #nextSpeechSec = $state<number | undefined>();

  constructor(login: LoginReply, sessionId: string) {
    this.login = login;
    this.#claimFields = readClaims(login.token).fieldIds ?? [];
    this.connection = new Connection({ token: login.token, sessionId, storageKey: `panel:${login.userId}` });
  }

  get sessionId(): string {
    return this.connection.sessionId;
  }
  get state(): SessionState | undefined {
    return this.connection.state;
  }
  get role(): Role {
    return this.login.role;
  }
  /** The official entity of the signed-in account in this session, when there is one. */
  get official(): Official | undefined {
    return this.#official;
  }
  /** Fields the signed-in person answers for (from their account and the session's list of officials). */
  get myFields(): readonly string[] {
    return this.#myFields;
  }
  /** Officials see their own work first. */
  get prefersOwnWork(): boolean {
    return this.role === 'official' || this.#myFields.length > 0 || this.#official !== undefined;
  }

  get nextSpeechSec(): number {
    return this.#nextSpeechSec ?? this.connection.state?.defaultSpeechSec ?? 180;
  }
  setNextSpeechSec(sec: number): void {
    this.#nextSpeechSec = sec;
  }

  can(type: CommandType): boolean {
    return may(this.role, type);
  }

  /** May send `type` about this question: the role may, and (officials) the question is theirs to answer. */
  canOn(type: CommandType, q: Question): boolean {
    if (!this.can(type)) return false;
    const actor = { role: this.role, id: this.login.userId, fieldIds: [...this.#claimFields] };
    return isResponsible(actor, q, this.connection.state?.officials ?? []);
  }

  /** Assigned to me, to one of my fields, or asked in one of my fields. */
  isMine(q: Question): boolean {
    if (this.#official && q.assignedOfficialId === this.#official.id) return true;
    const field = fieldOf(q);
    return field !== undefined && this.#myFields.includes(field);
  }

  close(): void {
    this.notices.clear();
    this.connection.close();
  }

  // ---- verbs ----------------------------------------------------------------------------------------------------

  /** Sends a command; a failure becomes a notice unless `quiet`. Resolves with the server's ack. */
  async run(draft: CommandDraft, options: RunOptions = {}): Promise<Ack> {
    const id = draft.id ?? newId();
    this.#awaited[id] = true;
    const ack = await this.connection.send({ ...draft, id });
    if (ack.ok) {
      if (options.success) this.notices.success(options.success);
    } else if (!options.quiet) {
      this.notices.error(this.failure(ack, 'questionId' in draft ? String(draft.questionId) : undefined));
    }
    return ack;
  }

  /**
   * A command that failed with nobody awaiting it: sent from the outbox after a reload or a long drop (the
   * tablet went offline, someone else acted meanwhile). Call from an effect on `connection.lastError`.
   */
  reportOrphanFailure(): void {
    const failure = this.connection.lastError;
    if (!failure || this.#awaited[failure.command.id]) return;
    const questionId = 'questionId' in failure.command ? String(failure.command.questionId) : undefined;
    this.notices.error(this.failure(failure, questionId));
    this.connection.clearError();
  }

  /** The message for a failed command; for "already answered", who answered as this panel knows it. */
  failure(ack: Extract<Ack, { ok: false }>, questionId?: string): Message {
    const answer = questionId && this.state ? own(this.state.questions, questionId)?.answer : undefined;
    const by = answer ? answererName(answer) : undefined;
    return failureMessage(ack, by);
  }

  approve(questionIds: string[]): Promise<Ack> {
    return this.run(
      { type: 'question.approve', questionIds },
      { success: { key: 'panel.done.approved', values: { count: questionIds.length } } },
    );
  }
  hide(questionId: string, reason: string, options?: RunOptions): Promise<Ack> {
    return this.run({ type: 'question.hide', questionId, reason }, options);
  }
  note(questionId: string, note: string, options?: RunOptions): Promise<Ack> {
    return this.run({ type: 'question.note', questionId, note }, options);
  }
  merge(questionId: string, intoId: string, options?: RunOptions): Promise<Ack> {
    return this.run({ type: 'question.merge', questionId, intoId }, options);
  }
  assign(
    questionId: string,
    fieldId: string | null,
    officialId: string | null,
    options?: RunOptions,
  ): Promise<Ack> {
    return this.run({ type: 'question.assign', questionId, fieldId, officialId }, options);
  }
  answer(questionId: string, answer: Outcome & { mode: AnswerMode }, options?: RunOptions): Promise<Ack> {
    return this.run({ type: 'question.answer', questionId, ...answer }, options);
  }
  /** The closing: one outcome (not "at the meeting") for many open opinions. */
  answerBulk(
    questionIds: string[],
    outcome: Outcome & { mode: Exclude<AnswerMode, 'live'> },
    options?: RunOptions,
  ): Promise<Ack> {
    return this.run({ type: 'question.answer_bulk', questionIds, ...outcome }, options);
  }
  /** A finished speech becomes opinions of the register (at most a few taps at "Kết thúc", or later). */
  recordSpeechOpinions(
    handId: string,
    opinions: Array<{ text: string; fieldId?: string; officialId?: string }>,
    options?: RunOptions,
  ): Promise<Ack> {
    return this.run(
      {
        type: 'speech.record_opinions',
        handId,
        opinions: opinions.map((o) => ({ questionId: newId(), ...o })),
      },
      options,
    );
  }
  reopen(questionId: string, options?: RunOptions): Promise<Ack> {
    return this.run({ type: 'question.reopen', questionId }, options);
  }
  highlight(questionId: string | null): Promise<Ack> {
    return this.run({ type: 'question.highlight', questionId });
  }

  addHand(
    hand: { name: string; group?: number; topic?: string; fieldId?: string },
    options?: RunOptions,
  ): Promise<Ack> {
    return this.run({ type: 'hand.add', handId: newId(), ...hand }, options);
  }
  removeHand(handId: string, options?: RunOptions): Promise<Ack> {
    return this.run({ type: 'hand.remove', handId }, options);
  }
  moveHand(handId: string, toIndex: number): Promise<Ack> {
    return this.run({ type: 'hand.move', handId, toIndex: Math.max(0, toIndex) });
  }
  setFirstTimeFirst(enabled: boolean): Promise<Ack> {
    return this.run({ type: 'queue.set_first_time_first', enabled });
  }
  giveFloor(handId: string, durationSec?: number): Promise<Ack> {
    return this.run({ type: 'speaker.give_floor', handId, ...(durationSec ? { durationSec } : {}) });
  }
  endSpeech(): Promise<Ack> {
    return this.run({ type: 'speaker.end' });
  }
  setSpeechTime(durationSec: number): Promise<Ack> {
    return this.run({ type: 'speaker.set_time', durationSec: Math.round(durationSec) });
  }

  startAgendaItem(itemId: string): Promise<Ack> {
    return this.run({ type: 'agenda.start', itemId });
  }
  /** The report page on the big screen; null: the key figures. */
  showReportPage(pageId: string | null): Promise<Ack> {
    return this.run({ type: 'report.show_page', pageId });
  }
  setStatus(status: SessionStatus, options?: RunOptions): Promise<Ack> {
    return this.run({ type: 'session.set_status', status }, options);
  }
}

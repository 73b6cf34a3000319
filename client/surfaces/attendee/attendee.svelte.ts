/**
 * The attendee's view of a session: what the components read (getters over the folded state and the outbox) and
 * what they do (verbs that send commands). Components stay dumb; only this class knows the command shapes.
 */
import type { Ack } from '../../../shared/protocol.ts';
import type { CommandInput } from '../../../shared/domain/commands.ts';
import type { Field, Hand, Participant, Question, SessionState } from '../../../shared/domain/types.ts';
import { own } from '../../../shared/domain/records.ts';
import { Connection } from '../../lib/connection.svelte.ts';
import { findLast, newId } from '../../lib/ids.ts';
import type { PendingCommand } from '../../lib/connection.svelte.ts';
import type { AttendeeIdentity } from './identity.ts';

export type Tab = 'now' | 'questions' | 'ask' | 'speak' | 'form';
export const TABS: readonly Tab[] = ['now', 'questions', 'ask', 'speak', 'form'];
export type SortOrder = 'votes' | 'newest';
/** Where the person stands in the speaker queue. */
export type SpeakStage = 'none' | 'sending' | 'queued' | 'next' | 'floor';

const type = <T extends CommandInput['type']>(
  p: PendingCommand,
  t: T,
): p is PendingCommand & { command: Extract<CommandInput, { type: T }> } => p.command.type === t;

export class AttendeeSession {
  readonly connection: Connection;
  readonly me: string;
  readonly identity: AttendeeIdentity;

  #sort = $state<SortOrder>('votes');
  #fieldFilter = $state<string>('');

  constructor(identity: AttendeeIdentity) {
    this.identity = identity;
    this.me = identity.participantId;
    this.connection = new Connection({
      token: identity.token,
      sessionId: identity.sessionId,
      storageKey: `attendee:${identity.participantId}`, // = #storageKey (not usable before the fields exist)
      cacheState: true,
    });
  }

  close(): void {
    this.connection.close();
  }

  /** This identity is no longer valid: drop what it kept on the device (saved state, unsendable outbox). */
  forgetDevice(): void {
    Connection.forget(this.identity.sessionId, this.#storageKey, { outbox: true });
  }

  get #storageKey(): string {
    return `attendee:${this.identity.participantId}`;
  }

  get state(): SessionState | undefined {
    return this.connection.state;
  }
  get status(): SessionState['status'] | undefined {
    return this.connection.state?.status;
  }
  /** Questions, votes, forms are taken while collecting or live. */
  get open(): boolean {
    return this.status === 'collecting' || this.status === 'live';
  }
  get live(): boolean {
    return this.status === 'live';
  }
  get participant() {
    return this.state ? own(this.state.participants, this.me) : undefined;
  }
  /** Changes how one appears (name, way of attending, group or organisation); a cleared group is sent as null. */
  updateDetails(details: {
    name: string;
    kind: NonNullable<Participant['kind']>;
    group: number | null;
    organisation: string;
  }): Promise<Ack> {
    const { name, kind, group, organisation } = details;
    return this.connection.send({
      type: 'participant.update',
      kind,
      ...(name.trim() ? { name: name.trim() } : {}),
      group: kind === 'resident' ? group : null,
      ...(kind !== 'resident' && organisation.trim() ? { organisation: organisation.trim() } : {}),
    });
  }
  get fields(): Field[] {
    return (this.state?.fields ?? []).filter((f) => !f.retired);
  }
  fieldName(id: string | undefined): string | undefined {
    return id === undefined ? undefined : this.state?.fields.find((f) => f.id === id)?.name;
  }
  officialName(id: string | undefined): string | undefined {
    const o = id === undefined ? undefined : this.state?.officials.find((x) => x.id === id);
    return o ? [o.title, o.name].filter(Boolean).join(' ') : undefined;
  }

  // ---- Now -------------------------------------------------------------------------------------------------

  get agendaItem() {
    const s = this.state;
    const index = s?.agenda.findIndex((a) => a.id === s.currentAgendaItemId) ?? -1;
    return s && index >= 0 ? { item: s.agenda[index]!, index: index + 1, total: s.agenda.length } : undefined;
  }
  get floor() {
    return this.state?.floor;
  }
  /** Milliseconds of the current speech left at server time `serverNow` (negative: overtime). */
  remainingMs(serverNow: number): number | undefined {
    const f = this.floor;
    return f ? f.startedAt + f.durationSec * 1000 - serverNow : undefined;
  }
  get queueLength(): number {
    return this.state?.queue.length ?? 0;
  }

  // ---- Speak -----------------------------------------------------------------------------------------------

  get myHand(): Hand | undefined {
    return this.state?.queue.find((h) => h.participantId === this.me);
  }
  /** 1-based place in the queue. */
  get myPosition(): number | undefined {
    const i = this.state?.queue.findIndex((h) => h.participantId === this.me) ?? -1;
    return i >= 0 ? i + 1 : undefined;
  }
  get hasFloor(): boolean {
    return this.floor?.participantId === this.me;
  }
  get speakStage(): SpeakStage {
    if (this.hasFloor) return 'floor';
    const position = this.myPosition;
    if (position !== undefined && this.#pendingLower === undefined) return position === 1 ? 'next' : 'queued';
    return this.#pendingRaise ? 'sending' : 'none';
  }
  get #pendingRaise(): PendingCommand | undefined {
    return this.connection.pending.find((p) => type(p, 'hand.raise'));
  }
  get #pendingLower(): PendingCommand | undefined {
    return this.connection.pending.find((p) => type(p, 'hand.lower'));
  }
  get lowering(): boolean {
    return this.#pendingLower !== undefined;
  }

  raiseHand(topic: string, fieldId: string): Promise<Ack> {
    return this.connection.send({
      type: 'hand.raise',
      handId: newId(),
      ...(topic.trim() ? { topic: topic.trim() } : {}),
      ...(fieldId ? { fieldId } : {}),
    });
  }
  lowerHand(): Promise<Ack> | undefined {
    const hand = this.myHand;
    return hand ? this.connection.send({ type: 'hand.lower', handId: hand.id }) : undefined;
  }

  // ---- Questions ----------------------------------------------------------------------------------------------

  get sort(): SortOrder {
    return this.#sort;
  }
  set sort(value: SortOrder) {
    this.#sort = value;
  }
  get fieldFilter(): string {
    return this.#fieldFilter;
  }
  set fieldFilter(value: string) {
    this.#fieldFilter = value;
  }

  /** Published and answered questions, filtered and sorted as chosen. */
  get publicQuestions(): Question[] {
    const list = Object.values(this.state?.questions ?? {}).filter(
      (q) =>
        (q.status === 'published' || q.status === 'answered') &&
        (!this.#fieldFilter || q.fieldId === this.#fieldFilter),
    );
    return this.#sort === 'votes'
      ? list.sort((a, b) => this.votesOf(b) - this.votesOf(a) || b.createdAt - a.createdAt)
      : list.sort((a, b) => b.createdAt - a.createdAt);
  }
  /** How many questions wait for the organisers' review: moderation is visible to all. */
  get awaitingReview(): number {
    return Object.values(this.state?.questions ?? {}).filter((q) => q.status === 'pending').length;
  }
  /** My vote as I see it: the last one I made, even if it is still being sent. */
  votedFor(q: Question): boolean {
    const pending = this.#pendingVote(q.id);
    return pending ? pending.command.value : (q.voters?.includes(this.me) ?? false);
  }
  votesOf(q: Question): number {
    const pending = this.#pendingVote(q.id);
    const server = q.voters?.includes(this.me) ?? false;
    return pending && pending.command.value !== server ? q.votes + (pending.command.value ? 1 : -1) : q.votes;
  }
  voteSending(q: Question): boolean {
    return this.#pendingVote(q.id) !== undefined;
  }
  #pendingVote(questionId: string) {
    return findLast(
      this.connection.pending,
      (p): p is PendingCommand & { command: Extract<CommandInput, { type: 'question.vote' }> } =>
        type(p, 'question.vote') && p.command.questionId === questionId,
    );
  }
  toggleVote(q: Question): Promise<Ack> {
    return this.connection.send({ type: 'question.vote', questionId: q.id, value: !this.votedFor(q) });
  }
  questionText(id: string | undefined): string | undefined {
    const q = id && this.state ? own(this.state.questions, id) : undefined;
    return q?.text || undefined;
  }

  // ---- My questions ----------------------------------------------------------------------------------------

  /** Mine, newest first, with the ones still being sent first of all. */
  get myQuestions(): MyQuestion[] {
    const pending = this.connection.pending;
    const known = Object.values(this.state?.questions ?? {}).filter((q) => q.authorId === this.me);
    const ids = new Set(known.map((q) => q.id));
    const sending: MyQuestion[] = pending.flatMap((p) =>
      type(p, 'question.submit') && !ids.has(p.command.questionId)
        ? [
            {
              id: p.command.questionId,
              text: p.command.text,
              fieldId: p.command.fieldId,
              anonymous: p.command.anonymous ?? false,
              sending: true,
            },
          ]
        : [],
    );
    const mine = known
      .sort((a, b) => b.createdAt - a.createdAt)
      .map((q): MyQuestion => {
        const edit = findLast(pending, (p) => type(p, 'question.edit') && p.command.questionId === q.id);
        const withdrawing = pending.some(
          (p) => type(p, 'question.withdraw') && p.command.questionId === q.id,
        );
        const e = edit && type(edit, 'question.edit') ? edit.command : undefined;
        return {
          id: q.id,
          text: e?.text ?? q.text,
          fieldId: e ? e.fieldId : q.fieldId,
          anonymous: e?.anonymous ?? q.anonymous,
          question: q,
          sending: e !== undefined || withdrawing,
        };
      });
    return [...sending.reverse(), ...mine];
  }
  /** Until it is answered (and while it is not hidden, merged or withdrawn). */
  canChange(q: MyQuestion): boolean {
    const status = q.question?.status;
    return this.open && (status === 'pending' || status === 'published');
  }

  ask(text: string, fieldId: string, anonymous: boolean): Promise<Ack> {
    return this.connection.send({
      type: 'question.submit',
      questionId: newId(),
      text: text.trim(),
      ...(fieldId ? { fieldId } : {}),
      anonymous,
    });
  }
  edit(id: string, text: string, fieldId: string, anonymous: boolean): Promise<Ack> {
    return this.connection.send({
      type: 'question.edit',
      questionId: id,
      text: text.trim(),
      ...(fieldId ? { fieldId } : {}),
      anonymous,
    });
  }
  withdraw(id: string): Promise<Ack> {
    return this.connection.send({ type: 'question.withdraw', questionId: id });
  }

  // ---- Form ------------------------------------------------------------------------------------------------

  get criteria() {
    return this.state?.criteria ?? [];
  }
  /** My form as last sent (the pending one first). */
  get mySurvey():
    | {
        answers: Record<string, number>;
        comment?: string | undefined;
        procedure?: string | undefined;
        sending: boolean;
      }
    | undefined {
    const pending = findLast(this.connection.pending, (p) => type(p, 'survey.submit'));
    if (pending && type(pending, 'survey.submit')) {
      const { answers, comment, procedure } = pending.command;
      return { answers, comment, procedure, sending: true };
    }
    const saved = this.state ? own(this.state.surveys, this.me) : undefined;
    return saved
      ? { answers: saved.answers, comment: saved.comment, procedure: saved.procedure, sending: false }
      : undefined;
  }
  submitSurvey(answers: Record<string, number>, comment: string, procedure = ''): Promise<Ack> {
    return this.connection.send({
      type: 'survey.submit',
      answers,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
      ...(procedure.trim() ? { procedure: procedure.trim() } : {}),
    });
  }
}

export interface MyQuestion {
  id: string;
  text: string;
  fieldId: string | undefined;
  anonymous: boolean;
  /** Absent while the question is still on its way. */
  question?: Question;
  sending: boolean;
}

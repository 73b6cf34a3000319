/**
 * Sync snapshots, projected and serialised once per session, audience and seq. A snapshot of a 3,000-question
 * session is a megabyte of JSON and tens of milliseconds of CPU to build; built per request, a few hundred syncs
 * took the server down (issue 12). Here a repeated sync at the same seq is a lookup.
 *
 * Staff and the screen see one view each: cached whole. Attendees see one public view plus their own things
 * (`viewPeople`, their own questions in full, their vote on each question open to the hall): the public part is
 * cached as one JSON entry per question (kept across seqs for every question a new state did not change, so after
 * a vote one question is serialised again, not the session), and an attendee's snapshot is that text with their few
 * own entries put in — no projection or serialisation of the other questions. The result is, parsed, exactly
 * `projectState(state, viewer)` (tests/unit/realtime/snapshotCache.test.ts checks it on random sessions).
 */
import {
  isOpenToHall,
  projectState,
  questionInView,
  viewPeople,
  viewQuestion,
  type Audience,
  type Viewer,
} from '../../shared/domain/projection.ts';
import type { Question, SessionState } from '../../shared/domain/types.ts';
import { RawJson } from './rawJson.ts';

export interface SnapshotCacheOptions {
  /** Sessions whose snapshots are kept (least recently synced dropped first); default 16. */
  sessions?: number;
  /** Called for every projection built (metrics, tests). */
  onBuild?: (audience: Audience) => void;
}

/** The public attendee view of one question, in the order of the state. */
interface Entry {
  question: Question;
  /** `"id":{…}` as an attendee who neither wrote it nor voted on it sees it; null when they do not see it. */
  json: string | null;
  /** The same without the closing brace, for putting the viewer's own vote in; null when it carries no vote. */
  open: string | null;
}

interface AttendeeBase {
  /** The public view's JSON without `questions` and the people parts, without its closing brace. */
  head: string;
  entries: Entry[];
  /** Every entry's `json`, joined: the questions of an attendee with nothing of their own. */
  joined: string;
  /** Built on the first attendee sync that needs them. */
  authored?: Map<string, Set<string>>;
  voted?: Map<string, Set<string>>;
}

interface Cached {
  seq: number;
  staff?: RawJson<SessionState>;
  screen?: RawJson<SessionState>;
  attendee?: AttendeeBase;
}

const PEOPLE_KEYS = ['participants', 'surveys', 'spoke', 'queue', 'floor'] as const;

export class SnapshotCache {
  readonly #max: number;
  readonly #onBuild: (audience: Audience) => void;
  readonly #sessions = new Map<string, Cached>();
  /**
   * Each question's public entry, across seqs: a state shares every question it did not change with the state
   * before, so a new seq (one vote) serialises one question again, not three thousand.
   */
  readonly #entries = new WeakMap<Question, Entry>();

  constructor(options: SnapshotCacheOptions = {}) {
    this.#max = options.sessions ?? 16;
    this.#onBuild = options.onBuild ?? (() => {});
  }

  /** The state as the viewer may see it, serialised. */
  snapshot(state: SessionState, viewer: Viewer): RawJson<SessionState> {
    const cached = this.#entry(state);
    if (viewer.audience === 'staff') return (cached.staff ??= this.#whole(state, viewer));
    if (viewer.audience === 'screen') return (cached.screen ??= this.#whole(state, viewer));
    cached.attendee ??= this.#attendeeBase(state);
    return composeAttendee(cached.attendee, state, viewer);
  }

  #entry(state: SessionState): Cached {
    const found = this.#sessions.get(state.id);
    this.#sessions.delete(state.id);
    const cached = found && found.seq === state.seq ? found : { seq: state.seq };
    this.#sessions.set(state.id, cached); // most recent last
    if (this.#sessions.size > this.#max) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest !== undefined) this.#sessions.delete(oldest);
    }
    return cached;
  }

  #whole(state: SessionState, viewer: Viewer): RawJson<SessionState> {
    this.#onBuild(viewer.audience);
    return new RawJson(JSON.stringify(projectState(state, viewer)));
  }

  #attendeeBase(state: SessionState): AttendeeBase {
    this.#onBuild('attendee');
    const rest: Partial<SessionState> = projectState({ ...state, questions: {} }, { audience: 'attendee' });
    delete rest.questions;
    for (const key of PEOPLE_KEYS) delete rest[key];
    const entries = Object.values(state.questions).map((question) => {
      let entry = this.#entries.get(question);
      if (!entry) this.#entries.set(question, (entry = publicEntry(question)));
      return entry;
    });
    return {
      head: JSON.stringify(rest).slice(0, -1),
      entries,
      joined: entries.flatMap((e) => e.json ?? []).join(','),
    };
  }
}

function publicEntry(question: Question): Entry {
  const visible = questionInView(question, { audience: 'attendee' });
  if (!visible) return { question, json: null, open: null };
  const text = `${JSON.stringify(question.id)}:${JSON.stringify(visible)}`;
  if (!isOpenToHall(question)) return { question, json: text, open: null };
  const open = text.slice(0, -1);
  return { question, json: `${open},"voters":[]}`, open };
}

function composeAttendee(base: AttendeeBase, state: SessionState, viewer: Viewer): RawJson<SessionState> {
  const me = viewer.participantId;
  const authored = me === undefined ? undefined : authoredBy(base, state).get(me);
  const voted = me === undefined ? undefined : votedBy(base, state).get(me);
  let questions = base.joined;
  if (authored || voted) {
    const vote = `,"voters":${JSON.stringify([me])}}`;
    const parts: string[] = [];
    for (const { question, json, open } of base.entries) {
      if (authored?.has(question.id)) {
        const own = viewQuestion(question, viewer);
        parts.push(`${JSON.stringify(question.id)}:${JSON.stringify(own)}`);
      } else if (open !== null && voted?.has(question.id)) parts.push(open + vote);
      else if (json !== null) parts.push(json);
    }
    questions = parts.join(',');
  }
  const people = JSON.stringify(viewPeople(state, viewer)).slice(1);
  return new RawJson(`${base.head},"questions":{${questions}},${people}`);
}

function authoredBy(base: AttendeeBase, state: SessionState): Map<string, Set<string>> {
  if (base.authored) return base.authored;
  const index = new Map<string, Set<string>>();
  for (const q of Object.values(state.questions)) if (q.authorId !== undefined) add(index, q.authorId, q.id);
  return (base.authored = index);
}

function votedBy(base: AttendeeBase, state: SessionState): Map<string, Set<string>> {
  if (base.voted) return base.voted;
  const index = new Map<string, Set<string>>();
  for (const q of Object.values(state.questions)) for (const voter of q.voters ?? []) add(index, voter, q.id);
  return (base.voted = index);
}

function add(index: Map<string, Set<string>>, key: string, value: string): void {
  const set = index.get(key);
  if (set) set.add(value);
  else index.set(key, new Set([value]));
}

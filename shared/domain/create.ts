import type { SessionCreate } from './commands.ts';
import { DEFAULT_AGENDA, DEFAULT_SPEECH_SEC } from './defaults.ts';
import type { NewDomainEvent } from './events.ts';
import type { ActorRef } from './types.ts';
import type { WardProfile } from './ward.ts';

/** The first event of a session's log: its configuration, copied from the ward profile and the default programme. */
export function sessionCreated(
  sessionId: string,
  input: SessionCreate,
  ward: WardProfile,
  joinCode: string,
  by: ActorRef,
  now: number,
): NewDomainEvent {
  return {
    type: 'session.created',
    at: now,
    actor: by,
    session: {
      id: sessionId,
      title: input.title,
      date: input.date,
      startTime: input.startTime,
      venue: input.venue,
      wardName: ward.name,
      ...(ward.parentBody ? { parentBody: ward.parentBody } : {}),
      place: ward.place,
      groups: ward.groups,
      moderation: input.moderation,
      joinCode,
      fields: ward.fields.map((f) => ({ ...f })),
      officials: ward.officials.map((o) => ({ ...o })),
      agenda: DEFAULT_AGENDA.map((a) => ({ ...a })),
      criteria: ward.criteria.map((c) => ({ ...c })),
      defaultSpeechSec: DEFAULT_SPEECH_SEC,
    },
  };
}

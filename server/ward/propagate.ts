/**
 * Keeps the sessions not yet closed in step with the ward profile: a field or official added, renamed or retired in
 * the profile is upserted into each such session (through the domain's own commands, so it is in their logs). A
 * field or official deleted from the profile is retired in the session, never removed: its questions keep their
 * history. Closed sessions are a record and stay as they were.
 */
import { randomUUID } from 'node:crypto';
import type { Command } from '../../shared/domain/commands.ts';
import type { Actor, Field, Official, SessionState } from '../../shared/domain/types.ts';
import type { WardProfile } from '../../shared/domain/ward.ts';
import type { AppContext } from '../context.ts';
import { SESSION_INDEX } from '../sessions/sessionIndex.ts';

type Upsert = Extract<Command, { type: 'field.upsert' | 'official.upsert' }>;

const sameField = (a: Field, b: Field) => a.name === b.name && (a.retired ?? false) === (b.retired ?? false);
const sameOfficial = (a: Official, b: Official) =>
  a.name === b.name &&
  a.title === b.title &&
  a.userId === b.userId &&
  (a.retired ?? false) === (b.retired ?? false) &&
  a.fieldIds.length === b.fieldIds.length &&
  a.fieldIds.every((f, i) => b.fieldIds[i] === f);

/** The commands that bring one session's fields and officials in line with the profile: fields first. */
export function wardCommands(state: SessionState, ward: WardProfile): Upsert[] {
  const base = { sessionId: state.id };
  const out: Upsert[] = [];
  for (const f of ward.fields) {
    const had = state.fields.find((x) => x.id === f.id);
    if (!had || !sameField(had, f))
      out.push({ ...base, id: randomUUID(), type: 'field.upsert', field: { ...f } });
  }
  for (const f of state.fields) {
    if (!f.retired && !ward.fields.some((x) => x.id === f.id))
      out.push({ ...base, id: randomUUID(), type: 'field.upsert', field: { ...f, retired: true } });
  }
  for (const o of ward.officials) {
    const had = state.officials.find((x) => x.id === o.id);
    if (!had || !sameOfficial(had, o))
      out.push({
        ...base,
        id: randomUUID(),
        type: 'official.upsert',
        official: { ...o, fieldIds: [...o.fieldIds] },
      });
  }
  for (const o of state.officials) {
    if (!o.retired && !ward.officials.some((x) => x.id === o.id))
      out.push({ ...base, id: randomUUID(), type: 'official.upsert', official: { ...o, retired: true } });
  }
  return out;
}

/** Pushes the profile into every session not closed; returns how many sessions changed. */
export async function pushWardToSessions(ctx: AppContext, ward: WardProfile, actor: Actor): Promise<number> {
  const ids = (await ctx.store.docs.list(SESSION_INDEX)).map((x) => x.key);
  let changed = 0;
  for (const id of ids) {
    const state = await ctx.sessions.state(id);
    if (!state || state.status === 'closed') continue;
    const commands = wardCommands(state, ward);
    for (const command of commands) {
      const ack = await ctx.sessions.dispatch(command, actor);
      if (!ack.ok)
        ctx.logger.warn(
          { sessionId: id, code: ack.code, type: command.type },
          'ward change not applied to session',
        );
    }
    if (commands.length > 0) changed++;
  }
  return changed;
}

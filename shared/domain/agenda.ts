/**
 * What a programme item is and what the big screen lists for it. Items saved before kinds existed carry neither:
 * an item of the default programme (same id) is then read as its default, any other item as citizens speaking
 * (the board the screen always showed).
 */
import { DEFAULT_AGENDA } from './defaults.ts';
import type { AgendaItem, AgendaKind } from './types.ts';

const defaultOf = (item: AgendaItem) => DEFAULT_AGENDA.find((d) => d.id === item.id);

export const agendaKindOf = (item: AgendaItem): AgendaKind => item.kind ?? defaultOf(item)?.kind ?? 'speak';

export const screenLinesOf = (item: AgendaItem): readonly string[] =>
  item.screenLines ?? (item.kind === undefined ? defaultOf(item)?.screenLines : undefined) ?? [];

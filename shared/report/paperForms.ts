/**
 * Paper forms (phiếu lấy ý kiến) handed out and collected, per residential group and per organisation. Pure.
 * "Handed out" is what the office records (`paper_form.set_issued`); "collected" is the forms entered, so a form
 * corrected or removed counts where it now stands. A form naming a group and an organisation counts in both tables.
 */
import type { SessionState } from '../domain/types.ts';

export interface IssuedRow {
  /** null: forms that name no group (no organisation). */
  key: number | string | null;
  issued: number;
  collected: number;
}

export interface PaperFormsTally {
  /** Paper forms entered (collected), in all. */
  collected: number;
  /** Forms handed out, in all (by group and by organisation). */
  issued: number;
  /** Groups 1…N with forms handed out or collected, then the forms without a group when there are any. */
  byGroup: IssuedRow[];
  /** Organisations with forms handed out or collected (names as the office wrote them), then those without one. */
  byOrganisation: IssuedRow[];
  /** Forms entered after the minutes were approved: the approved minutes do not hold them, the report does. */
  afterApproval: number;
}

/** Organisation names are matched without regard to case or spacing ("Hội phụ nữ" = "Hội Phụ nữ "). */
export const organisationKey = (name: string): string =>
  name.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('vi');

export function paperFormsTally(state: SessionState): PaperFormsTally {
  const forms = Object.values(state.participants).filter((p) => p.source === 'paper');
  const issued = state.paperIssued ?? { groups: [], organisations: [] };

  const groups = new Map<number | null, IssuedRow>();
  const groupRow = (g: number | null) => {
    let row = groups.get(g);
    if (!row) groups.set(g, (row = { key: g, issued: 0, collected: 0 }));
    return row;
  };
  for (const g of issued.groups) groupRow(g.group).issued += g.count;
  for (const f of forms) groupRow(f.group ?? null).collected++;

  const organisations = new Map<string | null, IssuedRow>();
  const orgRow = (name: string | undefined) => {
    const key = name ? organisationKey(name) : null;
    let row = organisations.get(key);
    if (!row) organisations.set(key, (row = { key: name?.trim() ?? null, issued: 0, collected: 0 }));
    return row;
  };
  for (const o of issued.organisations) orgRow(o.organisation).issued += o.count;
  for (const f of forms) orgRow(f.organisation).collected++;

  const last = <K>(a: K | null, b: K | null) => (a === null ? 1 : 0) - (b === null ? 1 : 0);
  const approvedAt = state.minutesApproved?.at;
  return {
    collected: forms.length,
    issued: [...issued.groups, ...issued.organisations].reduce((n, x) => n + x.count, 0),
    byGroup: [...groups.values()].sort(
      (a, b) => last(a.key, b.key) || Number(a.key ?? 0) - Number(b.key ?? 0),
    ),
    // Forms without an organisation are the residents' own: listed only when some organisation is.
    byOrganisation: [...organisations.values()]
      .filter((r) => r.key !== null || organisations.size > 1)
      .sort((a, b) => last(a.key, b.key) || String(a.key).localeCompare(String(b.key), 'vi')),
    afterApproval: approvedAt === undefined ? 0 : forms.filter((f) => f.joinedAt > approvedAt).length,
  };
}

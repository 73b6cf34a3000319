/**
 * Attendance against invitation: per section of the sign-in sheet (each body, then each residential group) how many
 * were invited and how many are present (checked in by their phone or by staff). Pure; the panel's overview, the
 * admin's report and the sign-in sheet count with it.
 */
import {
  compareInvitees,
  sectionKey,
  sectionOf,
  type Invitee,
  type Section,
} from '../invitations/invitees.ts';

export interface AttendanceRow {
  section: Section;
  invited: number;
  present: number;
}
export interface Attendance {
  rows: AttendanceRow[];
  invited: number;
  present: number;
}

export function attendance(
  invitees: ReadonlyArray<Pick<Invitee, 'category' | 'group' | 'name' | 'salutation' | 'checkedIn'>>,
): Attendance {
  const rows = new Map<string, AttendanceRow>();
  for (const invitee of [...invitees].sort(compareInvitees)) {
    const section = sectionOf(invitee);
    const key = sectionKey(section);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { section, invited: 0, present: 0 }));
    row.invited++;
    if (invitee.checkedIn) row.present++;
  }
  const list = [...rows.values()];
  return {
    rows: list,
    invited: list.reduce((n, r) => n + r.invited, 0),
    present: list.reduce((n, r) => n + r.present, 0),
  };
}

/** Pieces of text the giấy mời and the sign-in sheet share (Nghị định 30/2020/NĐ-CP layout). */
import type { Invitee } from './invitees.ts';

/** "PHƯỜNG KIẾN HƯNG" from "Phường Kiến Hưng" or "Kiến Hưng". */
export const wardLine = (wardName: string): string =>
  `PHƯỜNG ${wardName.trim().replace(/^phường\s+/iu, '')}`.toLocaleUpperCase('vi');

/** "phường Kiến Hưng", as running text names the ward. */
export const wardInText = (wardName: string): string =>
  `phường ${wardName.trim().replace(/^phường\s+/iu, '')}`;

/** What follows the name on "Kính gửi" and on the sign-in sheet: role, organisation, residential group. */
export function roleLine(
  invitee: Pick<Invitee, 'title' | 'organisation' | 'group' | 'category'>,
  t: (key: string, values?: Record<string, string | number>) => string,
): string {
  return [
    invitee.title ?? t(`invite.category.${invitee.category}`),
    invitee.organisation,
    invitee.group !== undefined ? t('invite.group', { n: invitee.group }) : undefined,
  ]
    .filter(Boolean)
    .join(', ');
}

/** The venue and the ward's address on a giấy mời; one of them alone when it already contains the other. */
export function venueLine(venue: string, address: string | undefined): string {
  const [place, where] = [venue.trim(), address?.trim() ?? ''];
  if (!where || place.includes(where)) return place;
  if (!place || where.includes(place)) return where;
  return `${place}, ${where}`;
}

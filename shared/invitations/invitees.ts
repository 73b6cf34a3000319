/**
 * The people invited to a session (giấy mời), after the ward plan's composition (seed, III.2): representatives of the
 * Party committee, the People's Council, the Fatherland Front and the mass organisations, the council's delegates,
 * the Party cell secretary and the head of each residential group, and per group residents and businesses.
 *
 * Invitees are personal data (Decree 13/2023/NĐ-CP): only what a giấy mời and a sign-in sheet need is kept —
 * salutation, name, residential group or organisation, role — nothing to contact or identify a person further.
 * They live apart from the event log (server/invitations/InviteeStore.ts), so the office can erase them.
 */
import { z } from 'zod';

/** The plan's composition, in the order a sign-in sheet lists it. */
export const INVITEE_CATEGORIES = [
  'party',
  'council',
  'front',
  'unions',
  'councilDelegate',
  'cellSecretary',
  'groupLeader',
  'resident',
  'business',
] as const;
export type InviteeCategory = (typeof INVITEE_CATEGORIES)[number];

/** Invitees who represent a residential group: they need its number, and attendance counts them by group. */
export const GROUP_CATEGORIES: readonly InviteeCategory[] = [
  'cellSecretary',
  'groupLeader',
  'resident',
  'business',
];

export const SALUTATIONS = ['ong', 'ba'] as const;
export type Salutation = (typeof SALUTATIONS)[number];

/** How an invitee attends on the phone (the participant's kind). */
export const participantKindOf = (category: InviteeCategory): 'resident' | 'business' | 'delegate' =>
  category === 'business' ? 'business' : GROUP_CATEGORIES.includes(category) ? 'resident' : 'delegate';

export const InviteeInputSchema = z
  .strictObject({
    salutation: z.enum(SALUTATIONS),
    name: z.string().trim().min(1).max(100),
    category: z.enum(INVITEE_CATEGORIES),
    /** Residential group (tổ dân phố), required for the group's representatives. */
    group: z.number().int().min(1).max(200).optional(),
    /** Organisation or body: a company, "Hội Cựu chiến binh phường", "HĐND phường". */
    organisation: z.string().trim().max(150).optional(),
    /** Their role as the giấy mời addresses it: "Bí thư Đảng ủy phường", "Tổ trưởng". */
    title: z.string().trim().max(150).optional(),
  })
  .refine((i) => !GROUP_CATEGORIES.includes(i.category) || i.group !== undefined, {
    message: 'the residential group is required for this role',
    path: ['group'],
  });
export type InviteeInput = z.infer<typeof InviteeInputSchema>;

/** An invitee as staff see them: never their invitation token (only the print view carries it). */
export interface Invitee extends InviteeInput {
  id: string;
  createdAt: number;
  /** When they were checked in, by their phone or by staff on the sign-in list. */
  checkedIn?: { at: number; by: 'phone' | 'staff' };
}

/** What an invitation link tells the phone that opens it: that invitee's own details, for the join form. */
export interface InvitationView {
  salutation: Salutation;
  name: string;
  group?: number;
  organisation?: string;
  kind: 'resident' | 'business' | 'delegate';
}

/** The giấy mời's own details, kept per session: its number and who signs it. */
export const InvitationSettingsSchema = z.strictObject({
  /** "15" of "Số: 15/GM-UBND"; blank for a number written by hand. */
  number: z.string().trim().max(20),
  /** Signs for: "TM. ỦY BAN NHÂN DÂN". */
  signFor: z.string().trim().max(100),
  /** "CHỦ TỊCH", "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH". */
  signerTitle: z.string().trim().max(100),
  signerName: z.string().trim().max(100),
  /** The day it is signed (YYYY-MM-DD); blank: the date line is left to fill in. */
  issuedOn: z.string().trim().max(10),
});
export type InvitationSettings = z.infer<typeof InvitationSettingsSchema>;

export const DEFAULT_INVITATION_SETTINGS: InvitationSettings = {
  number: '',
  signFor: 'TM. ỦY BAN NHÂN DÂN',
  signerTitle: 'CHỦ TỊCH',
  signerName: '',
  issuedOn: '',
};

/** One giấy mời of the print view: the invitee and their personal link (its QR as SVG). */
export interface InvitationCard {
  invitee: Invitee;
  link: string;
  qrSvg: string;
}
export interface InvitationsReply {
  settings: InvitationSettings;
  /** The ward's address (ward profile), for the venue line. */
  address?: string;
  cards: InvitationCard[];
}

/** Body of the import: a CSV's text, or an XLSX file as base64. */
export const InviteeImportSchema = z.strictObject({
  format: z.enum(['csv', 'xlsx']),
  data: z.string().min(1).max(240_000),
});
export interface InviteeImportReply {
  added: number;
  /** Rows not taken (1-based, the header is row 1), with the first field at fault. */
  rejected: Array<{ row: number; field: string }>;
}

export const CheckInSchema = z.strictObject({ present: z.boolean() });

/** `POST /api/invitation`: what the phone sends to read its invitation before joining. */
export const InvitationLookupSchema = z.strictObject({
  joinCode: z.string().trim().toUpperCase().min(4).max(12),
  token: z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, 'an invitation token'),
});

/**
 * Where an invitee appears on the sign-in sheet and in attendance: the bodies first (one section per category),
 * then one section per residential group with everyone who represents it.
 */
export type Section = { kind: 'category'; category: InviteeCategory } | { kind: 'group'; group: number };
export const sectionOf = (i: Pick<InviteeInput, 'category' | 'group'>): Section =>
  GROUP_CATEGORIES.includes(i.category) && i.group !== undefined
    ? { kind: 'group', group: i.group }
    : { kind: 'category', category: i.category };
export const sectionKey = (s: Section): string => (s.kind === 'group' ? `group:${s.group}` : s.category);

const sectionRank = (s: Section) =>
  s.kind === 'category' ? INVITEE_CATEGORIES.indexOf(s.category) : INVITEE_CATEGORIES.length + s.group;

/** Orders a list as a sign-in sheet reads: section, then role within the group, then name. */
export function compareInvitees(a: InviteeInput, b: InviteeInput): number {
  return (
    sectionRank(sectionOf(a)) - sectionRank(sectionOf(b)) ||
    INVITEE_CATEGORIES.indexOf(a.category) - INVITEE_CATEGORIES.indexOf(b.category) ||
    a.name.localeCompare(b.name, 'vi')
  );
}

/** Invitees in sign-in-sheet order, cut into their sections (each body, then each residential group). */
export function bySection<T extends Pick<InviteeInput, 'category' | 'group'>>(
  invitees: readonly T[],
): Array<{ section: Section; invitees: T[] }> {
  const out: Array<{ section: Section; invitees: T[] }> = [];
  for (const invitee of invitees) {
    const section = sectionOf(invitee);
    const last = out.at(-1);
    if (last && sectionKey(last.section) === sectionKey(section)) last.invitees.push(invitee);
    else out.push({ section, invitees: [invitee] });
  }
  return out;
}

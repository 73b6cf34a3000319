export const ROLES = ['admin', 'chair', 'vice_chair', 'official', 'secretary', 'attendee', 'screen'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['admin', 'chair', 'vice_chair', 'official', 'secretary'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const isStaffRole = (role: Role): role is StaffRole => (STAFF_ROLES as readonly Role[]).includes(role);
/**
 * Accounts bound to fields (lĩnh vực phụ trách): an official answers the questions of theirs; a vice-chairman answers
 * any question but is responsible for some fields (the plan's division of work), which the panel shows as theirs.
 */
export const FIELD_ROLES = ['vice_chair', 'official'] as const satisfies readonly StaffRole[];
export const hasFields = (role: Role): boolean => (FIELD_ROLES as readonly Role[]).includes(role);

export const SESSION_STATUSES = ['draft', 'collecting', 'live', 'closed'] as const;
export const PARTICIPANT_KINDS = ['resident', 'business', 'delegate', 'staff'] as const;
/** How a written reply reached the asker: on their phone, through the residential group, by post, by hand. */
export const DELIVERY_METHODS = ['app', 'group', 'post', 'in_person'] as const;
/**
 * What a programme item is, after the ward plan's programme (III.1): the big screen shows what each moment needs.
 * Optional on an item: items saved before kinds existed, or added by hand, have none.
 */
export const AGENDA_KINDS = ['opening', 'purpose', 'report', 'speak', 'answers', 'conclusion'] as const;

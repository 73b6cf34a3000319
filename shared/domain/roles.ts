export const ROLES = ['admin', 'chair', 'vice_chair', 'official', 'secretary', 'attendee', 'screen'] as const;
export type Role = (typeof ROLES)[number];
export const STAFF_ROLES = ['admin', 'chair', 'vice_chair', 'official', 'secretary'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const isStaffRole = (role: Role): role is StaffRole => (STAFF_ROLES as readonly Role[]).includes(role);

export const SESSION_STATUSES = ['draft', 'collecting', 'live', 'closed'] as const;
export const PARTICIPANT_KINDS = ['resident', 'business', 'delegate', 'staff'] as const;

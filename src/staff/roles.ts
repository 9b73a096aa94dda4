/**
 * Who works with the bot: agents take over conversations, content staff edit what citizens see,
 * campaign staff send policy broadcasts, clerks work a hall's windows (its day's appointments and
 * queue), admins manage accounts and may do everything.
 */
export const STAFF_ROLES = ['agent', 'content', 'campaign', 'clerk', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The authenticated caller of a staff endpoint or console page. */
export interface StaffIdentity {
  /** The account id (the public part of its key), or `bootstrap` for ADMIN_TOKEN. */
  id: string;
  name: string;
  role: StaffRole;
  /** A clerk's hall (a hall id of the catalog): the only one whose appointments they see and call. */
  hall?: string;
}

export function allows(role: StaffRole, roles: readonly StaffRole[]): boolean {
  return role === 'admin' || roles.includes(role);
}

/**
 * What is wrong with giving an account of `role` this `hall`, given the halls that take
 * appointments: a clerk works at exactly one of them, and no other role is tied to a hall.
 */
export function hallProblem(role: StaffRole, hall: string | undefined, halls: readonly string[]): string | undefined {
  if (role !== 'clerk') return hall === undefined ? undefined : `the ${role} role has no hall: only clerks work for one`;
  if (hall === undefined) return `a clerk account needs a hall (one of ${halls.join(', ') || 'none: no hall takes appointments'})`;
  return halls.includes(hall) ? undefined : `no hall "${hall}" takes appointments (${halls.join(', ') || 'none does'})`;
}

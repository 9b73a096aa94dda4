/**
 * Who works with the bot: agents take over conversations, content staff edit what citizens see,
 * campaign staff send policy broadcasts, admins manage accounts and may do everything.
 */
export const STAFF_ROLES = ['agent', 'content', 'campaign', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** The authenticated caller of a staff endpoint or console page. */
export interface StaffIdentity {
  /** The account id (the public part of its key), or `bootstrap` for ADMIN_TOKEN. */
  id: string;
  name: string;
  role: StaffRole;
}

export function allows(role: StaffRole, roles: readonly StaffRole[]): boolean {
  return role === 'admin' || roles.includes(role);
}

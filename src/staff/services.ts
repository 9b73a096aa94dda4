/** What the staff endpoints and console pages work with. */
import type { Context } from 'koa';
import type { AuditLog } from './audit.js';
import type { StaffAccounts } from './accounts.js';
import { addressOf } from './authenticate.js';
import type { StaffIdentity } from './roles.js';
import type { ConsoleSessions } from './console/sessions.js';

export interface StaffServices {
  accounts: StaffAccounts;
  audit: AuditLog;
  /** Console logins (ended when their account is revoked). */
  sessions: ConsoleSessions;
  /** The halls that take appointments: a clerk's account names one of them. */
  halls: readonly string[];
}

/** Records a state-changing action of `staff` in the audit log. */
export function audited(services: StaffServices, ctx: Context, staff: StaffIdentity, action: string, target: string, details?: Record<string, unknown>): Promise<void> {
  return services.audit.record({ actor: staff, action, target, address: addressOf(ctx), ...(details ? { details } : {}) });
}

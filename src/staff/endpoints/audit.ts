/** The audit log over the API: read, filtered, newest first. Nothing changes or removes an entry. */
import { z } from 'zod';
import { endpoint, type Endpoint } from '../api.js';
import { STAFF_ROLES } from '../roles.js';
import type { StaffServices } from '../services.js';

const entry = z
  .object({
    at: z.date(),
    actor: z.object({ id: z.string(), name: z.string(), role: z.enum(STAFF_ROLES) }),
    action: z.string(),
    target: z.string(),
    address: z.string(),
    details: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'AuditEntry' });

export function auditEndpoints(services: StaffServices): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/admin/audit',
      summary: 'Read the audit log',
      tag: 'audit',
      roles: [],
      query: z.object({
        actor: z.string().optional(),
        action: z.string().optional(),
        target: z.string().optional(),
        from: z.coerce.date().optional(),
        to: z.coerce.date().optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
      }),
      response: z.array(entry),
      async handle({ query }) {
        const entries = await services.audit.find(query);
        return entries.map(({ _id: _ignored, ...rest }) => rest);
      },
    }),
  ];
}

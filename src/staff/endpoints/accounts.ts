/** Staff accounts over the API: create (the key is in the answer, once), list, revoke; and who am I. */
import { z } from 'zod';
import { InvalidRequestError, RequestError } from '../../http/errors.js';
import { AccountExists } from '../accounts.js';
import { endpoint, type Endpoint } from '../api.js';
import { hallProblem, STAFF_ROLES } from '../roles.js';
import { audited, type StaffServices } from '../services.js';

const role = z.enum(STAFF_ROLES);
const name = z.string().trim().min(1).max(64).regex(/^[\p{L}\p{N}._@-]+$/u, 'letters, digits and . _ @ - only');
const hall = z.string().meta({ description: "A clerk's hall: the only one whose appointments and queue they work with" });
const account = z
  .object({ id: z.string(), name: z.string(), role, hall: hall.optional(), createdAt: z.date(), createdBy: z.string(), revokedAt: z.date().optional() })
  .meta({ id: 'StaffAccount' });
const identity = z.object({ id: z.string(), name: z.string(), role, hall: hall.optional() }).meta({ id: 'StaffIdentity' });

export function accountEndpoints(services: StaffServices): Endpoint[] {
  return [
    endpoint({
      method: 'post',
      path: '/admin/staff',
      summary: 'Create a staff account',
      tag: 'staff',
      roles: [],
      body: z.object({ name, role, hall: hall.optional() }),
      response: z.object({ account, key: z.string().meta({ description: 'The API key: shown this once, stored only as a hash' }) }),
      status: 201,
      async handle({ body, staff, ctx }) {
        const problem = hallProblem(body.role, body.hall, services.halls);
        if (problem) throw new InvalidRequestError(`body.hall: ${problem}`);
        try {
          const created = await services.accounts.create(body.name, body.role, staff.name, body.hall);
          await audited(services, ctx, staff, 'staff.create', body.name, { role: body.role, ...(body.hall ? { hall: body.hall } : {}) });
          return created;
        } catch (error) {
          if (error instanceof AccountExists) throw new RequestError(409, error.message);
          throw error;
        }
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/staff',
      summary: 'List staff accounts',
      tag: 'staff',
      roles: [],
      response: z.array(account),
      handle: () => services.accounts.list(),
    }),
    endpoint({
      method: 'post',
      path: '/admin/staff/:name/revoke',
      summary: 'Revoke a staff account',
      tag: 'staff',
      roles: [],
      params: z.object({ name }),
      response: account,
      async handle({ params, staff, ctx }) {
        const revoked = await services.accounts.revoke(params.name);
        if (!revoked) throw new RequestError(404, `no active staff account named "${params.name}"`);
        await services.sessions.endAllOf(revoked.id);
        await audited(services, ctx, staff, 'staff.revoke', params.name);
        return revoked;
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/whoami',
      summary: 'Tell who the key belongs to',
      tag: 'staff',
      roles: ['agent', 'content', 'campaign', 'clerk'],
      response: identity,
      handle: ({ staff }) => staff,
    }),
  ];
}

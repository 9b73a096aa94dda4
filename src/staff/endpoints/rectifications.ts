/** Rectification tasks (差评整改) over the staff API: the queue, one task, verify, reply to the citizen, close — each audited. */
import { z } from 'zod';
import type { Catalog } from '../../catalog/catalog.js';
import { RequestError } from '../../http/errors.js';
import { RATING_LEVELS } from '../../ratings/levels.js';
import { SERVICE_KINDS } from '../../ratings/records.js';
import { RectificationError } from '../../ratings/rectificationDesk.js';
import { isOverdue, RECTIFICATION_STATES, type Rectification } from '../../ratings/rectifications.js';
import type { Ratings } from '../../ratings/setup.js';
import { endpoint, type Endpoint } from '../api.js';
import { audited, type StaffServices } from '../services.js';

const STATUS: Record<RectificationError['reason'], [number, string]> = {
  missing: [404, 'no such rectification task'],
  'not-open': [409, 'the task is not open: it was verified already'],
  'not-verified': [409, 'the task is not verified yet: verify it first'],
  'replied-otherwise': [409, 'another reply was sent to the citizen already'],
  'not-replied': [409, 'the citizen has not been replied to yet: reply first'],
  done: [409, 'the task is done'],
};

/** Runs a desk operation; its refusals become their statuses. */
export async function rectificationDesk<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof RectificationError)) throw error;
    const [status, reason] = STATUS[error.reason];
    throw new RequestError(status, reason);
  }
}

const staff = z.object({ id: z.string(), name: z.string() });
const taskSchema = z
  .object({
    id: z.string(),
    state: z.enum(RECTIFICATION_STATES),
    overdue: z.boolean(),
    level: z.literal(RATING_LEVELS),
    levelName: z.string(),
    comment: z.string().optional(),
    items: z.array(z.object({ code: z.string(), name: z.string() })),
    halls: z.array(z.string()),
    kinds: z.array(z.enum(SERVICE_KINDS)),
    userId: z.string(),
    platformId: z.string(),
    openedAt: z.date(),
    /** The last district day to finish it in. */
    dueDay: z.string(),
    dueAt: z.date(),
    verifiedAt: z.date().optional(),
    verifiedBy: staff.optional(),
    finding: z.string().optional(),
    action: z.string().optional(),
    reply: z.string().optional(),
    repliedAt: z.date().optional(),
    repliedBy: staff.optional(),
    replySentAt: z.date().optional(),
    closedAt: z.date().optional(),
    closedBy: staff.optional(),
    closingNote: z.string().optional(),
  })
  .meta({ id: 'Rectification' });
export type RectificationView = z.infer<typeof taskSchema>;

const idParams = z.object({ id: z.string().regex(/^[0-9a-f]{32}$/, 'a task id') });
const text = (max: number) => z.string().trim().min(1).max(max);

export function rectificationView(task: Rectification, ratings: Ratings, catalog: Catalog, now: Date): RectificationView {
  const { _id, userKey: _userKey, conversationId: _conversationId, services: _services, items, ...rest } = task;
  return {
    id: _id,
    ...rest,
    overdue: isOverdue(task, now),
    levelName: ratings.stores.levels.name(task.level),
    items: items.map((code) => ({ code, name: catalog.item(code)?.name ?? code })),
  };
}

export function rectificationEndpoints(services: StaffServices, ratings: Ratings, catalog: Catalog): Endpoint[] {
  const { desk } = ratings;
  const view = (task: Rectification): RectificationView => rectificationView(task, ratings, catalog, desk.now());
  return [
    endpoint({
      method: 'get',
      path: '/admin/rectifications',
      summary: 'List rectification tasks',
      tag: 'rectifications',
      roles: ['agent', 'content'],
      query: z.object({
        state: z.string().default('open,verified').pipe(z.string().transform((value) => value.split(',')).pipe(z.array(z.enum(RECTIFICATION_STATES)))),
        overdue: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(200),
      }),
      response: z.array(taskSchema),
      async handle({ query }) {
        const tasks = await desk.list({ states: query.state, overdueOnly: query.overdue === true, limit: query.limit });
        return tasks.map(view).filter((task) => query.overdue !== false || !task.overdue);
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/rectifications/:id',
      summary: 'Read a rectification task',
      tag: 'rectifications',
      roles: ['agent', 'content'],
      params: idParams,
      response: taskSchema,
      handle: async ({ params }) => view(await rectificationDesk(() => desk.get(params.id))),
    }),
    endpoint({
      method: 'post',
      path: '/admin/rectifications/:id/verify',
      summary: 'Record what verification found',
      tag: 'rectifications',
      roles: ['agent', 'content'],
      params: idParams,
      body: z.object({ finding: text(2000) }),
      response: taskSchema,
      async handle({ params, body, staff: who, ctx }) {
        const task = await rectificationDesk(() => desk.verify(params.id, who, body.finding));
        await audited(services, ctx, who, 'rectification.verify', params.id);
        return view(task);
      },
    }),
    endpoint({
      method: 'post',
      path: '/admin/rectifications/:id/reply',
      summary: 'Record what was done and reply to the citizen',
      tag: 'rectifications',
      roles: ['agent', 'content'],
      params: idParams,
      body: z.object({ action: text(1000), reply: text(1000) }),
      response: taskSchema,
      async handle({ params, body, staff: who, ctx }) {
        const task = await rectificationDesk(() => desk.reply(params.id, who, body));
        await audited(services, ctx, who, 'rectification.reply', params.id, { characters: body.reply.length });
        return view(task);
      },
    }),
    endpoint({
      method: 'post',
      path: '/admin/rectifications/:id/close',
      summary: 'Close a rectification task',
      tag: 'rectifications',
      roles: ['agent', 'content'],
      params: idParams,
      body: z.object({ note: z.string().trim().max(2000).optional() }),
      response: taskSchema,
      async handle({ params, body, staff: who, ctx }) {
        const task = await rectificationDesk(() => desk.close(params.id, who, body.note || undefined));
        await audited(services, ctx, who, 'rectification.close', params.id);
        return view(task);
      },
    }),
  ];
}

/** Agents' handoffs over the API: the queue, one handoff with its transcript, take, reply, close. */
import { z } from 'zod';
import { RequestError } from '../../http/errors.js';
import { DeskError, type HandoffDesk } from '../../handoff/desk.js';
import { HANDOFF_STATES, type Handoff } from '../../handoff/handoffs.js';
import { endpoint, type Endpoint } from '../api.js';
import { audited, type StaffServices } from '../services.js';

const STATUS: Record<DeskError['reason'], [number, string]> = {
  missing: [404, 'no such handoff'],
  taken: [409, 'another agent took this handoff first'],
  closed: [409, 'the handoff is closed'],
  'not-yours': [409, 'the handoff is not active with you: take it first'],
  'unknown-item': [400, 'body.item: not an item code of the catalog'],
};

/** Runs a desk operation; its refusals become their statuses. */
async function desk<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (!(error instanceof DeskError)) throw error;
    const [status, reason] = STATUS[error.reason];
    throw new RequestError(status, reason);
  }
}

const message = z.object({ from: z.enum(['citizen', 'agent']), text: z.string(), at: z.date(), agent: z.string().optional() });
const handoff = z
  .object({
    id: z.string(),
    userId: z.string(),
    platformId: z.string(),
    kind: z.enum(['live', 'message']),
    state: z.enum(HANDOFF_STATES),
    item: z.string().optional(),
    createdAt: z.date(),
    waitingSeconds: z.number().int(),
    takenAt: z.date().optional(),
    agent: z.object({ id: z.string(), name: z.string() }).optional(),
    closedAt: z.date().optional(),
    closedBy: z.enum(['agent', 'citizen']).optional(),
    summary: z.string().optional(),
    messages: z.array(message),
  })
  .meta({ id: 'Handoff' });
const transcriptEntry = z.object({ at: z.date(), from: z.enum(['citizen', 'bot']), text: z.string().optional(), message: z.record(z.string(), z.unknown()).optional() });
const idParams = z.object({ id: z.string().uuid() });

export function view(record: Handoff, now = new Date()): z.infer<typeof handoff> {
  const { _id, openFor: _openFor, userKey: _userKey, conversationId: _conversationId, ...rest } = record;
  const until = record.takenAt ?? record.closedAt ?? now;
  return { id: _id, ...rest, waitingSeconds: Math.max(0, Math.round((until.getTime() - record.createdAt.getTime()) / 1000)) };
}

export function handoffEndpoints(services: StaffServices, handoffDesk: HandoffDesk): Endpoint[] {
  return [
    endpoint({
      method: 'get',
      path: '/admin/handoffs',
      summary: 'List handoffs',
      tag: 'handoffs',
      roles: ['agent'],
      query: z.object({ state: z.string().default('waiting,active').pipe(z.string().transform((value) => value.split(',')).pipe(z.array(z.enum(HANDOFF_STATES)))) }),
      response: z.array(handoff),
      async handle({ query }) {
        return (await handoffDesk.list(query.state)).map((record) => view(record));
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/handoffs/:id',
      summary: 'Read a handoff and the conversation so far',
      tag: 'handoffs',
      roles: ['agent'],
      params: idParams,
      response: z.object({ handoff, transcript: z.array(transcriptEntry) }),
      async handle({ params }) {
        const record = await desk(() => handoffDesk.get(params.id));
        return { handoff: view(record), transcript: (await handoffDesk.transcript(record)) as Array<z.infer<typeof transcriptEntry>> };
      },
    }),
    endpoint({
      method: 'post',
      path: '/admin/handoffs/:id/take',
      summary: 'Take a waiting handoff',
      tag: 'handoffs',
      roles: ['agent'],
      params: idParams,
      response: handoff,
      async handle({ params, staff, ctx }) {
        const taken = await desk(() => handoffDesk.take(params.id, staff));
        await audited(services, ctx, staff, 'handoff.take', params.id);
        return view(taken);
      },
    }),
    endpoint({
      method: 'post',
      path: '/admin/handoffs/:id/reply',
      summary: 'Reply to the citizen with text or an item guide',
      tag: 'handoffs',
      roles: ['agent'],
      params: idParams,
      body: z.union([z.object({ text: z.string().trim().min(1).max(1000) }), z.object({ item: z.string().min(1) })]),
      response: handoff,
      async handle({ params, body, staff, ctx }) {
        const replied = await desk(() => handoffDesk.reply(params.id, staff, body));
        await audited(services, ctx, staff, 'handoff.reply', params.id, 'item' in body ? { item: body.item } : { characters: body.text.length });
        return view(replied);
      },
    }),
    endpoint({
      method: 'post',
      path: '/admin/handoffs/:id/close',
      summary: 'Close a handoff with a summary',
      tag: 'handoffs',
      roles: ['agent'],
      params: idParams,
      body: z.object({ summary: z.string().trim().min(1).max(2000) }),
      response: handoff,
      async handle({ params, body, staff, ctx }) {
        const closed = await desk(() => handoffDesk.close(params.id, staff, body.summary));
        await audited(services, ctx, staff, 'handoff.close', params.id);
        return view(closed);
      },
    }),
  ];
}

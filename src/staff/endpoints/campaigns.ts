/**
 * Policies and campaigns over the API: the policies (with their windows today), an audience
 * preview, and campaigns — create, list, read with statistics, approve, start, pause, resume,
 * cancel. Input is checked by the same schemas as the console's (campaigns/input.ts); every
 * change is audited.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import { RequestError } from '../../http/errors.js';
import { CRITERIA_FIELDS } from '../../directory/criteria.js';
import type { CampaignsSetup } from '../../campaigns/setup.js';
import { CAMPAIGN_STATUSES, type CampaignDocument } from '../../campaigns/model.js';
import { CampaignError, type CampaignRefusal } from '../../campaigns/service.js';
import { campaignInputSchema, previewSchema } from '../../campaigns/input.js';
import type { CampaignStats } from '../../campaigns/stats.js';
import type { Policy } from '../../policies/schema.js';
import { endpoint, type Endpoint } from '../api.js';
import type { StaffIdentity } from '../roles.js';
import { audited, type StaffServices } from '../services.js';

/** The HTTP status of each refusal (the console answers with the same). */
export const REFUSAL_STATUS: Record<CampaignRefusal, number> = { missing: 404, state: 409, 'needs-approval': 409, 'own-approval': 409, expired: 409 };

async function refusing<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof CampaignError) throw new RequestError(REFUSAL_STATUS[error.refusal], error.message);
    throw error;
  }
}

const range = z.object({ min: z.number().optional(), max: z.number().optional() });
/** Criteria as answered (the input side is campaigns/input.ts, with its checks). */
const criteriaView = z
  .object({
    industries: z.array(z.string()).optional(),
    types: z.array(z.string()).optional(),
    scales: z.array(z.string()).optional(),
    tagsAll: z.array(z.string()).optional(),
    tagsAny: z.array(z.string()).optional(),
    tagsNone: z.array(z.string()).optional(),
    streets: z.array(z.string()).optional(),
    yearsSinceRegistration: range.optional(),
    employees: range.optional(),
    revenue: range.optional(),
  })
  .meta({ id: 'Criteria', description: `Every rule given must hold: ${CRITERIA_FIELDS.join(', ')}` });

const windowView = z.object({ state: z.enum(['open', 'upcoming', 'closed']), opens: z.string().optional(), closes: z.string().optional(), closed: z.string().optional() });
const policyView = z
  .object({
    id: z.string(),
    title: z.string(),
    department: z.string(),
    summary: z.string(),
    support: z.object({ text: z.string(), amount: z.number().optional(), rate: z.number().optional(), cap: z.number().optional() }),
    window: windowView,
    eligibility: criteriaView,
    audience: z.string(),
    applyUrl: z.string(),
    phone: z.string(),
    item: z.string().optional(),
  })
  .meta({ id: 'Policy' });

const staffRef = z.object({ id: z.string(), name: z.string() });
const campaignView = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(CAMPAIGN_STATUSES),
    policy: z.object({ id: z.string(), title: z.string() }),
    segment: criteriaView,
    template: z.string(),
    smsText: z.string().optional(),
    schedule: z.object({ startAt: z.date().optional(), endAt: z.date().optional(), quietHours: z.object({ start: z.string(), end: z.string() }).nullable() }),
    rate: z.number().optional(),
    platform: z.string(),
    audience: z.number().int().meta({ description: 'Recipients by the latest preview (at creation, or when started)' }),
    built: z
      .object({ at: z.date(), ms: z.number().int(), enterprises: z.number().int(), recipients: z.number().int() })
      .optional()
      .meta({ description: 'When its recipients were written, how long reading the directory took, how many' }),
    needsApproval: z.boolean(),
    approval: z.object({ by: staffRef, at: z.date() }).optional(),
    createdBy: staffRef,
    createdAt: z.date(),
    startedBy: staffRef.optional(),
    startedAt: z.date().optional(),
    completedAt: z.date().optional(),
    cancelledAt: z.date().optional(),
    endedBy: z.enum(['done', 'window']).optional(),
    problem: z.string().optional(),
  })
  .meta({ id: 'Campaign' });

const count = z.number().int();
export const statsView = z
  .object({
    targeted: count,
    excluded: z.object({ notEligible: count, noNumber: count, duplicate: count, optedOut: count, frequencyCap: count, complained: count }),
    skipped: z.object({ windowClosed: count, cancelled: count }),
    pending: count,
    queued: count,
    sent: count,
    delivered: count,
    displayed: count,
    deliveredAsSms: count,
    failed: count,
    failedReasons: z.array(z.object({ reason: z.string(), count })),
    clicks: z.object({ detail: count, apply: count, call: count, unsubscribe: count, total: count }),
    optOuts: count,
    at: z.date(),
  })
  .meta({ id: 'CampaignStats' });

const previewView = z
  .object({
    count: count.meta({ description: 'Contact numbers that would get the message now' }),
    enterprises: count.meta({ description: 'Enterprises that fit the segment and the policy' }),
    excluded: z.object({ notEligible: count, noNumber: count, duplicate: count, optedOut: count, frequencyCap: count, complained: count }),
    sample: z.array(z.object({ creditCode: z.string(), name: z.string(), phone: z.string(), others: count })),
  })
  .meta({ id: 'AudiencePreview' });

export function policyData(policy: Policy, setup: CampaignsSetup): z.infer<typeof policyView> {
  const { window: _window, source: _source, materials: _materials, ...rest } = policy;
  return { ...rest, window: setup.conversation.policies.windowOf(policy, setup.input.clock()) };
}

export function campaignData(campaign: CampaignDocument, setup: CampaignsSetup): z.infer<typeof campaignView> {
  const policy = setup.conversation.policies.get(campaign.policyId);
  return {
    id: campaign._id,
    name: campaign.name,
    status: campaign.status,
    policy: { id: campaign.policyId, title: policy?.title ?? campaign.policyId },
    segment: campaign.segment,
    template: campaign.template,
    ...(campaign.smsText ? { smsText: campaign.smsText } : {}),
    schedule: campaign.schedule,
    ...(campaign.rate !== undefined ? { rate: campaign.rate } : {}),
    platform: campaign.platformId,
    audience: campaign.estimate,
    ...(campaign.audience
      ? { built: { at: campaign.audience.builtAt, ms: campaign.audience.buildMs, enterprises: campaign.audience.enterprises, recipients: campaign.audience.targeted } }
      : {}),
    needsApproval: setup.service.needsApproval(campaign),
    ...(campaign.approval ? { approval: { by: campaign.approval.by, at: campaign.approval.at } } : {}),
    createdBy: campaign.createdBy,
    createdAt: campaign.createdAt,
    ...(campaign.startedBy ? { startedBy: campaign.startedBy } : {}),
    ...(campaign.startedAt ? { startedAt: campaign.startedAt } : {}),
    ...(campaign.completedAt ? { completedAt: campaign.completedAt } : {}),
    ...(campaign.cancelledAt ? { cancelledAt: campaign.cancelledAt } : {}),
    ...(campaign.endedBy ? { endedBy: campaign.endedBy } : {}),
    ...(campaign.problem ? { problem: campaign.problem } : {}),
  };
}

const ref = (staff: StaffIdentity): { id: string; name: string } => ({ id: staff.id, name: staff.name });
const idParams = z.object({ id: z.string().uuid() });

export function campaignEndpoints(services: StaffServices, setup: CampaignsSetup): Endpoint[] {
  const { service } = setup;
  const action = (name: 'start' | 'pause' | 'resume' | 'cancel' | 'approve', summary: string): Endpoint =>
    endpoint({
      method: 'post',
      path: `/admin/campaigns/:id/${name}`,
      summary,
      tag: 'campaigns',
      roles: ['campaign'],
      params: idParams,
      refusals: { '404': 'No such campaign', '409': 'Not possible in its status (or it needs a second person’s approval)' },
      response: campaignView,
      async handle({ params, staff, ctx }: { params: { id: string }; staff: StaffIdentity; ctx: Context }) {
        const changed = await refusing(() =>
          name === 'start' ? service.start(params.id, ref(staff)) : name === 'approve' ? service.approve(params.id, ref(staff)) : service.move(params.id, name, ref(staff)),
        );
        await audited(services, ctx, staff, `campaign.${name}`, params.id, { name: changed.name, status: changed.status, audience: changed.estimate });
        return campaignData(changed, setup);
      },
    });
  return [
    endpoint({
      method: 'get',
      path: '/admin/policies',
      summary: 'List the policies, with their application windows today',
      tag: 'campaigns',
      roles: ['campaign', 'content'],
      response: z.array(policyView),
      handle: () => setup.conversation.policies.all.map((policy) => policyData(policy, setup)),
    }),
    endpoint({
      method: 'post',
      path: '/admin/segments/preview',
      summary: 'Preview a campaign audience: how many, who is left out and why, a sample',
      tag: 'campaigns',
      roles: ['campaign'],
      body: previewSchema(setup.input),
      response: previewView,
      handle: ({ body }) => refusing(() => service.preview(body.policy, body.segment)),
    }),
    endpoint({
      method: 'post',
      path: '/admin/campaigns',
      summary: 'Create a campaign (a draft)',
      tag: 'campaigns',
      roles: ['campaign'],
      body: campaignInputSchema(setup.input),
      status: 201,
      response: campaignView,
      async handle({ body, staff, ctx }) {
        const campaign = await refusing(() => service.create(body, ref(staff)));
        await audited(services, ctx, staff, 'campaign.create', campaign._id, { name: campaign.name, policy: campaign.policyId, audience: campaign.estimate });
        return campaignData(campaign, setup);
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/campaigns',
      summary: 'List campaigns, newest first',
      tag: 'campaigns',
      roles: ['campaign'],
      query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) }),
      response: z.array(campaignView),
      async handle({ query }) {
        return (await service.list(query.limit)).map((campaign) => campaignData(campaign, setup));
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/campaigns/:id',
      summary: 'Read a campaign and its statistics',
      tag: 'campaigns',
      roles: ['campaign'],
      params: idParams,
      refusals: { '404': 'No such campaign' },
      response: campaignView.extend({ stats: statsView }),
      async handle({ params }) {
        const campaign = await service.get(params.id);
        if (!campaign) throw new RequestError(404, 'no such campaign');
        const stats: CampaignStats = await service.stats(campaign);
        return { ...campaignData(campaign, setup), stats };
      },
    }),
    action('approve', 'Approve a campaign (a second person, for large audiences)'),
    action('start', 'Start a campaign (scheduled until its start time)'),
    action('pause', 'Pause a campaign'),
    action('resume', 'Resume a paused campaign'),
    action('cancel', 'Cancel a campaign (recipients not yet reached get nothing)'),
  ];
}

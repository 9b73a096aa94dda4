/**
 * The console's 政策推送 pages: the campaigns with their counters, the form that previews an
 * audience and creates a campaign, and a campaign's page — what it sends to whom and when, its
 * statistics (redrawn every few seconds while it runs) and the forms of its next steps: approve,
 * start, pause, resume, cancel. Campaign staff (and admins). The form is checked by the staff
 * API's own schemas (campaignForm.ts), the actions call the same service, every form carries the
 * CSRF token and every change is audited.
 */
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { z } from 'zod';
import type { CampaignsSetup } from '../../campaigns/setup.js';
import { CampaignError, type Preview } from '../../campaigns/service.js';
import { campaignInputSchema, DEFAULT_CAMPAIGN_TEMPLATE, previewSchema } from '../../campaigns/input.js';
import { DEFAULT_QUIET_HOURS } from '../../campaigns/schedule.js';
import type { CampaignDocument } from '../../campaigns/model.js';
import { campaignData, REFUSAL_STATUS } from '../endpoints/campaigns.js';
import type { StaffRole } from '../roles.js';
import { audited, type StaffServices } from '../services.js';
import { campaignFromForm, formProblem, formValues, segmentFromForm } from './campaignForm.js';
import type { PageData, PageTools } from './pages.js';

const ROLES: StaffRole[] = ['campaign'];
const ACTIONS = ['approve', 'start', 'pause', 'resume', 'cancel'] as const;
type Action = (typeof ACTIONS)[number];
/** What can be done next in each status (approve only while a second person's approval is wanted). */
const NEXT: Record<CampaignDocument['status'], readonly Action[]> = {
  draft: ['approve', 'start', 'cancel'],
  scheduled: ['pause', 'cancel'],
  running: ['pause', 'cancel'],
  paused: ['resume', 'cancel'],
  completed: [],
  cancelled: [],
};

export interface CampaignPageKit extends PageTools {
  campaigns: CampaignsSetup;
  services: StaffServices;
  timeZone: string;
}

export function addCampaignPages(router: Router, kit: CampaignPageKit): void {
  const { campaigns, services, html, base, role, form, fields } = kit;
  const { service, input } = campaigns;
  const staffOf = (ctx: Context): NonNullable<PageData['staff']> => base(ctx).staff as NonNullable<PageData['staff']>;
  const who = (ctx: Context): { id: string; name: string } => ({ id: staffOf(ctx).id, name: staffOf(ctx).name });
  const policies = (): Array<{ id: string; title: string; state: string }> =>
    input.policies.all
      .map((policy) => ({ id: policy.id, title: policy.title, state: input.policies.windowOf(policy, input.clock()).state }))
      .filter((policy) => policy.state !== 'closed');

  /** The form, drawn again with what was filled in, and a preview or a problem. */
  const formPage = (ctx: Context, values: URLSearchParams, extra: { preview?: Preview; problem?: { field: string; reason: string } }, status = 200): void => {
    html(ctx, 'campaign-new', {
      ...base(ctx),
      policies: policies().map((policy) => ({ ...policy, selected: policy.id === values.get('policy') })),
      templates: campaigns.templates().map((template) => ({ ...template, selected: template.name === (values.get('template') || DEFAULT_CAMPAIGN_TEMPLATE) })),
      values: formValues(values, input.vocabulary),
      ...extra,
    }, status);
  };
  const blank = (): URLSearchParams => new URLSearchParams({ quietStart: DEFAULT_QUIET_HOURS.start, quietEnd: DEFAULT_QUIET_HOURS.end });

  router.get('/campaigns', role(ROLES), async (ctx) => {
    const list = await service.list(100);
    const rows = await Promise.all(list.map(async (campaign) => ({ ...campaignData(campaign, campaigns), stats: campaign.audience ? await service.stats(campaign) : undefined })));
    html(ctx, 'campaigns', { ...base(ctx), campaigns: rows });
  });

  router.get('/campaigns/new', role(ROLES), (ctx) => formPage(ctx, blank(), {}));

  router.post('/campaigns/preview', role(ROLES), form, async (ctx) => {
    const values = fields(ctx);
    const parsed = previewSchema(input).safeParse({ policy: values.get('policy') ?? '', segment: segmentFromForm(values) });
    if (!parsed.success) return formPage(ctx, values, { problem: formProblem(parsed.error) }, 400);
    formPage(ctx, values, { preview: await service.preview(parsed.data.policy, parsed.data.segment) });
  });

  router.post('/campaigns', role(ROLES), form, async (ctx) => {
    const values = fields(ctx);
    const parsed = campaignInputSchema(input).safeParse(campaignFromForm(values, kit.timeZone));
    if (!parsed.success) return formPage(ctx, values, { problem: formProblem(parsed.error as z.ZodError) }, 400);
    const campaign = await service.create(parsed.data, who(ctx));
    await audited(services, ctx, staffOf(ctx), 'campaign.create', campaign._id, { name: campaign.name, policy: campaign.policyId, audience: campaign.estimate });
    ctx.redirect(`/staff/campaigns/${campaign._id}`);
  });

  router.get('/campaigns/:id', role(ROLES), async (ctx) => {
    const campaign = await service.get(ctx.params.id ?? '');
    if (!campaign) return html(ctx, 'message', { ...base(ctx), problem: 'campaign-missing' }, 404);
    const view = campaignData(campaign, campaigns);
    const actions = NEXT[campaign.status].filter((action) => action !== 'approve' || view.needsApproval);
    const stats = await service.stats(campaign);
    html(ctx, 'campaign', {
      ...base(ctx),
      scripts: ['chart.js', 'campaign.js'],
      campaign: view,
      segment: Object.entries(view.segment).map(([field, value]) =>
        Array.isArray(value) ? { field, values: value } : { field, hasMin: value?.min !== undefined, min: value?.min, hasMax: value?.max !== undefined, max: value?.max },
      ),
      stats,
      actions: Object.fromEntries(actions.map((action) => [action, true])),
      live: campaign.status === 'running' || campaign.status === 'scheduled' || stats.queued > 0,
    });
  });

  // The figures alone, for the page to redraw them while the campaign runs.
  router.get('/campaigns/:id/stats', role(ROLES), async (ctx) => {
    const campaign = await service.get(ctx.params.id ?? '');
    if (!campaign) return;
    ctx.set('cache-control', 'no-store');
    ctx.body = { status: campaign.status, stats: await service.stats(campaign) };
  });

  for (const action of ACTIONS) {
    router.post(`/campaigns/:id/${action}`, role(ROLES), form, async (ctx) => {
      const id = ctx.params.id ?? '';
      try {
        const changed = action === 'start' ? await service.start(id, who(ctx)) : action === 'approve' ? await service.approve(id, who(ctx)) : await service.move(id, action, who(ctx));
        await audited(services, ctx, base(ctx).staff as NonNullable<PageData['staff']>, `campaign.${action}`, id, { name: changed.name, status: changed.status, audience: changed.estimate });
        ctx.redirect(`/staff/campaigns/${id}`);
      } catch (error) {
        if (!(error instanceof CampaignError)) throw error;
        html(ctx, 'message', { ...base(ctx), problem: `campaign-${error.refusal}`, back: `/staff/campaigns/${id}` }, REFUSAL_STATUS[error.refusal]);
      }
    });
  }
}

/**
 * What staff send to create a campaign or preview its audience, checked once at the edge (the
 * staff API and the console use the same schemas): a segment is the structured criteria and
 * nothing else, a policy must exist and still take applications, a template must be a campaign
 * card, the SMS text must say how to unsubscribe. A problem names its field.
 */
import { z } from 'zod';
import { criteriaSchema, type Criteria } from '../directory/criteria.js';
import type { Vocabulary } from '../directory/vocabulary.js';
import type { Policies } from '../policies/policies.js';
import { LIMITS } from '../render/limits.js';
import type { QuietHours } from './model.js';
import { DEFAULT_QUIET_HOURS, HH_MM } from './schedule.js';

/** Campaign card templates are the ones named campaign-*. */
export const CAMPAIGN_TEMPLATE_PREFIX = 'campaign-';
export const DEFAULT_CAMPAIGN_TEMPLATE = 'campaign-policy';
/** An SMS to many people must say how to stop them (回复TD退订). */
const UNSUBSCRIBE_HINT = /退订|TD/i;

export interface CampaignInput {
  name: string;
  policy: string;
  segment: Criteria;
  template: string;
  smsText?: string;
  schedule: { startAt?: Date; endAt?: Date; quietHours: QuietHours | null };
  rate?: number;
  platform?: string;
}

export interface InputContext {
  vocabulary: Vocabulary;
  policies: Policies;
  /** The campaign card templates now loaded. */
  templates: () => string[];
  platformIds: readonly string[];
  clock: () => Date;
}

const instant = z.iso.datetime({ offset: true, message: 'must be a date and time with its offset, like 2026-12-10T09:00:00+08:00' }).transform((value) => new Date(value));

function policyField(context: InputContext): z.ZodType<string> {
  return z.string().superRefine((id, ctx) => {
    const policy = context.policies.get(id);
    if (!policy) return void ctx.addIssue({ code: 'custom', message: `no policy "${id.slice(0, 60)}" (GET /admin/policies lists them)` });
    const window = context.policies.windowOf(policy, context.clock());
    if (window.state === 'closed') ctx.addIssue({ code: 'custom', message: `its application window closed on ${window.closed}` });
  });
}

export function segmentSchema(context: InputContext): z.ZodType<Criteria> {
  return criteriaSchema(context.vocabulary);
}

export function previewSchema(context: InputContext): z.ZodType<{ policy: string; segment: Criteria }> {
  return z.strictObject({ policy: policyField(context), segment: segmentSchema(context).default({}) }) as z.ZodType<{ policy: string; segment: Criteria }>;
}

export function campaignInputSchema(context: InputContext): z.ZodType<CampaignInput> {
  return z
    .strictObject({
      name: z.string().trim().min(1).max(60),
      policy: policyField(context),
      segment: segmentSchema(context).default({}),
      template: z
        .string()
        .refine((name) => name.startsWith(CAMPAIGN_TEMPLATE_PREFIX) && context.templates().includes(name), {
          message: `must be a campaign card template (${context.templates().join(', ')})`,
        })
        .default(DEFAULT_CAMPAIGN_TEMPLATE),
      smsText: z
        .string()
        .trim()
        .min(1)
        .max(LIMITS.sms)
        .refine((text) => UNSUBSCRIBE_HINT.test(text), 'must tell how to unsubscribe, e.g. 回复TD退订')
        .optional(),
      schedule: z
        .strictObject({
          startAt: instant.optional(),
          endAt: instant.optional(),
          quietHours: z
            .union([z.null(), z.strictObject({ start: z.string().regex(HH_MM, 'must be HH:MM'), end: z.string().regex(HH_MM, 'must be HH:MM') })])
            .optional(),
        })
        .default({})
        .superRefine((schedule, ctx) => {
          if (schedule.startAt && schedule.endAt && schedule.endAt <= schedule.startAt) ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'must be after startAt' });
          if (schedule.endAt && schedule.endAt <= context.clock()) ctx.addIssue({ code: 'custom', path: ['endAt'], message: 'is in the past' });
        })
        .transform((schedule) => ({ ...schedule, quietHours: schedule.quietHours === undefined ? DEFAULT_QUIET_HOURS : schedule.quietHours })),
      rate: z.number().positive().max(10_000).optional(),
      platform: z
        .string()
        .refine((id) => context.platformIds.includes(id), { message: `must be one of the configured platforms (${context.platformIds.join(', ')})` })
        .optional(),
    }) as unknown as z.ZodType<CampaignInput>;
}

/**
 * Criteria over enterprise attributes — a policy's eligibility and a campaign's segment are both
 * written this way — and the one function that evaluates them, used by the policy finder in
 * chat, the segment preview and the campaign's audience alike. Every rule given must hold.
 *
 * What is known of an enterprise may be partial (the finder asks three questions), so a rule is
 * met, failed, or unknown; the whole is failed if any rule fails, else unknown if any is unknown.
 * A directory enterprise is fully known: a missing figure there (no employee count) is unknown.
 */
import { z } from 'zod';
import { industryMatches, normalizeIndustry } from './industry.js';
import { SCALES, type Scale, type Vocabulary } from './vocabulary.js';

export interface Range {
  min?: number;
  max?: number;
}

export interface Criteria {
  /** Sections or code prefixes of GB/T 4754-2017, canonical ("C", "I65"). */
  industries?: string[];
  types?: string[];
  scales?: Scale[];
  tagsAll?: string[];
  tagsAny?: string[];
  tagsNone?: string[];
  streets?: string[];
  /** Whole years since registration. */
  yearsSinceRegistration?: Range;
  employees?: Range;
  /** Last year's revenue, 万元. */
  revenue?: Range;
}

export const CRITERIA_FIELDS = ['industries', 'types', 'scales', 'tagsAll', 'tagsAny', 'tagsNone', 'streets', 'yearsSinceRegistration', 'employees', 'revenue'] as const;

/** What is known of an enterprise. */
export interface Profile {
  industry?: string;
  type?: string;
  scale?: Scale;
  /** Tags it has. */
  tags: readonly string[];
  /** True when it has no tag besides `tags` (a directory entry); else only `absentTags` are known to be missing. */
  tagsComplete: boolean;
  absentTags?: readonly string[];
  street?: string;
  registeredAt?: Date;
  employees?: number;
  revenue?: number;
}

export type Verdict = 'met' | 'failed' | 'unknown';

export interface Evaluation {
  verdict: Verdict;
  /** The first rule that failed. */
  failed?: (typeof CRITERIA_FIELDS)[number];
}

function oneOf(value: string | undefined, allowed: readonly string[] | undefined): Verdict {
  if (allowed === undefined) return 'met';
  if (value === undefined) return 'unknown';
  return allowed.includes(value) ? 'met' : 'failed';
}

function inRange(value: number | undefined, range: Range | undefined): Verdict {
  if (range === undefined) return 'met';
  if (value === undefined) return 'unknown';
  return (range.min === undefined || value >= range.min) && (range.max === undefined || value <= range.max) ? 'met' : 'failed';
}

function industry(value: string | undefined, rules: readonly string[] | undefined): Verdict {
  if (rules === undefined) return 'met';
  if (value === undefined) return 'unknown';
  if (rules.some((rule) => industryMatches(value, rule))) return 'met';
  // Only the section is known ("I") and a rule names a code under it ("I65"): it may be.
  return rules.some((rule) => rule.startsWith(value)) ? 'unknown' : 'failed';
}

function tagState(profile: Profile, tag: string): Verdict {
  if (profile.tags.includes(tag)) return 'met';
  return profile.tagsComplete || profile.absentTags?.includes(tag) ? 'failed' : 'unknown';
}

function tags(profile: Profile, criteria: Criteria): Verdict[] {
  const all = criteria.tagsAll?.map((tag) => tagState(profile, tag)) ?? [];
  const anyStates = criteria.tagsAny?.map((tag) => tagState(profile, tag));
  const any: Verdict = anyStates === undefined || anyStates.includes('met') ? 'met' : anyStates.includes('unknown') ? 'unknown' : 'failed';
  const none = (criteria.tagsNone ?? []).map((tag): Verdict => ({ met: 'failed', failed: 'met', unknown: 'unknown' })[tagState(profile, tag)] as Verdict);
  return [combine(all), any, combine(none)];
}

function combine(verdicts: Verdict[]): Verdict {
  return verdicts.includes('failed') ? 'failed' : verdicts.includes('unknown') ? 'unknown' : 'met';
}

/** Whole years from `from` to `now` (a birthday-style count). */
export function wholeYears(from: Date, now: Date): number {
  let years = now.getUTCFullYear() - from.getUTCFullYear();
  const before = now.getUTCMonth() < from.getUTCMonth() || (now.getUTCMonth() === from.getUTCMonth() && now.getUTCDate() < from.getUTCDate());
  if (before) years -= 1;
  return years;
}

/** How an enterprise (or what is known of one) stands against the criteria, at `now`. */
export function evaluate(profile: Profile, criteria: Criteria, now: Date): Evaluation {
  const [tagsAll, tagsAny, tagsNone] = tags(profile, criteria) as [Verdict, Verdict, Verdict];
  const checks: Array<[(typeof CRITERIA_FIELDS)[number], Verdict]> = [
    ['industries', industry(profile.industry, criteria.industries)],
    ['types', oneOf(profile.type, criteria.types)],
    ['scales', oneOf(profile.scale, criteria.scales)],
    ['tagsAll', tagsAll],
    ['tagsAny', tagsAny],
    ['tagsNone', tagsNone],
    ['streets', oneOf(profile.street, criteria.streets)],
    ['yearsSinceRegistration', inRange(profile.registeredAt && wholeYears(profile.registeredAt, now), criteria.yearsSinceRegistration)],
    ['employees', inRange(profile.employees, criteria.employees)],
    ['revenue', inRange(profile.revenue, criteria.revenue)],
  ];
  const failed = checks.find(([, verdict]) => verdict === 'failed');
  if (failed) return { verdict: 'failed', failed: failed[0] };
  return { verdict: checks.some(([, verdict]) => verdict === 'unknown') ? 'unknown' : 'met' };
}

/** Both sets of criteria at once (a segment and a policy's eligibility): every rule of each. */
export function evaluateBoth(profile: Profile, first: Criteria, second: Criteria, now: Date): Evaluation {
  const one = evaluate(profile, first, now);
  if (one.verdict === 'failed') return one;
  const two = evaluate(profile, second, now);
  if (two.verdict === 'failed') return two;
  return { verdict: one.verdict === 'unknown' || two.verdict === 'unknown' ? 'unknown' : 'met' };
}

/**
 * The zod schema of criteria whose values must come from the vocabulary: used for policy files
 * and for segments sent to the staff API. Unknown fields are refused (strict), so nothing but
 * these rules — no database operator — can reach a query.
 */
export function criteriaSchema(vocabulary: Vocabulary): z.ZodType<Criteria> {
  const from = (allowed: readonly string[], what: string) =>
    z
      .array(z.string().trim().refine((value) => allowed.includes(value), { message: `not a known ${what} (known: ${allowed.join(', ')})` }))
      .min(1, 'must list at least one value (leave the field out to allow any)');
  const bound = z.number().finite().min(0);
  const range = z
    .strictObject({ min: bound.optional(), max: bound.optional() })
    .refine((value) => value.min !== undefined || value.max !== undefined, 'needs min, max or both')
    .refine((value) => value.min === undefined || value.max === undefined || value.min <= value.max, 'min must not be above max');
  const industryRule = z.string().transform((value, ctx) => {
    const normalized = normalizeIndustry(value);
    if (normalized.ok) return normalized.industry;
    ctx.addIssue({ code: 'custom', message: normalized.reason });
    return z.NEVER;
  });
  return z.strictObject({
    industries: z.array(industryRule).min(1, 'must list at least one value (leave the field out to allow any)').optional(),
    types: from(vocabulary.types, 'enterprise type').optional(),
    scales: z.array(z.enum(SCALES)).min(1, 'must list at least one value (leave the field out to allow any)').optional(),
    tagsAll: from(vocabulary.tags, 'tag').optional(),
    tagsAny: from(vocabulary.tags, 'tag').optional(),
    tagsNone: from(vocabulary.tags, 'tag').optional(),
    streets: from(vocabulary.streets, 'street').optional(),
    yearsSinceRegistration: range.optional(),
    employees: range.optional(),
    revenue: range.optional(),
  }) as z.ZodType<Criteria>;
}

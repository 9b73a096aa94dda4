/**
 * The shape of a policy file (intents/policies/<id>.yaml): what the district offers, to whom
 * (structured eligibility, the same criteria a campaign's segment uses, and the same in words),
 * when, and how to apply. Checked at load; the rest of the bot works with these types.
 */
import { z } from 'zod';
import { criteriaSchema, type Criteria } from '../directory/criteria.js';
import type { Vocabulary } from '../directory/vocabulary.js';
import type { ApplicationWindow } from './window.js';

const text = z.string().trim().min(1);
const monthDay = z.string().regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'must be a day of the year like "03-01"');
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like "2026-03-01"')
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), 'is not a real date');

const windowSchema: z.ZodType<ApplicationWindow> = z.union([
  z.strictObject({ rolling: z.literal(true) }),
  z.strictObject({ annual: z.strictObject({ from: monthDay, to: monthDay }) }),
  z.strictObject({ from: day, to: day }).refine((value) => value.from <= value.to, 'from must not be after to'),
]);

export interface Support {
  /** What the card says, e.g. 按研发投入增量的 10% 资助，最高 500 万元. */
  text: string;
  /** A fixed amount, 万元. */
  amount?: number;
  /** A rate, %. */
  rate?: number;
  /** The most one enterprise can get, 万元. */
  cap?: number;
}

export interface Policy {
  id: string;
  title: string;
  department: string;
  summary: string;
  support: Support;
  window: ApplicationWindow;
  eligibility: Criteria;
  /** Who qualifies, in words (the card's 适用对象). */
  audience: string;
  materials: string[];
  applyUrl: string;
  phone: string;
  source: { title: string; url?: string };
  /** The catalog item whose guide explains how to apply. */
  item?: string;
}

export function policySchema(vocabulary: Vocabulary): z.ZodType<Policy> {
  return z.strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"').max(48),
    title: text.max(60),
    department: text.max(40),
    summary: text.max(300),
    support: z
      .strictObject({
        text: text.max(60),
        amount: z.number().positive().optional(),
        rate: z.number().positive().max(100).optional(),
        cap: z.number().positive().optional(),
      })
      .refine((value) => value.amount !== undefined || value.rate !== undefined, 'needs an amount (万元) or a rate (%)')
      .refine((value) => value.cap === undefined || value.amount === undefined || value.cap >= value.amount, 'cap must not be below amount'),
    window: windowSchema,
    eligibility: criteriaSchema(vocabulary),
    audience: text.max(120),
    materials: z.array(text.max(80)).min(1),
    applyUrl: z.url(),
    phone: z.string().regex(/^[\d-]{5,20}$/, 'must be a phone number like 0755-26661501'),
    source: z.strictObject({ title: text.max(80), url: z.url().optional() }),
    item: text.optional(),
  }) as z.ZodType<Policy>;
}

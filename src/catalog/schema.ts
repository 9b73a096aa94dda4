/**
 * The shape of the service catalog export (intents/catalog/services.json): the district's halls
 * and its service items with everything a guide shows. Checked once at load; the rest of the bot
 * works with these types.
 */
import { z } from 'zod';

const text = z.string().trim().min(1);

export const hallSchema = z.strictObject({
  id: text,
  name: text,
  address: text,
  openingHours: text,
  phone: text,
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

/**
 * The forms a material takes, in the export's own words: an original, a copy, both, an electronic
 * licence the system fetches itself (nothing to bring), a form filled in online (nothing to bring).
 */
export const MATERIAL_FORMS = {
  original: '原件',
  copy: '复印件',
  originalAndCopy: '原件及复印件',
  electronicLicence: '电子证照',
  onlineForm: '在线填报',
} as const;

export const materialSchema = z.strictObject({
  name: text,
  form: z.enum(Object.values(MATERIAL_FORMS) as [string, ...string[]]),
  copies: z.number().int().min(0),
  note: text.optional(),
});

/** How an item can be handled: the badges of a guide (一次办, 零跑动, 指尖办, 秒批, 容缺受理, 免申即享). */
export const modesSchema = z.strictObject({
  oneVisit: z.boolean(),
  zeroVisit: z.boolean(),
  online: z.boolean(),
  instantApproval: z.boolean(),
  tolerantAcceptance: z.boolean(),
  noApplication: z.boolean(),
});

export const serviceItemSchema = z.strictObject({
  code: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"'),
  /** The national catalog's 实施编码, set on items that came from a catalog export (npm run catalog:import). */
  implementationCode: text.optional(),
  name: text,
  department: text,
  level: z.enum(['district', 'city', 'province', 'national']),
  audience: z.array(z.enum(['personal', 'enterprise'])).min(1),
  theme: text,
  aliases: z.array(text).default([]),
  description: text,
  conditions: z.array(text).default([]),
  materials: z.array(materialSchema).default([]),
  steps: z.array(text).min(1),
  /** Working days; 0 means on the spot (即办). */
  timeLimit: z.strictObject({ legalDays: z.number().int().min(0), promisedDays: z.number().int().min(0) }),
  fee: text,
  modes: modesSchema,
  onlineUrl: z.url().optional(),
  appointment: z.boolean(),
  hallId: text,
  window: text,
  phone: text,
  legalBasis: z.array(text).default([]),
  /** Electronic licences are accepted in place of paper ones (免证办). */
  eLicense: z.boolean(),
});

export const catalogSchema = z.object({
  source: z.string().optional(),
  version: z.string().optional(),
  halls: z.array(hallSchema).min(1),
  items: z.array(serviceItemSchema).min(1),
});

export type Hall = z.infer<typeof hallSchema>;
export type Material = z.infer<typeof materialSchema>;

/** Materials the applicant need not bring: fetched electronically or filled in online. */
export function isNothingToBring(material: Material): boolean {
  return material.form === MATERIAL_FORMS.electronicLicence || material.form === MATERIAL_FORMS.onlineForm;
}
export type ServiceModes = z.infer<typeof modesSchema>;
export type ServiceItem = z.infer<typeof serviceItemSchema>;
export type CatalogData = z.infer<typeof catalogSchema>;

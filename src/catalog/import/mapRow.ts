/**
 * From an export row to a service item of our catalog. The export writes lists as one cell
 * (conditions, materials and steps separated by line breaks, ；or numbering such as 1. （2）), time
 * limits as text (20个工作日, 即办), and a material's form and copies inside its name
 * (居民身份证（原件1份）); this reads them into the catalog's fields. What the export does not carry
 * (badges, online address, appointment) starts as "no", for staff to set.
 */
import type { Hall, Material, ServiceItem } from '../schema.js';
import { MATERIAL_FORMS } from '../schema.js';
import { COLUMNS, REQUIRED_KEYS, SERVICE_KINDS, type ExportRow } from './exportRow.js';

export type RowResult = { item: ServiceItem; implementationCode: string } | { problems: string[] };

/** One list entry per line, ；, or numbered part (1. 2、 （3） ①). */
export function splitList(text: string | undefined): string[] {
  if (text === undefined) return [];
  return text
    .split(/\r?\n|[；;]|(?:^|\s)(?=\d+[.、．)）]\D)|(?=[（(]\d+[)）])|(?=[①②③④⑤⑥⑦⑧⑨⑩])/u)
    .map((part) =>
      part
        .trim()
        .replace(/^(?:\d+[.、．)）]|[（(]\d+[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*/u, '')
        .replace(/[。，,]$/u, '')
        .trim(),
    )
    .filter((part) => part !== '');
}

/** Working days from 20个工作日, 20日, 20 or 即办 / 当场办结 (0); undefined if unreadable. */
export function parseDays(text: string): number | undefined {
  if (/即办|当场|立即|当日/u.test(text)) return 0;
  const match = /^(\d+)\s*(?:个)?(?:工作日|日|天)?$/u.exec(text.trim());
  return match === null ? undefined : Number(match[1]);
}

/** Forms as the export writes them, longest first so that 原件及复印件 wins over 原件. */
const FORMS = [MATERIAL_FORMS.originalAndCopy, MATERIAL_FORMS.electronicLicence, MATERIAL_FORMS.onlineForm, MATERIAL_FORMS.copy, MATERIAL_FORMS.original];

/** 居民身份证（原件1份） → name 居民身份证, form 原件, copies 1; no form named → an original, 1 copy, the bracket as a note. */
export function parseMaterial(text: string): Material {
  const bracket = /^(.+?)[（(]([^（）()]*)[)）]$/u.exec(text.trim());
  const name = (bracket?.[1] ?? text).trim();
  const detail = bracket?.[2]?.trim() ?? '';
  const form = FORMS.find((candidate) => detail.includes(candidate));
  const nothingToBring = form === MATERIAL_FORMS.electronicLicence || form === MATERIAL_FORMS.onlineForm;
  const copiesText = /(\d+)\s*份/u.exec(detail)?.[1];
  const copies = copiesText === undefined ? (nothingToBring ? 0 : 1) : Number(copiesText);
  const note = form === undefined && copiesText === undefined && detail !== '' ? detail : undefined;
  return { name, form: form ?? MATERIAL_FORMS.original, copies, ...(note === undefined ? {} : { note }) };
}

/** The hall the location names (by name or address), else the first hall; the location is the window. */
function hallFor(location: string, halls: readonly Hall[]): Hall | undefined {
  return halls.find((hall) => location.includes(hall.name) || location.includes(hall.address)) ?? halls[0];
}

/** A code from the implementation code: lower-case letters and digits (the catalog's code rule). */
export function codeFrom(implementationCode: string): string {
  return implementationCode
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function mapRow(row: ExportRow, halls: readonly Hall[]): RowResult {
  const problems = REQUIRED_KEYS.filter((key) => row[key] === undefined).map((key) => `${COLUMNS[key]}: is empty`);
  if (row.kind !== undefined && !(SERVICE_KINDS as readonly string[]).includes(row.kind)) {
    problems.push(`${COLUMNS.kind}: "${row.kind}" is not a kind of service item (${SERVICE_KINDS.join('、')})`);
  }
  const legalDays = row.legalDays === undefined ? undefined : parseDays(row.legalDays);
  const promisedDays = row.promisedDays === undefined ? undefined : parseDays(row.promisedDays);
  if (row.legalDays !== undefined && legalDays === undefined) problems.push(`${COLUMNS.legalDays}: "${row.legalDays}" is not a number of working days`);
  if (row.promisedDays !== undefined && promisedDays === undefined) problems.push(`${COLUMNS.promisedDays}: "${row.promisedDays}" is not a number of working days`);
  const code = codeFrom(row.implementationCode ?? '');
  if (row.implementationCode !== undefined && code === '') problems.push(`${COLUMNS.implementationCode}: "${row.implementationCode}" has no letter or digit`);
  const steps = splitList(row.steps);
  if (row.steps !== undefined && steps.length === 0) problems.push(`${COLUMNS.steps}: no step`);
  const hall = hallFor(row.location ?? '', halls);
  if (hall === undefined) problems.push('the catalog has no hall to put the item in');
  if (problems.length > 0 || hall === undefined || legalDays === undefined || promisedDays === undefined) return { problems };
  const audience = row.audience === undefined ? ['personal' as const] : audienceOf(row.audience);
  const name = row.name ?? '';
  return {
    implementationCode: row.implementationCode ?? '',
    item: {
      code,
      name,
      department: row.department ?? '',
      level: 'district',
      audience,
      theme: row.theme ?? '',
      aliases: splitList(row.aliases?.replace(/[、,，]/gu, '\n')),
      description: row.description ?? name,
      conditions: splitList(row.conditions),
      materials: splitList(row.materials).map(parseMaterial),
      steps,
      timeLimit: { legalDays, promisedDays },
      fee: row.fee ?? '',
      modes: { oneVisit: false, zeroVisit: false, online: false, instantApproval: false, tolerantAcceptance: false, noApplication: false },
      appointment: false,
      hallId: hall.id,
      window: row.location ?? '',
      phone: row.phone ?? '',
      legalBasis: splitList(row.legalBasis),
      eLicense: false,
    },
  };
}

/** 服务对象: 自然人 / 个人 → personal, 法人 / 企业 / 其他组织 → enterprise (both when both are named). */
function audienceOf(text: string): Array<'personal' | 'enterprise'> {
  const audience: Array<'personal' | 'enterprise'> = [];
  if (/自然人|个人|居民|公民/u.test(text)) audience.push('personal');
  if (/法人|企业|组织|单位/u.test(text)) audience.push('enterprise');
  return audience.length === 0 ? ['personal'] : audience;
}

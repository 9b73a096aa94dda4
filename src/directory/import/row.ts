/**
 * One imported row (a CSV record by its header, or an NDJSON object) checked field by field into
 * what is written for the enterprise: the fields to set, and those the row empties. The first
 * problem is the row's reason, naming the field.
 */
import { creditCodeProblem, normalizeCreditCode } from '../creditCode.js';
import { ENTERPRISE_FIELDS, type EnterpriseField } from '../enterprise.js';
import { normalizeIndustry } from '../industry.js';
import { mobileAddress } from '../phone.js';
import { SCALES, type Vocabulary } from '../vocabulary.js';

export const IMPORT_COLUMNS = ['creditCode', ...ENTERPRISE_FIELDS] as const;
export const REQUIRED_COLUMNS = ['creditCode', 'name', 'industry', 'type', 'scale'] as const;

/** What one row writes: the code, the fields it sets, the optional fields it empties. */
export interface EnterpriseWrite {
  creditCode: string;
  set: Partial<Record<EnterpriseField, unknown>>;
  unset: EnterpriseField[];
}

export type RowOutcome = { ok: true; write: EnterpriseWrite } | { ok: false; reason: string };

class RowProblem extends Error {}

const CREDIT_CODE_REASONS = {
  length: 'must be 18 characters',
  characters: 'has a character a credit code cannot have (digits and capitals except I, O, S, V, Z; the 3rd–8th are digits)',
  check: 'its check character (the 18th) does not match: a character is wrong',
} as const;

const TAG_SEPARATORS = /[|;；,，、]/;
const DATE = /^(\d{4})[-/.]?(\d{1,2})[-/.]?(\d{1,2})$/;

function text(value: unknown, field: string, max = 200): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number') throw new RowProblem(`${field}: must be text`);
  const trimmed = String(value).trim();
  if (trimmed.length > max) throw new RowProblem(`${field}: longer than ${max} characters`);
  return trimmed === '' ? undefined : trimmed;
}

function oneOf(value: string, allowed: readonly string[], field: string): string {
  if (!allowed.includes(value)) throw new RowProblem(`${field}: "${value.slice(0, 40)}" is not one of ${allowed.join(', ')}`);
  return value;
}

function date(value: string, field: string, now: Date): Date {
  const match = DATE.exec(value);
  const parsed = match ? new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))) : undefined;
  if (!match || !parsed || parsed.getUTCMonth() !== Number(match[2]) - 1 || parsed.getUTCDate() !== Number(match[3])) {
    throw new RowProblem(`${field}: "${value.slice(0, 40)}" is not a date like 2019-06-30`);
  }
  if (parsed.getTime() > now.getTime()) throw new RowProblem(`${field}: ${value} is in the future`);
  return parsed;
}

function number(value: string, field: string, integer: boolean): number {
  const parsed = Number(value.replace(/[,，\s]/g, ''));
  if (!Number.isFinite(parsed) || parsed < 0 || (integer && !Number.isInteger(parsed))) {
    throw new RowProblem(`${field}: "${value.slice(0, 40)}" is not a ${integer ? 'whole number' : 'number'} of 0 or more`);
  }
  return parsed;
}

function tagList(value: unknown, vocabulary: Vocabulary): string[] {
  const raw = Array.isArray(value) ? value.map((entry) => text(entry, 'tags') ?? '') : (text(value, 'tags', 500) ?? '').split(TAG_SEPARATORS);
  const tags = [...new Set(raw.map((tag) => tag.trim()).filter((tag) => tag !== ''))];
  for (const tag of tags) oneOf(tag, vocabulary.tags, 'tags');
  return tags;
}

/** Reads one row. A field the row does not have is left as it is; one it has empty is emptied. */
export function readRow(row: Record<string, unknown>, vocabulary: Vocabulary, now: Date): RowOutcome {
  try {
    const code = normalizeCreditCode(text(row.creditCode, 'creditCode', 40) ?? '');
    if (code === '') throw new RowProblem('creditCode: missing');
    const problem = creditCodeProblem(code);
    if (problem) throw new RowProblem(`creditCode: "${code}" ${CREDIT_CODE_REASONS[problem]}`);
    const set: EnterpriseWrite['set'] = {};
    const unset: EnterpriseField[] = [];
    for (const field of ENTERPRISE_FIELDS) {
      if (!(field in row)) continue;
      const value = field === 'tags' ? row.tags : text(row[field], field);
      if (value === undefined) {
        if ((REQUIRED_COLUMNS as readonly string[]).includes(field)) throw new RowProblem(`${field}: missing`);
        if (field === 'tags') set.tags = [];
        else unset.push(field);
        continue;
      }
      set[field] = readField(field, value, vocabulary, now);
    }
    for (const field of REQUIRED_COLUMNS) if (field !== 'creditCode' && !(field in set)) throw new RowProblem(`${field}: missing`);
    return { ok: true, write: { creditCode: code, set, unset } };
  } catch (error) {
    if (error instanceof RowProblem) return { ok: false, reason: error.message };
    throw error;
  }
}

function readField(field: EnterpriseField, value: unknown, vocabulary: Vocabulary, now: Date): unknown {
  const value_ = typeof value === 'string' ? value : '';
  switch (field) {
    case 'phone': {
      const address = mobileAddress(value_);
      if (!address) throw new RowProblem(`phone: "${value_.slice(0, 40)}" is not a mainland mobile number`);
      return address;
    }
    case 'industry': {
      const industry = normalizeIndustry(value_);
      if (!industry.ok) throw new RowProblem(`industry: "${value_.slice(0, 40)}" ${industry.reason}`);
      return industry.industry;
    }
    case 'type':
      return oneOf(value_, vocabulary.types, 'type');
    case 'scale':
      return oneOf(value_, SCALES, 'scale');
    case 'street':
      return oneOf(value_, vocabulary.streets, 'street');
    case 'tags':
      return tagList(value, vocabulary);
    case 'registeredAt':
      return date(value_, 'registeredAt', now);
    case 'employees':
      return number(value_, 'employees', true);
    case 'revenue':
      return number(value_, 'revenue', false);
    case 'name':
    case 'contact':
      return value_;
  }
}

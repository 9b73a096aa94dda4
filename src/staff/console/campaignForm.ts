/**
 * The campaign form of the console as the staff API's input: the form's fields become the JSON
 * body `POST /admin/campaigns` takes, so the same schemas check both (campaigns/input.ts). A
 * date and time is read on the district's clock; a value that is not one is passed on as typed,
 * for the schema to name.
 */
import type { z } from 'zod';
import { SCALES, type Vocabulary } from '../../directory/vocabulary.js';
import { startOfDay } from '../../ratings/days.js';

/** The segment's lists, each a group of checkboxes (industries: codes typed in one field). */
const LISTS = ['types', 'scales', 'tagsAll', 'tagsAny', 'tagsNone', 'streets'] as const;
/** The segment's ranges and the form's two fields of each (…Min, …Max). */
const RANGES = { yearsSinceRegistration: 'years', employees: 'employees', revenue: 'revenue' } as const;
const LOCAL_MINUTE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/;

function text(form: URLSearchParams, name: string): string | undefined {
  const value = form.get(name)?.trim();
  return value ? value : undefined;
}

/** A number as typed: absent when empty, the text itself when it is not a number (the schema says so). */
function number(form: URLSearchParams, name: string): number | string | undefined {
  const value = text(form, name);
  if (value === undefined) return undefined;
  return Number.isFinite(Number(value)) ? Number(value) : value;
}

/** `2026-12-10T09:00` of a datetime-local field, on the district's clock, as an instant with its offset. */
function instant(form: URLSearchParams, name: string, timeZone: string): string | undefined {
  const value = text(form, name);
  const parts = value === undefined ? null : LOCAL_MINUTE.exec(value);
  if (!parts) return value;
  return startOfDay(parts[1] as string, timeZone, Number(parts[2]) * 60 + Number(parts[3])).toISOString();
}

function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, each]) => each !== undefined)) as Partial<T>;
}

export function segmentFromForm(form: URLSearchParams): Record<string, unknown> {
  const segment: Record<string, unknown> = {};
  const industries = (text(form, 'industries') ?? '').split(/[\s,，、]+/).filter(Boolean);
  if (industries.length > 0) segment.industries = industries;
  for (const list of LISTS) if (form.getAll(list).length > 0) segment[list] = form.getAll(list);
  for (const [range, field] of Object.entries(RANGES)) {
    const bounds = defined({ min: number(form, `${field}Min`), max: number(form, `${field}Max`) });
    if (Object.keys(bounds).length > 0) segment[range] = bounds;
  }
  return segment;
}

/** The body of `POST /admin/campaigns` the form stands for. */
export function campaignFromForm(form: URLSearchParams, timeZone: string): Record<string, unknown> {
  const quietHours = form.get('anyHour') === 'on' ? null : defined({ start: text(form, 'quietStart'), end: text(form, 'quietEnd') });
  return defined({
    name: form.get('name') ?? '',
    policy: form.get('policy') ?? '',
    segment: segmentFromForm(form),
    template: text(form, 'template'),
    smsText: text(form, 'smsText'),
    schedule: defined({ startAt: instant(form, 'startAt', timeZone), endAt: instant(form, 'endAt', timeZone), quietHours }),
    rate: number(form, 'rate'),
  });
}

/** A refusal of the schema as the form shows it: the field it belongs to (the form's name for it) and why. */
export function formProblem(error: z.ZodError): { field: string; reason: string } {
  const issue = error.issues[0];
  const path = (issue?.path ?? []).map(String);
  const field = path[0] === 'segment' || path[0] === 'schedule' ? (path[1] ?? path[0]) : (path[0] ?? '');
  return { field, reason: issue?.message ?? 'invalid' };
}

/** The form's checkboxes and fields as they were filled in (for drawing it again). */
export function formValues(form: URLSearchParams, vocabulary: Vocabulary): Record<string, unknown> {
  const options = (name: string, values: readonly string[]): Array<{ value: string; checked: boolean }> =>
    values.map((value) => ({ value, checked: form.getAll(name).includes(value) }));
  return {
    ...Object.fromEntries([...form.keys()].filter((key) => key !== '_csrf').map((key) => [key, form.get(key)])),
    types: options('types', vocabulary.types),
    scales: options('scales', SCALES),
    tagsAll: options('tagsAll', vocabulary.tags),
    tagsAny: options('tagsAny', vocabulary.tags),
    tagsNone: options('tagsNone', vocabulary.tags),
    streets: options('streets', vocabulary.streets),
  };
}

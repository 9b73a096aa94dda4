/**
 * The Handlebars environment card templates are rendered in: no HTML escaping (the output is
 * JSON string values, not HTML), and only the helpers below — a template naming any other helper
 * is refused at load. Helpers that shorten text do it by characters (code points), as the
 * carrier limits count them, and mark the cut with an ellipsis.
 */
import Handlebars from 'handlebars';

export const ELLIPSIS = '…';

/** Cuts `text` to at most `max` characters, the last one an ellipsis when anything was cut. */
export function truncateText(text: string, max: number): string {
  const characters = [...text];
  if (characters.length <= max) return text;
  if (max <= 0) return '';
  return `${characters.slice(0, max - 1).join('').trimEnd()}${ELLIPSIS}`;
}

type HelperOptions = Handlebars.HelperOptions;

/** Handlebars passes its options object last; helpers with optional arguments drop it. */
function args(values: unknown[]): unknown[] {
  const last = values.at(-1);
  return last !== null && typeof last === 'object' && 'hash' in last && 'data' in last ? values.slice(0, -1) : values;
}

function asText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function formatDate(value: unknown, timeZone: string, withTime: boolean): string {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) return '';
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
  }).formatToParts(date);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  const day = `${get('year')}-${get('month')}-${get('day')}`;
  return withTime ? `${day} ${get('hour')}:${get('minute')}` : day;
}

/** A part of a date as the district's calendar shows it in Chinese (12月8日, 周二), by Intl. */
function formatZh(value: unknown, timeZone: string, options: Intl.DateTimeFormatOptions): string {
  const date = value instanceof Date ? value : typeof value === 'string' || typeof value === 'number' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat('zh-CN', { timeZone, ...options }).format(date);
}

export interface HelperSettings {
  /** The district's time zone, for dates shown to citizens. */
  timeZone: string;
}

export function createHandlebars(settings: HelperSettings): typeof Handlebars {
  const env = Handlebars.create();
  const helpers: Record<string, Handlebars.HelperDelegate> = {
    /** {{truncate text 60}} */
    truncate: (text: unknown, max: unknown) => truncateText(asText(text), Number(max)),
    /** {{join list "、"}} */
    join: (list: unknown, separator: unknown) => (Array.isArray(list) ? list.map(asText).join(typeof separator === 'string' ? separator : '、') : asText(list)),
    /** {{default value "无"}} */
    default: (...values: unknown[]) => asText(args(values).find((value) => value !== undefined && value !== null && value !== '')),
    /** {{inc @index}} — numbering from 1 */
    inc: (value: unknown) => Number(value) + 1,
    /** {{date submittedAt}} → 2026-12-03; {{dateTime at}} → 2026-12-03 14:30 (district time) */
    date: (value: unknown) => formatDate(value, settings.timeZone, false),
    dateTime: (value: unknown) => formatDate(value, settings.timeZone, true),
    /** {{monthDay at}} → 12月8日; {{weekday at}} → 周二; {{clock at}} → 09:30 (district time) */
    monthDay: (value: unknown) => formatZh(value, settings.timeZone, { month: 'long', day: 'numeric' }),
    weekday: (value: unknown) => formatZh(value, settings.timeZone, { weekday: 'short' }),
    clock: (value: unknown) => formatZh(value, settings.timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    /** {{kilometers meters}} → 1.2 */
    kilometers: (meters: unknown) => (Number(meters) / 1000).toFixed(1),
    eq: (a: unknown, b: unknown) => a === b,
    ne: (a: unknown, b: unknown) => a !== b,
    gt: (a: unknown, b: unknown) => Number(a) > Number(b),
    lt: (a: unknown, b: unknown) => Number(a) < Number(b),
    and: (...values: unknown[]) => args(values).every(Boolean),
    or: (...values: unknown[]) => args(values).some(Boolean),
    not: (value: unknown) => !value,
  };
  for (const [name, helper] of Object.entries(helpers)) env.registerHelper(name, helper);
  return env;
}

/** Built-in block helpers plus ours: the only names a template may call. */
export function knownHelpers(env: typeof Handlebars): Record<string, true> {
  return Object.fromEntries(Object.keys(env.helpers).map((name) => [name, true]));
}

export type { HelperOptions };

/**
 * When a citizen asks to come, from their own words: 明天上午, 下周三下午两点, 12月8日10点, 周五,
 * 后天下午三点半. chrono-node's Chinese parser reads dates, relative days and clock times (with
 * Chinese numerals); around it, rules of our own settle what it gets wrong or leaves open:
 *
 * - weekdays: 周五 is the next Friday from today (today included), 这周五 / 本周五 this week's,
 *   下周五 next week's (weeks start on Monday); chrono's own answer drifts by a week.
 * - parts of the day (上午, 下午, 晚上 …) are kept as such: "明天上午" asks for the morning, not 06:00.
 * - a bare hour from 1 to 7 means the afternoon: halls are closed at night, so 两点 is 14:00.
 * - 一刻 and 三刻 are 15 and 45 minutes; 12/8 is the 8th of December.
 *
 * Only what was said is returned (a date, a time, a part of the day), with the words that said
 * it, so the caller can look for the item in the rest of the message.
 */
import { hans } from 'chrono-node/zh';
import { addDays, daysBetween, instantOf, isLocalDate, localMinutesOf, weekdayOf, type LocalDate } from '../calendar/localTime.js';

export type PartOfDay = 'morning' | 'noon' | 'afternoon' | 'evening';

export interface WhenAsked {
  date?: LocalDate;
  /** Minutes since midnight. */
  time?: number;
  partOfDay?: PartOfDay;
  /** The words that said it. */
  phrases: string[];
}

const WEEKDAY = /(下下|这|本|下|上)?个?(?:周|星期|礼拜)([一二三四五六日天1-7])/;
const WEEKDAY_NUMBER: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7 };
const PART_OF_DAY: Array<[RegExp, PartOfDay]> = [
  [/上午|早上|早晨|明早|一早/, 'morning'],
  [/中午/, 'noon'],
  [/下午|午后/, 'afternoon'],
  [/晚上|傍晚|今晚|明晚/, 'evening'],
];
const NUMERIC_DATE = /(?<![\d.:/])(1[0-2]|0?[1-9])[/.](3[01]|[12]\d|0?[1-9])(?![\d.:/])/;
const QUARTER = /点\s*(一|1|三|3)\s*刻/;
/** 8号, 15日: a day of this month (of the next, when this month's has passed). */
const DAY_OF_MONTH = /(?<![月\d])(3[01]|[12]\d|0?[1-9])\s*[号日]/;
const DATE_WORDS = /[日号天月]|今|明|后/;

/** The date of weekday `target` (1 = Monday … 7 = Sunday) as the words around it mean it. */
function weekdayDate(today: LocalDate, target: number, prefix: string | undefined): LocalDate {
  const todayNumber = weekdayOf(today) === 0 ? 7 : weekdayOf(today);
  const monday = addDays(today, 1 - todayNumber);
  if (prefix === '这' || prefix === '本') return addDays(monday, target - 1);
  if (prefix === '下') return addDays(monday, 7 + target - 1);
  if (prefix === '下下') return addDays(monday, 14 + target - 1);
  if (prefix === '上') return addDays(monday, -7 + target - 1);
  return addDays(today, (target - todayNumber + 7) % 7);
}

function numericDate(match: RegExpExecArray, today: LocalDate): LocalDate | undefined {
  const year = Number(today.slice(0, 4));
  const pad = (value: string): string => value.padStart(2, '0');
  const candidate = `${year}-${pad(match[1] ?? '')}-${pad(match[2] ?? '')}`;
  if (!isLocalDate(candidate)) return undefined;
  // A date well in the past means next year's (asked in late December about early January).
  return daysBetween(today, candidate) < -60 ? `${year + 1}${candidate.slice(4)}` : candidate;
}

function dayOfMonthDate(day: number, today: LocalDate): LocalDate | undefined {
  const [year, month] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const thisMonth = `${today.slice(0, 8)}${String(day).padStart(2, '0')}`;
  if (isLocalDate(thisMonth) && daysBetween(today, thisMonth) >= 0) return thisMonth;
  const next = month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
  const nextMonth = `${next}-${String(day).padStart(2, '0')}`;
  return isLocalDate(nextMonth) ? nextMonth : undefined;
}

function partOfDayIn(text: string): { part: PartOfDay; phrase: string } | undefined {
  for (const [pattern, part] of PART_OF_DAY) {
    const match = pattern.exec(text);
    if (match) return { part, phrase: match[0] };
  }
  return undefined;
}

function adjustHour(hour: number, part: PartOfDay | undefined): number {
  if (hour >= 12) return hour;
  if (part === 'afternoon' || part === 'evening') return hour + 12;
  if (part === undefined && hour >= 1 && hour <= 7) return hour + 12;
  return hour;
}

/**
 * Every way of saying when that chrono's Chinese parsers and the rules below read needs a digit or
 * one of these characters (units, relative days, parts of the day, 现在 / 立即). Most messages
 * have none: they skip the parser, which costs a tenth of a millisecond and runs on every text.
 */
const MAY_SAY_WHEN = /[0-9今明后昨前天日号周期拜月年点时分钟秒刻半早午晚晨傍凌夜宵现立即]/;

/** What `text` says about when, seen on `today` in `zone`; undefined when it says nothing. */
export function parseWhen(text: string, today: LocalDate, zone: string): WhenAsked | undefined {
  const normalized = text.normalize('NFKC');
  return MAY_SAY_WHEN.test(normalized) ? readWhen(normalized, today, zone) : undefined;
}

/** parseWhen without its shortcut, for the test that the shortcut changes nothing. */
export function readWhen(normalized: string, today: LocalDate, zone: string): WhenAsked | undefined {
  const reference = instantOf(today, 12 * 60, zone);
  const offset = localMinutesOf(reference, zone) - (reference.getUTCHours() * 60 + reference.getUTCMinutes());
  const results = hans.parse(normalized, { instant: reference, timezone: offset }, { forwardDate: true });
  const asked: WhenAsked = { phrases: [] };

  const weekday = WEEKDAY.exec(normalized);
  if (weekday) {
    asked.date = weekdayDate(today, WEEKDAY_NUMBER[weekday[2] ?? ''] ?? 1, weekday[1]);
    asked.phrases.push(weekday[0]);
  }
  const numeric = asked.date === undefined ? NUMERIC_DATE.exec(normalized) : null;
  if (numeric) {
    asked.date = numericDate(numeric, today);
    asked.phrases.push(numeric[0]);
  }
  const dayOfMonth = asked.date === undefined && !/月/.test(normalized) ? DAY_OF_MONTH.exec(normalized) : null;
  if (dayOfMonth) {
    asked.date = dayOfMonthDate(Number(dayOfMonth[1]), today);
    asked.phrases.push(dayOfMonth[0]);
  }
  const part = partOfDayIn(normalized);
  if (part) {
    asked.partOfDay = part.part;
    asked.phrases.push(part.phrase);
  }
  for (const result of results) {
    const start = result.start;
    asked.phrases.push(result.text);
    if (asked.date === undefined && start.isCertain('day') && DATE_WORDS.test(result.text)) {
      const year = start.get('year') ?? Number(today.slice(0, 4));
      const date = `${year}-${String(start.get('month')).padStart(2, '0')}-${String(start.get('day')).padStart(2, '0')}`;
      if (isLocalDate(date)) asked.date = date;
    }
    if (asked.time === undefined && start.isCertain('hour')) {
      const quarter = QUARTER.exec(result.text + normalized.slice(result.index + result.text.length, result.index + result.text.length + 3));
      const minute = quarter ? (quarter[1] === '一' || quarter[1] === '1' ? 15 : 45) : (start.get('minute') ?? 0);
      asked.time = adjustHour(start.get('hour') ?? 0, asked.partOfDay) * 60 + minute;
      if (quarter) asked.phrases.push(`${result.text.replace(/点.*$/, '')}${quarter[0]}`);
    }
  }
  if (asked.date === undefined && asked.time === undefined && asked.partOfDay === undefined) return undefined;
  asked.phrases = [...new Set(asked.phrases)].sort((a, b) => b.length - a.length);
  return asked;
}

/** The message with the words about when taken out (what is left may name an item). */
export function withoutWhen(text: string, asked: WhenAsked): string {
  let rest = text.normalize('NFKC');
  for (const phrase of asked.phrases) rest = rest.split(phrase).join(' ');
  return rest.replace(/\s+/g, ' ').trim();
}

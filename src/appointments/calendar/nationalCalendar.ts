/**
 * China's public holidays and make-up working days (调休), as the State Council publishes them
 * each year, from the `chinese-days` data package. Only its JSON data is used: the package's own
 * functions read dates in the process's zone, which shifts every day by one on a server west of
 * UTC. The data is checked once at load, and the years it covers are known, so a booking horizon
 * that reaches an unpublished year can be reported instead of silently treated as ordinary.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { isLocalDate, weekdayOf, type LocalDate } from './localTime.js';

/** How the country treats a day, before any hall's own hours. */
export type NationalDay =
  | { kind: 'weekday' }
  | { kind: 'saturday' }
  | { kind: 'sunday' }
  /** A weekend day worked to make up for a holiday (调休上班): halls keep their weekday hours. */
  | { kind: 'makeupWorkday'; holiday: string }
  | { kind: 'holiday'; holiday: string };

const dayMap = z.record(z.string().refine(isLocalDate, 'must be YYYY-MM-DD'), z.string().min(1));
const dataSchema = z.object({ holidays: dayMap, workdays: dayMap });

/** "National Day,国庆节,3" → 国庆节 */
function chineseName(entry: string): string {
  return entry.split(',')[1]?.trim() || entry;
}

export class NationalCalendar {
  private readonly holidays: Map<LocalDate, string>;
  private readonly workdays: Map<LocalDate, string>;
  /** Years with published arrangements. */
  readonly years: ReadonlySet<number>;

  constructor(data: z.infer<typeof dataSchema>) {
    this.holidays = new Map(Object.entries(data.holidays).map(([date, entry]) => [date, chineseName(entry)]));
    this.workdays = new Map(Object.entries(data.workdays).map(([date, entry]) => [date, chineseName(entry)]));
    this.years = new Set([...this.holidays.keys()].map((date) => Number(date.slice(0, 4))));
  }

  static load(): NationalCalendar {
    const require = createRequire(import.meta.url);
    const path = require.resolve('chinese-days/dist/chinese-days.json');
    return new NationalCalendar(dataSchema.parse(JSON.parse(readFileSync(path, 'utf8'))));
  }

  day(date: LocalDate): NationalDay {
    const holiday = this.holidays.get(date);
    if (holiday !== undefined) return { kind: 'holiday', holiday };
    const makeup = this.workdays.get(date);
    if (makeup !== undefined) return { kind: 'makeupWorkday', holiday: makeup };
    const weekday = weekdayOf(date);
    if (weekday === 6) return { kind: 'saturday' };
    if (weekday === 0) return { kind: 'sunday' };
    return { kind: 'weekday' };
  }

  isWorkingDay(date: LocalDate): boolean {
    const kind = this.day(date).kind;
    return kind === 'weekday' || kind === 'makeupWorkday';
  }

  covers(date: LocalDate): boolean {
    return this.years.has(Number(date.slice(0, 4)));
  }
}

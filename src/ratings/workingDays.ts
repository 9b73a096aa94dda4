/**
 * Working days, for the deadline of a rectification task. Which days are worked is a calendar
 * behind a small interface: the default knows weekends only; a calendar of public holidays and
 * the make-up working days (调休) — e.g. from the `chinese-days` package — plugs in the same way.
 */
import { addDays, startOfDay, weekdayOf, type LocalDay } from './days.js';

export interface WorkingDayCalendar {
  isWorkingDay(day: LocalDay): boolean;
}

/** Monday to Friday; public holidays are not known to it. */
export const weekdaysCalendar: WorkingDayCalendar = {
  isWorkingDay: (day) => {
    const weekday = weekdayOf(day);
    return weekday !== 0 && weekday !== 6;
  },
};

/** Guards against a calendar that never has a working day. */
const SEARCH_LIMIT_DAYS = 366;

/** The `count`-th working day after `day` (the day itself not counted). */
export function addWorkingDays(day: LocalDay, count: number, calendar: WorkingDayCalendar): LocalDay {
  let current = day;
  let left = count;
  for (let searched = 0; left > 0; searched++) {
    if (searched > SEARCH_LIMIT_DAYS * Math.max(1, count)) throw new Error(`the working-day calendar has no working day after ${day}`);
    current = addDays(current, 1);
    if (calendar.isWorkingDay(current)) left--;
  }
  return current;
}

/**
 * When a task opened on `openedDay` is due: by the end of its `count`-th working day after that
 * day (`day`, as staff read it), i.e. at the district's midnight that ends it (`at`).
 */
export function deadline(openedDay: LocalDay, count: number, calendar: WorkingDayCalendar, timeZone: string): { day: LocalDay; at: Date } {
  const day = addWorkingDays(openedDay, count, calendar);
  return { day, at: startOfDay(addDays(day, 1), timeZone) };
}

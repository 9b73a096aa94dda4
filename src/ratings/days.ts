/**
 * Calendar days in the district's time zone ('YYYY-MM-DD'), whatever the server's zone: a
 * service belongs to the day it happened on in the district, and deadlines end at the district's
 * midnight. Days are compared as strings (the format sorts chronologically).
 */
import { instantAt, wallTime } from '../util/zonedTime.js';

/** A calendar day in the district, 'YYYY-MM-DD'. */
export type LocalDay = string;

export const LOCAL_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** The wall-clock reading of `at` in the zone. */
export function wallClock(at: Date, timeZone: string): { day: LocalDay; minutes: number; weekday: number } {
  const { date, minutes } = wallTime(at, timeZone);
  return { day: date, minutes, weekday: weekdayOf(date) };
}

export function dayOf(at: Date, timeZone: string): LocalDay {
  return wallClock(at, timeZone).day;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(day: LocalDay): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

export function addDays(day: LocalDay, days: number): LocalDay {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: LocalDay, to: LocalDay): LocalDay[] {
  const days: LocalDay[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) days.push(day);
  return days;
}

/** The instant the day begins in the zone (its midnight), or `minutes` after midnight on its clock. */
export function startOfDay(day: LocalDay, timeZone: string, minutes = 0): Date {
  return instantAt(day, minutes, timeZone);
}

/**
 * Dates and times as the district lives them, whatever the server's zone: a local date is the
 * string `YYYY-MM-DD`, a time of day is minutes since local midnight. Conversions to and from
 * instants go through the configured zone (TIMEZONE, util/zonedTime.ts), never the process's own zone.
 */
import { instantAt, wallTime } from '../../util/zonedTime.js';

/** A calendar day in the district, `YYYY-MM-DD`. */
export type LocalDate = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DAY_MS = 86_400_000;

export function isLocalDate(text: string): boolean {
  const match = LOCAL_DATE.exec(text);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().startsWith(text);
}

export function localDateOf(instant: Date, zone: string): LocalDate {
  return wallTime(instant, zone).date;
}

/** Minutes since the district's midnight. */
export function localMinutesOf(instant: Date, zone: string): number {
  return wallTime(instant, zone).minutes;
}

/** The instant of `minutes` past midnight on `date` in `zone` (zones without a gap at that time). */
export function instantOf(date: LocalDate, minutes: number, zone: string): Date {
  return instantAt(date, minutes, zone);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

export function parseClock(text: string): number | undefined {
  const match = CLOCK.exec(text);
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined;
}

export function formatClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

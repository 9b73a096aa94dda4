/**
 * Calendar days in the district's time zone ('YYYY-MM-DD'), whatever the server's zone: a
 * service belongs to the day it happened on in the district, and deadlines end at the district's
 * midnight. Days are compared as strings (the format sorts chronologically).
 */

/** A calendar day in the district, 'YYYY-MM-DD'. */
export type LocalDay = string;

export const LOCAL_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, format);
  }
  return format;
}

/** The wall-clock reading of `at` in the zone. */
export function wallClock(at: Date, timeZone: string): { day: LocalDay; minutes: number; weekday: number } {
  const parts = formatIn(timeZone).formatToParts(at);
  const get = (type: string): string => parts.find((part) => part.type === type)?.value ?? '';
  const day = `${get('year')}-${get('month')}-${get('day')}`;
  return { day, minutes: Number(get('hour')) * 60 + Number(get('minute')), weekday: weekdayOf(day) };
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

/** The zone's offset from UTC at `at`, in milliseconds (+8 h for Asia/Shanghai). */
function offsetAt(at: Date, timeZone: string): number {
  const parts = formatIn(timeZone).formatToParts(at);
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value ?? 0);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(at.getTime() / 1000) * 1000;
}

/** The instant the day begins in the zone (its midnight), or `minutes` after midnight on its clock. */
export function startOfDay(day: LocalDay, timeZone: string, minutes = 0): Date {
  const wall = Date.parse(`${day}T00:00:00Z`) + minutes * 60_000;
  // Corrected twice: the offset at the first guess may differ from the one at the answer (DST).
  let at = wall - offsetAt(new Date(wall), timeZone);
  at = wall - offsetAt(new Date(at), timeZone);
  return new Date(at);
}

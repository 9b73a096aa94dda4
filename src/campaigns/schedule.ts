/**
 * When a campaign may send: from its start to its end, and outside its quiet hours, read on the
 * district's clock (TIMEZONE) whatever the server's zone. Pure, so tests move a clock through it.
 */
import type { QuietHours, Schedule } from './model.js';

export const DEFAULT_QUIET_HOURS: QuietHours = { start: '21:00', end: '08:00' };
export const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;

/** "HH:MM" of an instant in the time zone. */
export function localTime(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/** Whether `time` ("HH:MM") falls in the quiet hours: from start (inclusive) to end (exclusive), across midnight when start > end. */
export function isQuiet(time: string, quiet: QuietHours | null): boolean {
  if (quiet === null || quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? time >= quiet.start && time < quiet.end : time >= quiet.start || time < quiet.end;
}

export type SendWindow = { kind: 'before'; startAt: Date } | { kind: 'after' } | { kind: 'quiet'; until: string } | { kind: 'open' };

/** Where `now` stands in the schedule. */
export function sendWindow(schedule: Schedule, now: Date, timeZone: string): SendWindow {
  if (schedule.startAt && now.getTime() < new Date(schedule.startAt).getTime()) return { kind: 'before', startAt: new Date(schedule.startAt) };
  if (schedule.endAt && now.getTime() >= new Date(schedule.endAt).getTime()) return { kind: 'after' };
  if (isQuiet(localTime(now, timeZone), schedule.quietHours)) return { kind: 'quiet', until: (schedule.quietHours as QuietHours).end };
  return { kind: 'open' };
}

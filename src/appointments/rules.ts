/**
 * The booking rules as pure functions of the content's rules and the clock: which slots can be
 * booked now, whether repeated no-shows keep a citizen from booking, when the reminder is due.
 * Each refusal names its reason, so the conversation can explain it in plain words.
 */
import type { DayStatus, HallCalendar, Service } from './calendar/hallCalendar.js';
import { addDays, instantOf, localDateOf, localMinutesOf, type LocalDate } from './calendar/localTime.js';
import { inRange, type BookingRules } from './content/schema.js';
import type { ReminderState } from './model.js';

const DAY_MS = 86_400_000;

/** Why a slot cannot be booked at all (whoever asks). */
export type SlotRefusal =
  | { kind: 'past' }
  | { kind: 'too-soon'; leadMinutes: number }
  | { kind: 'beyond-horizon'; lastDate: LocalDate }
  | { kind: 'closed'; day: Exclude<DayStatus, { open: true }> }
  | { kind: 'not-a-slot' };

export interface SlotClock {
  calendar: HallCalendar;
  rules: BookingRules;
  zone: string;
}

export function slotRefusal(clock: SlotClock, service: Service, date: LocalDate, minutes: number, now: Date): SlotRefusal | undefined {
  const startsAt = instantOf(date, minutes, clock.zone);
  if (startsAt.getTime() <= now.getTime()) return { kind: 'past' };
  const horizon = clock.calendar.horizon(service.hall, localDateOf(now, clock.zone));
  const lastDate = horizon[horizon.length - 1] as LocalDate;
  if (date > lastDate) return { kind: 'beyond-horizon', lastDate };
  const day = clock.calendar.day(service, date);
  if (!day.open) return { kind: 'closed', day };
  if (!clock.calendar.slotStarts(service, date).includes(minutes)) return { kind: 'not-a-slot' };
  if (startsAt.getTime() < now.getTime() + clock.rules.leadMinutes * 60_000) return { kind: 'too-soon', leadMinutes: clock.rules.leadMinutes };
  return undefined;
}

/**
 * Until when repeated no-shows keep the citizen from booking: `limit` no-shows within
 * `withinDays` bar booking for `banDays` after the last of them. `noShows` are the booked times
 * missed, in any order.
 */
export function bookingBarredUntil(noShows: readonly Date[], rules: BookingRules, now: Date): Date | undefined {
  const { limit, withinDays, banDays } = rules.noShow;
  const times = noShows.map((date) => date.getTime()).sort((a, b) => a - b);
  let barredUntil: number | undefined;
  for (let last = limit - 1; last < times.length; last++) {
    const first = times[last - limit + 1] as number;
    const end = times[last] as number;
    if (end - first <= withinDays * DAY_MS) barredUntil = Math.max(barredUntil ?? 0, end + banDays * DAY_MS);
  }
  return barredUntil !== undefined && barredUntil > now.getTime() ? new Date(barredUntil) : undefined;
}

/** How far back no-shows can still matter. */
export function noShowLookbackMs(rules: BookingRules): number {
  return (rules.noShow.withinDays + rules.noShow.banDays) * DAY_MS;
}

/**
 * The reminder of a visit on `date`: the evening before at the reminder time. A booking made
 * after that moment gets none (its confirmation has just said it all).
 */
export function reminderPlan(rules: BookingRules, zone: string, date: LocalDate, now: Date): ReminderState {
  const dueAt = instantOf(addDays(date, -1), rules.reminder.at, zone);
  return dueAt.getTime() > now.getTime() ? { status: 'pending', dueAt } : { status: 'none' };
}

/**
 * When a due reminder may go out, seen at `now`: now, unless it is quiet hours — then when they
 * end, if that is still before the visit; undefined when it is too late to remind at all.
 */
export function reminderSendTime(rules: BookingRules, zone: string, startsAt: Date, now: Date): Date | undefined {
  const quiet = rules.reminder.quietHours;
  let at = now;
  if (inRange(localMinutesOf(now, zone), quiet)) {
    const today = localDateOf(now, zone);
    const endToday = instantOf(today, quiet.end, zone);
    at = endToday.getTime() > now.getTime() ? endToday : instantOf(addDays(today, 1), quiet.end, zone);
  }
  return at.getTime() < startsAt.getTime() ? at : undefined;
}

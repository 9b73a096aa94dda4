/**
 * The shape of the appointment content (intents/appointments/): the booking rules, the halls'
 * capacity (opening hours, slot length, horizon, window groups with their seats and items) and
 * the local calendar (closures, extra days). Checked once at load; the rest works with these types.
 */
import { z } from 'zod';
import { isLocalDate, parseClock } from '../calendar/localTime.js';

const text = z.string().trim().min(1);

/** "09:00-12:00" → minutes since midnight. */
export interface ClockRange {
  start: number;
  end: number;
}

const clock = z.string().transform((value, ctx) => {
  const minutes = parseClock(value);
  if (minutes === undefined) ctx.addIssue({ code: 'custom', message: `"${value}" is not a time like 09:00` });
  return minutes ?? 0;
});

/** A range that may run past midnight (quiet hours 21:00-08:00). */
const wrappingRange = z.string().transform((value, ctx): ClockRange => {
  const [start, end] = value.split('-').map((part) => parseClock(part.trim()));
  if (start === undefined || end === undefined || start === end) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a time range like 21:00-08:00` });
    return { start: 0, end: 0 };
  }
  return { start, end };
});

const openRange = z.string().transform((value, ctx): ClockRange => {
  const [start, end] = value.split('-').map((part) => parseClock(part.trim()));
  if (start === undefined || end === undefined || start >= end) {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not an opening range like 09:00-12:00 (start before end)` });
    return { start: 0, end: 0 };
  }
  return { start, end };
});

/** The ranges of one day, in order and not overlapping; [] means closed that day. */
const dayHours = z.array(openRange).superRefine((ranges, ctx) => {
  ranges.forEach((range, index) => {
    const previous = ranges[index - 1];
    if (previous && range.start < previous.end) ctx.addIssue({ code: 'custom', path: [index], message: 'ranges must be in order and must not overlap' });
  });
});

export const WEEKDAY_KEYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;

export const hoursSchema = z.strictObject({
  weekdays: dayHours.optional(),
  monday: dayHours.optional(),
  tuesday: dayHours.optional(),
  wednesday: dayHours.optional(),
  thursday: dayHours.optional(),
  friday: dayHours.optional(),
  saturday: dayHours.optional(),
  sunday: dayHours.optional(),
});
export type Hours = z.infer<typeof hoursSchema>;

export const groupSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by "-"'),
  name: text,
  windows: z.array(z.string().regex(/^[A-Z0-9]{1,6}$/, 'must be a window number like A05')).min(1),
  seatsPerSlot: z.number().int().min(1).max(1000),
  queuePrefix: z.string().regex(/^[A-Z]{1,2}$/, 'must be one or two capital letters'),
  hours: hoursSchema.optional(),
  items: z.array(text).min(1),
});
export type WindowGroup = z.infer<typeof groupSchema>;

const slotMinutes = z.number().int().min(5).max(240);
const horizonWorkingDays = z.number().int().min(1).max(60);

export const hallCapacitySchema = z.strictObject({
  slotMinutes: slotMinutes.optional(),
  horizonWorkingDays: horizonWorkingDays.optional(),
  hours: hoursSchema,
  groups: z.array(groupSchema).min(1),
});

export const rulesSchema = z.strictObject({
  leadMinutes: z.number().int().min(0),
  maxActivePerUser: z.number().int().min(1),
  noShow: z.strictObject({ limit: z.number().int().min(1), withinDays: z.number().int().min(1), banDays: z.number().int().min(0) }),
  reminder: z.strictObject({ at: clock, quietHours: wrappingRange }),
  remoteQueue: z.strictObject({ minutesBefore: z.number().int().min(0), radiusMeters: z.number().positive() }),
});
export type BookingRules = z.infer<typeof rulesSchema>;

export const hallsFileSchema = z.strictObject({
  rules: rulesSchema,
  defaults: z.strictObject({ slotMinutes, horizonWorkingDays }),
  halls: z.record(z.string(), hallCapacitySchema),
});
export type HallsFile = z.infer<typeof hallsFileSchema>;

const localDate = z.string().refine(isLocalDate, 'must be a date like "2026-12-31"');

export const calendarFileSchema = z.strictObject({
  closures: z.array(z.strictObject({ date: localDate, halls: z.array(text).min(1).optional(), reason: text })).default([]),
  extraDays: z
    .array(z.strictObject({ date: localDate, halls: z.array(text).min(1).optional(), groups: z.array(text).min(1).optional(), hours: dayHours.optional(), reason: text }))
    .default([]),
});
export type CalendarFile = z.infer<typeof calendarFileSchema>;

/** A hall's capacity as the bot uses it: defaults applied. */
export interface HallCapacity {
  hallId: string;
  slotMinutes: number;
  horizonWorkingDays: number;
  hours: Hours;
  groups: WindowGroup[];
}

export function inRange(minutes: number, range: ClockRange): boolean {
  return range.start < range.end ? minutes >= range.start && minutes < range.end : minutes >= range.start || minutes < range.end;
}

/**
 * What to offer for a time asked in words (明天上午, 下周三下午两点, 12月8日10点): the slot itself
 * when it is free, else why not (a closed day, a full slot, past, beyond the horizon, outside
 * opening hours) and the nearest free slots instead — nearest to the moment asked for, shown in
 * time order. Pure: works on the days of the horizon as availability.ts reads them.
 */
import type { DayView, SlotView } from './availability.js';
import { instantOf, type LocalDate } from './calendar/localTime.js';
import type { PartOfDay, WhenAsked } from './when/parseWhen.js';

export type OfferStatus =
  /** The slot asked for is free. */
  | 'free'
  /** The slot asked for, or every slot of the day (or part of it) asked for, is taken. */
  | 'full'
  /** Free slots on the day (or in the part of the day) asked for. */
  | 'open'
  | 'closed'
  | 'past'
  | 'beyond-horizon'
  /** No slot starts at that time (outside opening hours, or not on the slot grid). */
  | 'no-slot'
  /** Nothing free anywhere in the horizon. */
  | 'none-free';

export interface Offer {
  status: OfferStatus;
  /** The day asked for (or the first fitting one when only a time was asked). */
  day?: DayView;
  /** The slot asked for, when there is one at that time. */
  slot?: SlotView;
  slots: SlotView[];
}

const PARTS: Record<PartOfDay, [number, number]> = {
  morning: [0, 12 * 60],
  noon: [11 * 60, 14 * 60],
  afternoon: [12 * 60, 18 * 60],
  evening: [18 * 60, 24 * 60],
};

function inPart(slot: SlotView, part: PartOfDay | undefined): boolean {
  if (part === undefined) return true;
  const [from, to] = PARTS[part];
  return slot.minutes >= from && slot.minutes < to;
}

/**
 * The `count` free slots nearest to `target`, in time order: up to half of them before it and
 * the rest after (so a closed day offers the days on both sides), more of one side when the
 * other runs short.
 */
function nearest(days: readonly DayView[], target: Date, count: number): SlotView[] {
  const free = days.flatMap((day) => day.slots.filter((slot) => slot.free > 0));
  const before = free.filter((slot) => slot.startsAt < target).reverse();
  const after = free.filter((slot) => slot.startsAt >= target);
  const fromBefore = Math.min(before.length, Math.max(Math.floor(count / 2), count - after.length));
  return [...before.slice(0, fromBefore).reverse(), ...after.slice(0, count - fromBefore)];
}

function targetMinutes(asked: WhenAsked): number {
  if (asked.time !== undefined) return asked.time;
  return asked.partOfDay === undefined ? 9 * 60 : (PARTS[asked.partOfDay][0] + PARTS[asked.partOfDay][1]) / 2;
}

export function offerFor(days: readonly DayView[], asked: WhenAsked, today: LocalDate, zone: string, count = 6): Offer {
  const minutes = targetMinutes(asked);
  const alternatives = (date: LocalDate, status: OfferStatus, extra: Partial<Offer> = {}): Offer => {
    const slots = nearest(days, instantOf(date, minutes, zone), count);
    return { status: slots.length === 0 ? 'none-free' : status, slots, ...extra };
  };
  if (asked.date === undefined) {
    // Only a time or a part of the day: the first day where it can be had.
    const fits = (slot: SlotView): boolean => slot.free > 0 && (asked.time === undefined ? inPart(slot, asked.partOfDay) : slot.minutes === asked.time);
    const day = days.find((candidate) => candidate.slots.some(fits));
    if (!day) return alternatives(today, asked.time === undefined ? 'full' : 'no-slot');
    return offerForDay(day, asked, minutes, zone, count, days);
  }
  if (asked.date < today) return alternatives(today, 'past');
  const day = days.find((candidate) => candidate.date === asked.date);
  if (!day) return alternatives(asked.date, 'beyond-horizon');
  if (!day.status.open) return alternatives(asked.date, 'closed', { day });
  return offerForDay(day, asked, minutes, zone, count, days);
}

function offerForDay(day: DayView, asked: WhenAsked, minutes: number, zone: string, count: number, days: readonly DayView[]): Offer {
  const around = nearest(days, instantOf(day.date, minutes, zone), count);
  if (asked.time !== undefined) {
    const slot = day.slots.find((candidate) => candidate.minutes === asked.time);
    if (!slot) {
      // A slot of the day that can no longer be booked has passed (or is inside the lead time).
      const status = around.length === 0 ? 'none-free' : day.starts.includes(asked.time) ? 'past' : 'no-slot';
      return { status, day, slots: around };
    }
    if (slot.free > 0) return { status: 'free', day, slot, slots: around };
    return { status: around.length === 0 ? 'none-free' : 'full', day, slot, slots: around };
  }
  const wanted = day.slots.filter((slot) => slot.free > 0 && inPart(slot, asked.partOfDay));
  if (wanted.length > 0) return { status: 'open', day, slots: wanted.slice(0, count + 2) };
  return { status: around.length === 0 ? 'none-free' : 'full', day, slots: around };
}

/**
 * Booking in the conversation: which hall (when several serve the item) → the days of the
 * horizon with free seats → the slots of a day ("10:00 余3") → booked, with the confirmation card.
 * A time said in words goes straight to what can be had then (offerWhen). The same cards serve a
 * reschedule: their buttons then carry the booking being moved, and the last tap moves it.
 */
import type { Service } from '../../../appointments/calendar/hallCalendar.js';
import type { DayView } from '../../../appointments/availability.js';
import type { BookingRefusal } from '../../../appointments/bookings.js';
import { instantOf } from '../../../appointments/calendar/localTime.js';
import { offerFor } from '../../../appointments/offer.js';
import type { WhenAsked } from '../../../appointments/when/parseWhen.js';
import type { ServiceItem } from '../../../catalog/schema.js';
import { inboundRecordId } from '../../../channels/identity.js';
import type { TurnContext } from '../../context.js';
import { setCurrentItem } from '../../topic.js';
import { itemData } from '../itemView.js';
import { whenArgs } from './args.js';
import { setAppointmentState } from './state.js';
import { bookingView, slotChip } from './views.js';

/** Slot chips on one card (the rest of the 11 chips are for moving on). */
const SLOTS_PER_CARD = 8;
const DAYS_PER_CARD = 10;

/** Noon of `date` in the district: what the card helpers format as 12月8日 / 周二. */
function dayAt(ctx: TurnContext, date: string): Date {
  return instantOf(date, 12 * 60, ctx.services.appointments.zone);
}

function serviceData(ctx: TurnContext, item: ServiceItem, service: Service): Record<string, unknown> {
  return { item, hall: ctx.services.catalog.hall(service.hall.hallId), group: { name: service.group.name } };
}

function choosing(ctx: TurnContext, item: ServiceItem, service: Service, move?: string): void {
  setCurrentItem(ctx, item.code);
  setAppointmentState(ctx, { stage: 'choosing', item: item.code, hall: service.hall.hallId, ...(move ? { move } : {}) });
}

/** The first step of booking `item`: the hall, then the days — or what fits the time said. */
export async function startBooking(ctx: TurnContext, item: ServiceItem, when?: WhenAsked, move?: string): Promise<void> {
  setCurrentItem(ctx, item.code);
  const services = ctx.services.appointments.calendar.servicesFor(item.code);
  const [only] = services;
  if (!only) {
    ctx.say('appointment-refused', { ...itemData(ctx, item), reason: 'not-bookable' });
    return;
  }
  if (services.length > 1) {
    const halls = services.map((service) => ({ hall: ctx.services.catalog.hall(service.hall.hallId), action: ctx.action('appointment.hall', item.code, service.hall.hallId, ...whenArgs(when)) }));
    ctx.say('appointment-halls', { item, halls });
    return;
  }
  await (when ? offerWhen(ctx, item, only, when, move) : showDates(ctx, item, only, move));
}

function dayEntry(ctx: TurnContext, item: ServiceItem, service: Service, day: DayView, move?: string): Record<string, unknown> {
  const status = day.status;
  return {
    date: day.date,
    at: dayAt(ctx, day.date),
    free: day.free,
    open: status.open,
    // A day whose slots are all past the lead time is over for booking, not booked up.
    over: status.open && day.slots.length === 0,
    full: status.open && day.slots.length > 0 && day.free === 0,
    holiday: !status.open && status.reason === 'holiday' ? status.holiday : undefined,
    note: status.open ? status.note : status.reason === 'closure' ? status.note : undefined,
    action: day.free > 0 ? ctx.action('appointment.day', item.code, service.hall.hallId, day.date, '', move ?? '') : undefined,
  };
}

export async function showDates(ctx: TurnContext, item: ServiceItem, service: Service, move?: string): Promise<void> {
  choosing(ctx, item, service, move);
  const days = await ctx.services.appointments.availability.days(service, ctx.now);
  const entries = days.filter((day) => day.starts.length > 0 || !day.status.open).map((day) => dayEntry(ctx, item, service, day, move));
  const bookable = entries.filter((entry) => entry.action !== undefined).slice(0, DAYS_PER_CARD);
  ctx.say('appointment-dates', { ...serviceData(ctx, item, service), days: entries, bookable, moving: move !== undefined, mine: ctx.action('appointment.mine') });
}

export async function showDay(ctx: TurnContext, item: ServiceItem, service: Service, date: string, from: number | undefined, move?: string): Promise<void> {
  choosing(ctx, item, service, move);
  const day = await ctx.services.appointments.availability.day(service, date, ctx.now);
  const start = from === undefined ? 0 : Math.max(0, day.slots.findIndex((slot) => slot.minutes >= from));
  const shown = day.slots.slice(start, start + SLOTS_PER_CARD);
  const page = (index: number): string | undefined => {
    const slot = day.slots[index];
    return slot ? ctx.action('appointment.day', item.code, service.hall.hallId, date, slot.time, move ?? '') : undefined;
  };
  ctx.say('appointment-slots', {
    ...serviceData(ctx, item, service),
    day: { date, at: dayAt(ctx, date), free: day.free, open: day.status.open },
    slots: shown.map((slot) => ({ time: slot.time, free: slot.free })),
    freeSlots: shown.filter((slot) => slot.free > 0).map((slot) => slotChip(slot, ctx.action('appointment.book', item.code, service.hall.hallId, date, slot.time, move ?? ''))),
    earlier: start > 0 ? page(Math.max(0, start - SLOTS_PER_CARD)) : undefined,
    later: start + SLOTS_PER_CARD < day.slots.length ? page(start + SLOTS_PER_CARD) : undefined,
    otherDays: ctx.action('appointment.dates', item.code, service.hall.hallId, move ?? ''),
    moving: move !== undefined,
  });
}

/** What can be had at the time said: that slot, or why not and the nearest free ones. */
export async function offerWhen(ctx: TurnContext, item: ServiceItem, service: Service, when: WhenAsked, move?: string): Promise<void> {
  const { appointments } = ctx.services;
  if (when.date !== undefined && when.time === undefined && when.partOfDay === undefined) {
    const days = await appointments.availability.days(service, ctx.now);
    const day = days.find((candidate) => candidate.date === when.date);
    if (day && day.free > 0) return showDay(ctx, item, service, day.date, undefined, move);
  }
  choosing(ctx, item, service, move);
  const days = await appointments.availability.days(service, ctx.now);
  const today = appointments.today(ctx.now);
  const offer = offerFor(days, when, today, appointments.zone, SLOTS_PER_CARD - 2);
  const status = offer.day?.status;
  ctx.say('appointment-offer', {
    ...serviceData(ctx, item, service),
    status: offer.status,
    asked: { date: when.date ?? offer.day?.date, at: (when.date ?? offer.day?.date) ? dayAt(ctx, (when.date ?? offer.day?.date) as string) : undefined, time: offer.slot?.time ?? formatMinutes(when.time), part: when.partOfDay },
    slot: offer.slot ? { time: offer.slot.time, free: offer.slot.free, at: offer.slot.startsAt } : undefined,
    holiday: status && !status.open && status.reason === 'holiday' ? status.holiday : undefined,
    closure: status && !status.open && status.reason === 'closure' ? status.note : undefined,
    lastDay: days.length > 0 ? dayAt(ctx, (days.at(-1) as DayView).date) : undefined,
    leadMinutes: appointments.rules.leadMinutes,
    slots: offer.slots.map((slot) => slotChip(slot, ctx.action('appointment.book', item.code, service.hall.hallId, slot.date, slot.time, move ?? ''))),
    otherDays: ctx.action('appointment.dates', item.code, service.hall.hallId, move ?? ''),
    moving: move !== undefined,
  });
}

function formatMinutes(minutes: number | undefined): string | undefined {
  return minutes === undefined ? undefined : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

export async function bookSlot(ctx: TurnContext, item: ServiceItem, service: Service, date: string, minutes: number): Promise<void> {
  const { appointments, catalog } = ctx.services;
  const outcome = await appointments.bookings.book({ requestKey: inboundRecordId(ctx.event), user: { platformId: ctx.event.platformId, userId: ctx.event.userId }, itemCode: item.code, service, date, minutes }, ctx.now);
  if (!outcome.ok) return sayRefusal(ctx, outcome.refusal, item, service);
  setAppointmentState(ctx, undefined);
  setCurrentItem(ctx, item.code);
  ctx.say('appointment-detail', { ...bookingView(outcome.booking, catalog, appointments, (action, ...args) => ctx.action(action, ...args), ctx.now), confirmed: true });
}

/** Says, in plain words, why it could not be booked (or moved), and what to do instead. */
export function sayRefusal(ctx: TurnContext, refusal: BookingRefusal | { kind: 'missing' }, item?: ServiceItem, service?: Service, move?: string): void {
  const { appointments, catalog } = ctx.services;
  const encode = (action: string, ...args: Array<string | number>): string => ctx.action(action, ...args);
  const details: Record<string, unknown> = { reason: refusal.kind, item, hall: service ? catalog.hall(service.hall.hallId) : undefined, rules: appointments.rules, mine: ctx.action('appointment.mine') };
  if (item && service) details.otherTimes = ctx.action('appointment.dates', item.code, service.hall.hallId, move ?? '');
  if (refusal.kind === 'duplicate') details.existing = bookingView(refusal.booking, catalog, appointments, encode, ctx.now);
  if (refusal.kind === 'cap') details.max = refusal.max;
  if (refusal.kind === 'barred') details.until = refusal.until;
  if (refusal.kind === 'beyond-horizon') details.lastDay = dayAt(ctx, refusal.lastDate);
  if (refusal.kind === 'closed' && refusal.day.reason === 'holiday') details.holiday = refusal.day.holiday;
  ctx.say('appointment-refused', details);
}

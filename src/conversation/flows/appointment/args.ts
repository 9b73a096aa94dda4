/**
 * The arguments of the appointment flow's buttons, checked against what exists now: an item
 * that can still be booked at that hall, a real date, a slot time, a booking number's shape
 * (whose booking it is, and whether it is still active, is checked when the action runs).
 */
import { isLocalDate, parseClock, type LocalDate } from '../../../appointments/calendar/localTime.js';
import type { Service } from '../../../appointments/calendar/hallCalendar.js';
import type { PartOfDay, WhenAsked } from '../../../appointments/when/parseWhen.js';
import type { ServiceItem } from '../../../catalog/schema.js';
import type { ConversationServices } from '../../context.js';

const BOOKING_NUMBER = /^YY\d{12}$/;
const PARTS: readonly PartOfDay[] = ['morning', 'noon', 'afternoon', 'evening'];

export interface ItemAtHall {
  item: ServiceItem;
  service: Service;
}

export function itemAtHall(services: ConversationServices, code: string | undefined, hallId: string | undefined): ItemAtHall | undefined {
  const item = code === undefined ? undefined : services.catalog.item(code);
  const service = item && hallId !== undefined ? services.appointments.calendar.serviceAt(item.code, hallId) : undefined;
  return item && service ? { item, service } : undefined;
}

export function bookableItem(services: ConversationServices, code: string | undefined): ServiceItem | undefined {
  const item = code === undefined ? undefined : services.catalog.item(code);
  return item && services.appointments.calendar.servicesFor(item.code).length > 0 ? item : undefined;
}

export function isBookingNumber(value: string | undefined): value is string {
  return value !== undefined && BOOKING_NUMBER.test(value);
}

/** '' or a booking number (a reschedule). */
export function optionalBooking(value: string | undefined): { ok: true; move?: string } | undefined {
  if (value === undefined || value === '') return { ok: true };
  return isBookingNumber(value) ? { ok: true, move: value } : undefined;
}

export function localDateArg(value: string | undefined): LocalDate | undefined {
  return value !== undefined && isLocalDate(value) ? value : undefined;
}

export function minutesArg(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseClock(value);
}

/** A time said in words, as three button arguments: date, HH:MM, part of the day ('' when not said). */
export function whenArgs(when: WhenAsked | undefined): [string, string, string] {
  if (!when) return ['', '', ''];
  const time = when.time === undefined ? '' : `${String(Math.floor(when.time / 60)).padStart(2, '0')}:${String(when.time % 60).padStart(2, '0')}`;
  return [when.date ?? '', time, when.partOfDay ?? ''];
}

export function whenFromArgs(date: string | undefined, time: string | undefined, part: string | undefined): { ok: true; when?: WhenAsked } | undefined {
  if (!date && !time && !part) return { ok: true };
  const parsedDate = date ? localDateArg(date) : undefined;
  const minutes = time ? minutesArg(time) : undefined;
  if ((date && !parsedDate) || (time && minutes === undefined) || (part && !(PARTS as readonly string[]).includes(part))) return undefined;
  return { ok: true, when: { ...(parsedDate ? { date: parsedDate } : {}), ...(minutes !== undefined ? { time: minutes } : {}), ...(part ? { partOfDay: part as PartOfDay } : {}), phrases: [] } };
}

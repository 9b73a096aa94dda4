/**
 * The citizen's bookings: 我的预约 (one card for one booking, a list for several), a booking's
 * card, 取消预约 (asked once more, then done) and 改约 (the booking's hall and item, a new time;
 * the move itself is one atomic change that keeps the old seat until the new one is held).
 */
import type { Service } from '../../../appointments/calendar/hallCalendar.js';
import { userKey } from '../../../channels/identity.js';
import type { BookingDocument } from '../../../appointments/model.js';
import type { WhenAsked } from '../../../appointments/when/parseWhen.js';
import type { TurnContext } from '../../context.js';
import { setCurrentItem } from '../../topic.js';
import { offerWhen, sayRefusal, showDates } from './booking.js';
import { setAppointmentState } from './state.js';
import { bookingView, type Encode } from './views.js';

function encoder(ctx: TurnContext): Encode {
  return (action, ...args) => ctx.action(action, ...args);
}

function view(ctx: TurnContext, booking: BookingDocument): Record<string, unknown> {
  return bookingView(booking, ctx.services.catalog, ctx.services.appointments, encoder(ctx), ctx.now);
}

/** The citizen's own active booking, or undefined (said as "not found or no longer active"). */
export async function ownBooking(ctx: TurnContext, bookingId: string): Promise<BookingDocument | undefined> {
  const booking = await ctx.services.appointments.bookings.find(bookingId);
  const active = booking && booking.userKey === userKey(ctx.event) && booking.status === 'booked' && booking.endsAt.getTime() > ctx.now.getTime();
  if (active) return booking;
  sayRefusal(ctx, { kind: 'missing' });
  return undefined;
}

export async function showMine(ctx: TurnContext): Promise<void> {
  const bookings = await ctx.services.appointments.bookings.active(userKey(ctx.event), ctx.now);
  const [only] = bookings;
  if (!only) {
    ctx.say('appointment-none', { book: ctx.action('appointment.start') });
    return;
  }
  if (bookings.length === 1) {
    ctx.say('appointment-detail', view(ctx, only));
    return;
  }
  ctx.say('appointment-list', { bookings: bookings.map((booking) => view(ctx, booking)), book: ctx.action('appointment.start') });
}

export async function showBooking(ctx: TurnContext, bookingId: string): Promise<void> {
  const booking = await ownBooking(ctx, bookingId);
  if (booking) ctx.say('appointment-detail', view(ctx, booking));
}

export async function askCancel(ctx: TurnContext, bookingId: string): Promise<void> {
  const booking = await ownBooking(ctx, bookingId);
  if (booking) ctx.say('appointment-cancel-confirm', { ...view(ctx, booking), confirm: ctx.action('appointment.cancel_confirmed', bookingId) });
}

export async function cancel(ctx: TurnContext, bookingId: string): Promise<void> {
  const outcome = await ctx.services.appointments.changes.cancel(bookingId, userKey(ctx.event), ctx.now);
  if (!outcome.ok) return sayRefusal(ctx, outcome.refusal);
  const data = view(ctx, outcome.booking);
  ctx.say('appointment-cancelled', { ...data, again: ctx.action('appointment.item', outcome.booking.itemCode) });
}

function serviceOf(ctx: TurnContext, booking: BookingDocument): Service | undefined {
  return ctx.services.appointments.calendar.serviceAt(booking.itemCode, booking.hallId);
}

/** 改约: the days (or what fits the time said) for the booking's item at its hall. */
export async function startMove(ctx: TurnContext, bookingId: string, when?: WhenAsked): Promise<void> {
  const booking = await ownBooking(ctx, bookingId);
  if (!booking) return;
  const item = ctx.services.catalog.item(booking.itemCode);
  const service = serviceOf(ctx, booking);
  if (!item || !service) return sayRefusal(ctx, { kind: 'missing' });
  await (when ? offerWhen(ctx, item, service, when, booking._id) : showDates(ctx, item, service, booking._id));
}

export async function moveTo(ctx: TurnContext, bookingId: string, service: Service, date: string, minutes: number): Promise<void> {
  const { appointments, catalog } = ctx.services;
  const current = await appointments.bookings.find(bookingId);
  const item = current ? catalog.item(current.itemCode) : undefined;
  const outcome = await appointments.changes.reschedule(bookingId, userKey(ctx.event), service, date, minutes, ctx.now);
  if (!outcome.ok) return sayRefusal(ctx, outcome.refusal, item, service, bookingId);
  setAppointmentState(ctx, undefined);
  setCurrentItem(ctx, outcome.booking.itemCode);
  ctx.say('appointment-detail', { ...view(ctx, outcome.booking), rescheduled: true });
}

/** 取消预约 / 改约 said in words: with one booking it goes straight on; with several, the list. */
export async function changeFromText(ctx: TurnContext, text: string, when: WhenAsked | undefined): Promise<void> {
  const bookings = await ctx.services.appointments.bookings.active(userKey(ctx.event), ctx.now);
  const [only] = bookings;
  if (!only || bookings.length > 1) return showMine(ctx);
  const reschedule = when !== undefined || ctx.services.appointments.wording.asksToReschedule(text);
  if (reschedule) return startMove(ctx, only._id, when);
  await askCancel(ctx, only._id);
}

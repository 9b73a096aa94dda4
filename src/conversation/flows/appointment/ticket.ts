/**
 * 远程取号 on the day of the visit: from an hour before the booked time, or at any time from
 * within 3 km of the hall (the citizen shares a location when asked). The number comes with
 * how many are ahead; 排到我了吗 / 查看排队 answers the position now, or the window when called.
 */
import { haversineMeters } from '../../../catalog/catalog.js';
import { userKey } from '../../../channels/identity.js';
import type { TurnContext } from '../../context.js';
import { ownBooking, showMine } from './manage.js';
import { appointmentState, setAppointmentState } from './state.js';
import { bookingView, ticketView, type Encode } from './views.js';

export interface SharedLocation {
  latitude: number;
  longitude: number;
}

function encoder(ctx: TurnContext): Encode {
  return (action, ...args) => ctx.action(action, ...args);
}

export async function takeTicket(ctx: TurnContext, bookingId: string, location?: SharedLocation): Promise<void> {
  const { appointments, catalog } = ctx.services;
  const booking = await ownBooking(ctx, bookingId);
  if (!booking) return;
  const view = bookingView(booking, catalog, appointments, encoder(ctx), ctx.now);
  const { minutesBefore, radiusMeters } = appointments.rules.remoteQueue;
  if (appointments.today(ctx.now) !== booking.date) {
    ctx.say('appointment-ticket-wait', { ...view, notToday: true });
    return;
  }
  const opensAt = new Date(booking.startsAt.getTime() - minutesBefore * 60_000);
  const hall = catalog.hall(booking.hallId);
  const meters = location && hall ? haversineMeters(location.latitude, location.longitude, hall.latitude, hall.longitude) : undefined;
  const nearby = meters !== undefined && meters <= radiusMeters;
  if (ctx.now.getTime() < opensAt.getTime() && !nearby) {
    if (meters !== undefined) {
      setAppointmentState(ctx, undefined);
      ctx.say('appointment-ticket-far', { ...view, meters, opensAt });
      return;
    }
    setAppointmentState(ctx, { stage: 'location', booking: booking._id });
    ctx.say('appointment-ticket-wait', { ...view, opensAt });
    return;
  }
  setAppointmentState(ctx, undefined);
  const group = appointments.calendar.group(booking.hallId, booking.groupId);
  if (!group) throw new Error(`booking ${booking._id} names a group the content no longer has: ${booking.groupId}`);
  const { ticket, ahead } = await appointments.queue.take(booking, group, ctx.now);
  ctx.say('appointment-ticket', ticketView(ticket, ahead, booking, catalog, appointments, encoder(ctx), ctx.now));
}

export async function showQueue(ctx: TurnContext, bookingId: string): Promise<void> {
  const { appointments, catalog } = ctx.services;
  const ticket = await appointments.queue.ticket(bookingId);
  const booking = ticket ? await appointments.bookings.find(bookingId) : undefined;
  if (!ticket || !booking || booking.userKey !== userKey(ctx.event)) return takeTicket(ctx, bookingId);
  const ahead = await appointments.queue.ahead(ticket);
  ctx.say('appointment-ticket', ticketView(ticket, ahead, booking, catalog, appointments, encoder(ctx), ctx.now));
}

/** 我的预约 / 排到我了吗: today's number first, if the citizen has one; else the bookings. */
export async function showQueueOrMine(ctx: TurnContext): Promise<void> {
  const { appointments } = ctx.services;
  const [ticket] = (await appointments.queue.ticketsOf(userKey(ctx.event), appointments.today(ctx.now))).filter((candidate) => candidate.status !== 'cancelled');
  if (ticket) return showQueue(ctx, ticket.bookingId);
  await showMine(ctx);
}

/** A location shared after the bot asked for one to take a number; false when it did not ask. */
export async function ticketFromLocation(ctx: TurnContext): Promise<boolean> {
  const state = appointmentState(ctx);
  const content = ctx.event.content;
  if (state?.stage !== 'location' || content.type !== 'location') return false;
  await takeTicket(ctx, state.booking, content);
  return true;
}

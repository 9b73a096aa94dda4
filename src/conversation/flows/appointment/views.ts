/**
 * What the appointment cards show, shared by the conversation and the messages the bot sends on
 * its own (reminders, queue calls): a booking with its item, hall, window group, materials to
 * bring, calendar times and the postbacks of its buttons.
 */
import type { Appointments } from '../../../appointments/appointments.js';
import type { SlotView } from '../../../appointments/availability.js';
import type { BookingDocument, TicketDocument } from '../../../appointments/model.js';
import type { Catalog } from '../../../catalog/catalog.js';
import { isNothingToBring } from '../../../catalog/schema.js';

export type Encode = (action: string, ...args: Array<string | number>) => string;

export function bookingView(booking: BookingDocument, catalog: Catalog, appointments: Appointments, encode: Encode, now: Date): Record<string, unknown> {
  const item = catalog.item(booking.itemCode);
  const hall = catalog.hall(booking.hallId);
  const group = appointments.calendar.group(booking.hallId, booking.groupId);
  const today = appointments.today(now) === booking.date;
  return {
    booking: { number: booking._id, date: booking.date, time: booking.time, startsAt: booking.startsAt, endsAt: booking.endsAt, today, status: booking.status },
    item,
    hall,
    group: group ? { name: group.name, windows: group.windows } : undefined,
    materials: item ? item.materials.filter((material) => !isNothingToBring(material)).map((material) => material.name) : [],
    calendar: { start: booking.startsAt.toISOString(), end: booking.endsAt.toISOString() },
    remote: { minutesBefore: appointments.rules.remoteQueue.minutesBefore, kilometers: appointments.rules.remoteQueue.radiusMeters / 1000 },
    actions: {
      show: encode('appointment.show', booking._id),
      cancel: encode('appointment.cancel', booking._id),
      move: encode('appointment.move', booking._id),
      ticket: today ? encode('appointment.ticket', booking._id) : undefined,
      mine: encode('appointment.mine'),
      guide: item ? encode('guide.show', item.code) : undefined,
    },
  };
}

export function ticketView(ticket: TicketDocument, ahead: number, booking: BookingDocument, catalog: Catalog, appointments: Appointments, encode: Encode, now: Date): Record<string, unknown> {
  return { ...bookingView(booking, catalog, appointments, encode, now), ticket: { number: ticket.number, status: ticket.status, window: ticket.window, ahead }, refresh: encode('appointment.queue', booking._id) };
}

/** A slot chip: its time, free seats and the postback that books it. */
export function slotChip(slot: SlotView, action: string): Record<string, unknown> {
  return { at: slot.startsAt, time: slot.time, free: slot.free, action };
}

/**
 * What the hall tells a booked citizen without being asked: the reminder the evening before,
 * "请到 B05 号窗口办理" when their number is called, and a heads-up when three numbers are left
 * before theirs. Each goes through the outbox with a dedupe key of its own.
 */
import type { Appointments } from '../../../appointments/appointments.js';
import type { BookingDocument, TicketDocument } from '../../../appointments/model.js';
import type { CalledTicket } from '../../../appointments/queue.js';
import type { Catalog } from '../../../catalog/catalog.js';
import type { Notices } from '../../notices.js';
import { bookingView, ticketView, type Encode } from './views.js';

export class AppointmentNotices {
  private readonly encode: Encode;

  constructor(
    private readonly notices: Notices,
    private readonly catalog: Catalog,
    private readonly appointments: Appointments,
    private readonly clock: () => Date,
  ) {
    this.encode = (action, ...args) => notices.postbacks.encode(action, ...args);
  }

  /** For reminders.ts: the reminder of `booking`, under the key it chose. */
  readonly reminder = async (booking: BookingDocument, dedupeKey: string): Promise<void> => {
    const view = bookingView(booking, this.catalog, this.appointments, this.encode, this.clock());
    await this.notices.send(booking, 'appointment-reminder', view, dedupeKey);
  };

  /** The called citizen's message, and the heads-up to the one now three numbers away. */
  async called(called: CalledTicket): Promise<void> {
    await this.ticketNotice(called.ticket, 'appointment-called', `queue-call:${called.ticket._id}:${called.ticket.calledAt?.toISOString() ?? ''}`);
    if (called.headsUp) await this.ticketNotice(called.headsUp, 'appointment-heads-up', `queue-heads-up:${called.headsUp._id}`);
  }

  private async ticketNotice(ticket: TicketDocument, template: string, dedupeKey: string): Promise<void> {
    const booking = await this.appointments.bookings.find(ticket.bookingId);
    if (!booking) return;
    const ahead = await this.appointments.queue.ahead(ticket);
    const view = ticketView(ticket, ahead, booking, this.catalog, this.appointments, this.encode, this.clock());
    await this.notices.send(booking, template, view, dedupeKey);
  }
}

/**
 * Hall clerks' endpoints: the day's bookings of a hall (JSON, or CSV to download), calling the
 * next number at a window, and marking a booking arrived or no-show. A clerk acts for their own
 * hall only; admins for every hall. The list holds citizens' phone numbers and a no-show can
 * pause a citizen's booking, so every call is in the audit log, the list included.
 */
import { z } from 'zod';
import type { Appointments } from '../../appointments/appointments.js';
import { isLocalDate } from '../../appointments/calendar/localTime.js';
import type { MarkOutcome } from '../../appointments/changes.js';
import { BOOKING_STATUSES, TICKET_STATUSES, type BookingDocument, type TicketDocument } from '../../appointments/model.js';
import type { CalledTicket } from '../../appointments/queue.js';
import type { Catalog } from '../../catalog/catalog.js';
import { InvalidRequestError, RequestError } from '../../http/errors.js';
import { toCsv } from '../../util/csv.js';
import { endpoint, type Endpoint } from '../api.js';
import type { StaffIdentity } from '../roles.js';
import { audited, type StaffServices } from '../services.js';

/** What the endpoints work with, from the running conversation. */
export interface HallDesk {
  appointments: Appointments;
  catalog: Catalog;
  /** The district's present (tests move it). */
  clock: () => Date;
  /** Tells the called citizen (and the one three numbers behind), through their platform. */
  onCalled: (called: CalledTicket) => Promise<void>;
}

const BOOKING_NUMBER = /^YY\d{12}$/;

const appointment = z
  .object({
    number: z.string(),
    date: z.string(),
    time: z.string(),
    status: z.enum(BOOKING_STATUSES),
    item: z.string(),
    itemName: z.string(),
    hall: z.string(),
    group: z.string(),
    platform: z.string(),
    user: z.string().meta({ description: "The citizen's number (tel:)" }),
    ticket: z.string().meta({ description: 'The queue number taken on the day, or empty' }),
    ticketStatus: z.union([z.enum(TICKET_STATUSES), z.literal('')]),
    window: z.string().meta({ description: 'The window that called the number, or empty' }),
  })
  .meta({ id: 'Appointment' });
type AppointmentRow = z.infer<typeof appointment>;

/** CSV columns: the row's fields in their order. */
const COLUMNS = Object.keys(appointment.shape);

const dayList = z.object({ hall: z.string(), date: z.string(), appointments: z.array(appointment) });
type DayList = z.infer<typeof dayList>;

const bookingParams = z.object({ id: z.string().regex(BOOKING_NUMBER, 'must be a booking number like YY202612080001') });

function row(booking: BookingDocument, catalog: Catalog, ticket: TicketDocument | null | undefined): AppointmentRow {
  return {
    number: booking._id,
    date: booking.date,
    time: booking.time,
    status: booking.status,
    item: booking.itemCode,
    itemName: catalog.item(booking.itemCode)?.name ?? '',
    hall: booking.hallId,
    group: booking.groupId,
    platform: booking.platformId,
    user: booking.userId,
    ticket: ticket?.number ?? '',
    ticketStatus: ticket?.status ?? '',
    window: ticket?.window ?? '',
  };
}

/** A clerk may act for their own hall only (admins for all; other roles never get here). */
function mustServe(staff: StaffIdentity, hall: string): void {
  if (staff.role === 'clerk' && staff.hall !== hall) throw new RequestError(403, `a clerk of ${staff.hall ?? 'no hall'} may not act for hall ${hall}`);
}

export function appointmentEndpoints(services: StaffServices, desk: HallDesk): Endpoint[] {
  const { appointments, catalog, clock } = desk;

  const mark = (path: 'arrived' | 'no-show', summary: string, apply: (id: string, now: Date) => Promise<MarkOutcome>): Endpoint =>
    endpoint({
      method: 'post',
      path: `/admin/appointments/:id/${path}`,
      summary,
      tag: 'appointments',
      roles: ['clerk'],
      params: bookingParams,
      response: z.object({ appointment }),
      async handle({ params, staff, ctx }) {
        const booking = await appointments.bookings.find(params.id);
        if (!booking) throw new RequestError(404, `no appointment ${params.id}`);
        mustServe(staff, booking.hallId);
        const outcome = await apply(params.id, clock());
        if (!outcome.ok && outcome.reason === 'missing') throw new RequestError(404, `no appointment ${params.id}`);
        if (!outcome.ok && outcome.reason === 'not-yet') throw new RequestError(409, `appointment ${params.id} has not begun yet`);
        if (!outcome.ok) throw new RequestError(409, `appointment ${params.id} is no longer booked`);
        await audited(services, ctx, staff, `appointment.${path}`, params.id, { hall: booking.hallId });
        return { appointment: row(outcome.booking, catalog, await appointments.queue.ticket(params.id)) };
      },
    });

  return [
    endpoint({
      method: 'get',
      path: '/admin/appointments',
      summary: "List a hall's bookings of a day",
      tag: 'appointments',
      roles: ['clerk'],
      query: z.object({
        hall: z.string().refine((id) => appointments.calendar.hall(id) !== undefined, 'no hall of that id takes appointments'),
        date: z.string().refine(isLocalDate, 'must be a date like 2026-12-08'),
      }),
      response: dayList,
      alternatives: {
        'text/csv': {
          render: (list: DayList) => toCsv(COLUMNS, list.appointments),
          filename: (list: DayList) => `appointments-${list.hall}-${list.date}.csv`,
        },
      },
      async handle({ query, staff, ctx }) {
        mustServe(staff, query.hall);
        const bookings = await appointments.models.bookings.find({ hallId: query.hall, date: query.date }).sort({ time: 1, _id: 1 }).lean<BookingDocument[]>().exec();
        const tickets = await appointments.models.tickets.find({ _id: { $in: bookings.map((booking) => booking._id) } }).lean<TicketDocument[]>().exec();
        const ticketOf = new Map(tickets.map((ticket) => [ticket._id, ticket]));
        // Recorded before the list leaves: it holds citizens' numbers.
        await audited(services, ctx, staff, 'appointments.export', `${query.hall}/${query.date}`, { rows: bookings.length });
        return { hall: query.hall, date: query.date, appointments: bookings.map((booking) => row(booking, catalog, ticketOf.get(booking._id))) };
      },
    }),
    endpoint({
      method: 'post',
      path: '/admin/halls/:hall/queue/next',
      summary: "Call the next waiting number of the window's group",
      tag: 'appointments',
      roles: ['clerk'],
      params: z.object({ hall: z.string() }),
      body: z.object({ window: z.string().min(1).max(20) }),
      response: z.object({
        called: z.object({ number: z.string(), appointment: z.string(), window: z.string() }).nullable(),
        group: z.string(),
        waiting: z.number().int().meta({ description: 'Numbers of the group still waiting' }),
      }),
      async handle({ params, body, staff, ctx }) {
        mustServe(staff, params.hall);
        if (!appointments.calendar.hall(params.hall)) throw new RequestError(404, `no hall ${params.hall.slice(0, 40)}`);
        const group = appointments.calendar.groupOfWindow(params.hall, body.window);
        if (!group) throw new InvalidRequestError(`body.window: no window ${body.window} in hall ${params.hall}`);
        const now = clock();
        const date = appointments.today(now);
        const called = await appointments.queue.callNext(params.hall, date, group, body.window, now);
        await audited(services, ctx, staff, 'queue.call', `${params.hall}/${body.window}`, { number: called?.ticket.number ?? null });
        if (called) await desk.onCalled(called);
        const waiting = await appointments.queue.waiting(params.hall, date, group.id);
        return { called: called ? { number: called.ticket.number, appointment: called.ticket.bookingId, window: body.window } : null, group: group.id, waiting };
      },
    }),
    mark('arrived', 'Mark that the citizen came', (id, now) => appointments.changes.markArrived(id, now)),
    mark('no-show', 'Mark that the citizen did not come (once the booked time has begun)', (id, now) => appointments.changes.markNoShow(id, now)),
  ];
}

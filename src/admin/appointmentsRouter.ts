/**
 * Staff endpoints for appointments and the hall's queue (bearer ADMIN_TOKEN for now):
 *
 *   GET  /admin/appointments?hall=&date=       the day's bookings (JSON; CSV with Accept: text/csv)
 *   POST /admin/halls/:hall/queue/next {window} call the next number of the window's group
 *   POST /admin/appointments/:id/arrived        the citizen came
 *   POST /admin/appointments/:id/no-show        the citizen did not come (after the booked time)
 *
 * Input is checked once here; problems are typed errors the one error path turns into statuses.
 */
import { Router } from '@koa/router';
import { z } from 'zod';
import type { Appointments } from '../appointments/appointments.js';
import { isLocalDate } from '../appointments/calendar/localTime.js';
import type { BookingDocument, TicketDocument } from '../appointments/model.js';
import type { CalledTicket } from '../appointments/queue.js';
import type { Catalog } from '../catalog/catalog.js';
import { readJsonBody } from '../http/body.js';
import { ConflictError, InvalidFieldError, NotFoundError } from '../http/errors.js';
import { requireAdminToken } from './adminToken.js';
import { toCsv } from './csv.js';

export interface AppointmentsAdminOptions {
  appointments: Appointments;
  catalog: Catalog;
  adminToken: string | undefined;
  clock: () => Date;
  /** Tells the called citizen (and the one three numbers behind). */
  onCalled: (called: CalledTicket) => Promise<void>;
}

const BOOKING_NUMBER = /^YY\d{12}$/;
const COLUMNS = ['number', 'date', 'time', 'status', 'item', 'itemName', 'hall', 'group', 'platform', 'user', 'ticket', 'ticketStatus', 'window'];

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidFieldError(issue?.path.join('.') || 'body', issue?.message ?? 'invalid');
}

function row(booking: BookingDocument, catalog: Catalog, ticket: TicketDocument | undefined): Record<string, string> {
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

export function appointmentsAdminRouter(options: AppointmentsAdminOptions): Router {
  const { appointments, catalog, clock } = options;
  const router = new Router({ prefix: '/admin' });
  router.use(requireAdminToken(options.adminToken));
  const hallId = z.string().refine((id) => appointments.calendar.hall(id) !== undefined, 'no such hall');

  router.get('/appointments', async (ctx) => {
    const query = parseOrThrow(z.object({ hall: hallId, date: z.string().refine(isLocalDate, 'must be a date like 2026-12-08') }), ctx.query);
    const bookings = await appointments.models.bookings.find({ hallId: query.hall, date: query.date }).sort({ time: 1, _id: 1 }).lean<BookingDocument[]>().exec();
    const tickets = await appointments.models.tickets.find({ _id: { $in: bookings.map((booking) => booking._id) } }).lean<TicketDocument[]>().exec();
    const ticketOf = new Map(tickets.map((ticket) => [ticket._id, ticket]));
    const rows = bookings.map((booking) => row(booking, catalog, ticketOf.get(booking._id)));
    if (ctx.accepts('application/json', 'text/csv') === 'text/csv') {
      ctx.type = 'text/csv; charset=utf-8';
      ctx.attachment(`appointments-${query.hall}-${query.date}.csv`);
      ctx.body = toCsv(COLUMNS, rows);
      return;
    }
    ctx.body = { hall: query.hall, date: query.date, appointments: rows };
  });

  router.post('/halls/:hall/queue/next', async (ctx) => {
    const hall = ctx.params.hall ?? '';
    const capacity = appointments.calendar.hall(hall);
    if (!capacity) throw new NotFoundError(`no hall ${hall.slice(0, 40)}`);
    const body = parseOrThrow(z.object({ window: z.string().min(1, 'is required') }), await readJsonBody(ctx, 4096));
    const group = appointments.calendar.groupOfWindow(hall, body.window);
    if (!group) throw new InvalidFieldError('window', `no window ${body.window.slice(0, 20)} in hall ${hall}`);
    const now = clock();
    const date = appointments.today(now);
    const called = await appointments.queue.callNext(hall, date, group, body.window, now);
    if (called) await options.onCalled(called);
    const waiting = await appointments.queue.waiting(hall, date, group.id);
    ctx.body = { called: called ? { number: called.ticket.number, appointment: called.ticket.bookingId, window: body.window } : null, group: group.id, waiting };
  });

  const mark = (path: string, apply: (id: string, now: Date) => ReturnType<Appointments['changes']['markArrived']>): void => {
    router.post(`/appointments/:id/${path}`, async (ctx) => {
      const id = ctx.params.id ?? '';
      if (!BOOKING_NUMBER.test(id)) throw new InvalidFieldError('id', 'must be a booking number like YY202612080001');
      const outcome = await apply(id, clock());
      if (!outcome.ok && outcome.reason === 'missing') throw new NotFoundError(`no appointment ${id}`);
      if (!outcome.ok && outcome.reason === 'not-yet') throw new ConflictError(`appointment ${id} has not begun yet`);
      if (!outcome.ok) throw new ConflictError(`appointment ${id} is no longer booked`);
      ctx.body = { appointment: row(outcome.booking, catalog, undefined) };
    });
  };
  mark('arrived', (id, now) => appointments.changes.markArrived(id, now));
  mark('no-show', (id, now) => appointments.changes.markNoShow(id, now));
  return router;
}

import { expect } from 'chai';
import type { BookingDocument } from '../../src/appointments/model.js';
import type { WindowGroup } from '../../src/appointments/content/schema.js';
import { at, citizen, startAppointmentStore, type AppointmentStore } from './support.js';

describe('appointments: the day’s queue numbers', function () {
  this.timeout(60_000);
  let store: AppointmentStore;
  let users = 0;
  let group: WindowGroup;
  before(async () => {
    // The visit day: Tuesday 2026-12-08 at 08:00.
    store = await startAppointmentStore('queue', at('2026-12-07', '10:00'));
    group = store.service('passport-apply').group;
  });
  after(async () => store?.close());

  const booking = async (minutes = 10 * 60): Promise<BookingDocument> => {
    const user = `tel:+8613600${String(++users).padStart(6, '0')}`;
    const outcome = await store.appointments.bookings.book(
      { requestKey: `q-${user}`, user: citizen(user), itemCode: 'passport-apply', service: store.service('passport-apply'), date: '2026-12-08', minutes },
      store.now,
    );
    if (!outcome.ok) throw new Error(outcome.refusal.kind);
    return outcome.booking;
  };

  it('numbers tickets per hall, day and group with the group’s letter, and counts who is ahead', async () => {
    const now = at('2026-12-08', '09:05');
    const first = await store.appointments.queue.take(await booking(), group, now);
    const second = await store.appointments.queue.take(await booking(), group, now);
    expect([first.ticket.number, first.ahead, second.ticket.number, second.ahead]).to.deep.equal(['B001', 0, 'B002', 1]);
  });

  it('taking a number twice for one booking returns the same ticket, even at once', async () => {
    const visit = await booking();
    const now = at('2026-12-08', '09:10');
    const [a, b] = await Promise.all([store.appointments.queue.take(visit, group, now), store.appointments.queue.take(visit, group, now)]);
    expect(a.ticket.number).to.equal(b.ticket.number);
    expect(await store.appointments.models.tickets.countDocuments({ bookingId: visit._id })).to.equal(1);
  });

  it('calls numbers in order, never the same one to two windows, and names the ticket due a heads-up', async () => {
    const queue = store.appointments.queue;
    const now = at('2026-12-08', '09:20');
    for (let n = 0; n < 5; n++) await queue.take(await booking(), group, now);
    const waiting = await store.appointments.models.tickets.find({ status: 'waiting' }).sort({ seq: 1 }).lean().exec();
    const calls = await Promise.all(['B01', 'B02'].map((window) => queue.callNext('ns-main', '2026-12-08', group, window, now)));
    const called = calls.map((call) => call?.ticket.number).sort();
    expect(called).to.deep.equal(waiting.slice(0, 2).map((ticket) => ticket.number));
    const third = await queue.callNext('ns-main', '2026-12-08', group, 'B01', now);
    expect(third?.headsUp?.number).to.equal(waiting[6]?.number);
  });

  it('a cancelled booking leaves the queue', async () => {
    const visit = await booking(16 * 60);
    await store.appointments.queue.take(visit, group, at('2026-12-08', '09:30'));
    await store.appointments.changes.cancel(visit._id, visit.userKey, at('2026-12-08', '09:31'));
    expect((await store.appointments.queue.ticket(visit._id))?.status).to.equal('cancelled');
  });
});

import { expect } from 'chai';
import { pino } from 'pino';
import type { BookingDocument } from '../../src/appointments/model.js';
import { Reminders } from '../../src/appointments/reminders.js';
import { at, citizen, startAppointmentStore, type AppointmentStore } from './support.js';

describe('appointments: reminders the evening before', function () {
  this.timeout(60_000);
  let store: AppointmentStore;
  let users = 0;
  const sent: Array<{ booking: string; key: string }> = [];
  const log = pino({ level: 'silent' });
  const reminders = (send = async (booking: BookingDocument, key: string): Promise<void> => void sent.push({ booking: booking._id, key })): Reminders =>
    new Reminders(store.appointments.models, store.appointments.rules, store.appointments.zone, send, log, 60_000);

  before(async () => {
    store = await startAppointmentStore('reminders');
  });
  after(async () => store?.close());
  beforeEach(() => {
    sent.length = 0;
  });

  const book = async (date: string, minutes: number, now = store.now): Promise<BookingDocument> => {
    const user = `tel:+8613500${String(++users).padStart(6, '0')}`;
    const outcome = await store.appointments.bookings.book({ requestKey: `r-${user}`, user: citizen(user), itemCode: 'passport-apply', service: store.service('passport-apply'), date, minutes }, now);
    if (!outcome.ok) throw new Error(outcome.refusal.kind);
    return outcome.booking;
  };

  it('is due at 18:00 the day before and sent once, however often the work runs', async () => {
    const booking = await book('2026-12-08', 10 * 60);
    expect(booking.reminder.dueAt?.toISOString()).to.equal(at('2026-12-07', '18:00').toISOString());
    expect(await reminders().runDue(at('2026-12-07', '17:59'))).to.equal(0);
    expect(await reminders().runDue(at('2026-12-07', '18:00'))).to.equal(1);
    expect(await reminders().runDue(at('2026-12-07', '18:05'))).to.equal(0);
    expect(sent.map((entry) => entry.booking)).to.deep.equal([booking._id]);
  });

  it('a process that died after claiming leaves it to another after the lease, under the same dedupe key', async () => {
    const booking = await book('2026-12-09', 10 * 60);
    const crashing = reminders(async () => {
      throw new Error('process killed while queueing');
    });
    await crashing.runDue(at('2026-12-08', '18:00')).catch(() => undefined);
    expect(await reminders().runDue(at('2026-12-08', '18:00'))).to.equal(0);
    expect(await reminders().runDue(at('2026-12-08', '18:01'))).to.equal(1);
    expect(sent).to.deep.equal([{ booking: booking._id, key: `reminder:${booking._id}:${booking.startsAt.toISOString()}` }]);
  });

  it('a reminder late into the quiet hours waits for their end, then goes out before the visit', async () => {
    const booking = await book('2026-12-10', 14 * 60);
    expect(await reminders().runDue(at('2026-12-09', '22:30'))).to.equal(0);
    expect((await store.appointments.bookings.find(booking._id))?.reminder.dueAt?.toISOString()).to.equal(at('2026-12-10', '08:00').toISOString());
    expect(await reminders().runDue(at('2026-12-10', '08:00'))).to.equal(1);
  });

  it('no reminder for a booking made after the reminder time', async () => {
    const booking = await book('2026-12-11', 10 * 60, at('2026-12-10', '19:00'));
    expect(booking.reminder.status).to.equal('none');
  });

  it('a rescheduled booking is reminded of its new day', async () => {
    const booking = await book('2026-12-14', 10 * 60);
    await store.appointments.changes.reschedule(booking._id, booking.userKey, store.service('passport-apply'), '2026-12-08', 15 * 60, store.now);
    await reminders().runDue(at('2026-12-07', '18:00'));
    expect(sent.filter((entry) => entry.booking === booking._id)).to.have.length(1);
  });
});

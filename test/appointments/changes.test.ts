import { expect } from 'chai';
import type { BookRequest } from '../../src/appointments/bookings.js';
import type { BookingDocument } from '../../src/appointments/model.js';
import { userKey, type PlatformUser } from '../../src/channels/identity.js';
import { at, citizen, startAppointmentStore, type AppointmentStore } from './support.js';

describe('appointments: cancel and reschedule', function () {
  this.timeout(60_000);
  let store: AppointmentStore;
  let users = 0;
  before(async () => {
    store = await startAppointmentStore('changes');
  });
  after(async () => store?.close());

  const nextUser = (): PlatformUser => citizen(`tel:+8613700${String(++users).padStart(6, '0')}`);
  /** marriage-registration: ns-main's marriage group, 4 seats a slot. */
  const request = (user: PlatformUser, date: string, minutes: number, itemCode = 'marriage-registration'): BookRequest => ({
    requestKey: `m-${userKey(user)}-${itemCode}-${date}-${minutes}`,
    user,
    itemCode,
    service: store.service(itemCode),
    date,
    minutes,
  });
  const book = async (user: PlatformUser, date: string, minutes: number, itemCode?: string): Promise<BookingDocument> => {
    const outcome = await store.appointments.bookings.book(request(user, date, minutes, itemCode), store.now);
    if (!outcome.ok) throw new Error(`could not book: ${outcome.refusal.kind}`);
    return outcome.booking;
  };
  const holders = async (slotId: string): Promise<string[]> => ((await store.appointments.models.slots.findById(slotId).lean().exec())?.holders ?? []).map((holder) => holder.booking);

  it('cancelling gives the seat back and the booking is no longer active', async () => {
    const user = nextUser();
    const booking = await book(user, '2026-12-08', 9 * 60);
    const cancelled = await store.appointments.changes.cancel(booking._id, userKey(user), store.now);
    expect(cancelled.ok && cancelled.booking.status).to.equal('cancelled');
    expect(await holders(booking.slotId)).to.not.include(booking._id);
    expect(await store.appointments.bookings.active(userKey(user), store.now)).to.deep.equal([]);
  });

  it('another citizen cannot cancel a booking', async () => {
    const booking = await book(nextUser(), '2026-12-08', 9 * 60 + 30);
    const outcome = await store.appointments.changes.cancel(booking._id, userKey(nextUser()), store.now);
    expect(outcome.ok ? 'cancelled' : outcome.refusal.kind).to.equal('missing');
  });

  it('the same number on another platform is another citizen: its own booking of the item that day, and no say over the first', async () => {
    const first = nextUser();
    const other = citizen(first.userId, 'cmcc-json');
    const booking = await book(first, '2026-12-09', 9 * 60 + 30);
    const theirs = await book(other, '2026-12-09', 9 * 60 + 30);
    expect([booking.platformId, theirs.platformId, theirs.userId]).to.deep.equal(['ctcu', 'cmcc-json', first.userId]);
    const refused = await store.appointments.changes.cancel(booking._id, userKey(other), store.now);
    expect(refused.ok ? 'cancelled' : refused.refusal.kind).to.equal('missing');
    expect((await store.appointments.bookings.active(userKey(first), store.now)).map((each) => each._id)).to.deep.equal([booking._id]);
  });

  it('a reschedule moves the seat: the new slot holds the booking, the old one no longer does', async () => {
    const user = nextUser();
    const booking = await book(user, '2026-12-09', 10 * 60);
    const moved = await store.appointments.changes.reschedule(booking._id, userKey(user), store.service('marriage-registration'), '2026-12-10', 15 * 60, store.now);
    expect(moved.ok && [moved.booking.date, moved.booking.time, moved.booking._id]).to.deep.equal(['2026-12-10', '15:00', booking._id]);
    expect(await holders(booking.slotId)).to.not.include(booking._id);
    expect(await holders('ns-main|marriage|2026-12-10|15:00')).to.include(booking._id);
    const stored = await store.appointments.bookings.find(booking._id);
    expect(stored?.releaseSlot).to.equal(undefined);
  });

  it('a reschedule to a full slot leaves the booking where it was, seat and all', async () => {
    for (let seat = 0; seat < 4; seat++) await book(nextUser(), '2026-12-11', 11 * 60);
    const user = nextUser();
    const booking = await book(user, '2026-12-11', 9 * 60);
    const moved = await store.appointments.changes.reschedule(booking._id, userKey(user), store.service('marriage-registration'), '2026-12-11', 11 * 60, store.now);
    expect(moved.ok ? 'moved' : moved.refusal.kind).to.equal('full');
    expect((await store.appointments.bookings.find(booking._id))?.slotId).to.equal(booking.slotId);
    expect(await holders(booking.slotId)).to.include(booking._id);
    expect(await holders('ns-main|marriage|2026-12-11|11:00')).to.have.length(4);
  });

  it('a reschedule onto a day with another booking of the same item is refused, both untouched', async () => {
    const user = nextUser();
    const first = await book(user, '2026-12-14', 9 * 60);
    const second = await book(user, '2026-12-10', 9 * 60);
    const moved = await store.appointments.changes.reschedule(second._id, userKey(user), store.service('marriage-registration'), '2026-12-14', 14 * 60, store.now);
    expect(moved.ok ? 'moved' : moved.refusal.kind).to.equal('duplicate');
    expect(await holders('ns-main|marriage|2026-12-14|14:00')).to.not.include(second._id);
    expect((await store.appointments.bookings.find(first._id))?.status).to.equal('booked');
    expect((await store.appointments.bookings.find(second._id))?.date).to.equal('2026-12-10');
  });

  it('a reschedule of a booking cancelled meanwhile gives the new seat back', async () => {
    const user = nextUser();
    const booking = await book(user, '2026-12-08', 14 * 60);
    // The cancel wins the race: it lands between the seat taken and the booking moved.
    const seats = store.appointments.bookings.seats;
    const take = seats.take.bind(seats);
    seats.take = async (...args) => {
      const outcome = await take(...args);
      await store.appointments.changes.cancel(booking._id, userKey(user), store.now);
      return outcome;
    };
    try {
      const moved = await store.appointments.changes.reschedule(booking._id, userKey(user), store.service('marriage-registration'), '2026-12-08', 16 * 60, store.now);
      expect(moved.ok ? 'moved' : moved.refusal.kind).to.equal('missing');
    } finally {
      seats.take = take;
    }
    expect(await holders('ns-main|marriage|2026-12-08|16:00')).to.not.include(booking._id);
    expect(await holders(booking.slotId)).to.not.include(booking._id);
  });

  it('refuses a booking beyond the per-citizen cap of active bookings', async () => {
    const user = nextUser();
    await book(user, '2026-12-08', 10 * 60, 'passport-apply');
    await book(user, '2026-12-08', 10 * 60, 'residence-permit-apply');
    await book(user, '2026-12-08', 10 * 60, 'hukou-newborn');
    const fourth = await store.appointments.bookings.book(request(user, '2026-12-09', 10 * 60, 'id-card-renew'), store.now);
    expect(fourth.ok ? 'booked' : fourth.refusal.kind).to.equal('cap');
  });

  it('after 3 no-shows within 30 days the citizen cannot book for 30 days', async () => {
    const user = nextUser();
    const items = ['passport-apply', 'residence-permit-apply', 'hukou-newborn'];
    for (const item of items) {
      const booking = await book(user, '2026-12-04', 9 * 60, item);
      const marked = await store.appointments.changes.markNoShow(booking._id, at('2026-12-04', '12:00'));
      expect(marked.ok).to.equal(true);
    }
    const barred = await store.appointments.bookings.book(request(user, '2026-12-10', 9 * 60), at('2026-12-04', '12:00'));
    expect(barred.ok ? 'booked' : barred.refusal.kind).to.equal('barred');
    if (!barred.ok && barred.refusal.kind === 'barred') expect(barred.refusal.until.toISOString()).to.equal(at('2027-01-03', '09:00').toISOString());
  });

  it('a no-show cannot be recorded before the booked time', async () => {
    const booking = await book(nextUser(), '2026-12-10', 10 * 60, 'passport-apply');
    const early = await store.appointments.changes.markNoShow(booking._id, store.now);
    expect(early.ok ? 'marked' : early.reason).to.equal('not-yet');
  });
});

import { expect } from 'chai';
import type { BookRequest } from '../../src/appointments/bookings.js';
import { at, citizen, startAppointmentStore, type AppointmentStore } from './support.js';

describe('appointments: seats are never given twice', function () {
  this.timeout(60_000);
  let store: AppointmentStore;
  let users = 0;
  before(async () => {
    store = await startAppointmentStore('seats');
  });
  after(async () => store?.close());

  /** passport-apply: ns-main's exit-entry group, 10 seats a slot. */
  const request = (date: string, minutes: number, user = `tel:+8613900${String(++users).padStart(6, '0')}`): BookRequest => ({
    requestKey: `message-${user}-${date}-${minutes}-${Math.random()}`,
    user: citizen(user),
    itemCode: 'passport-apply',
    service: store.service('passport-apply'),
    date,
    minutes,
  });

  it('200 bookings at once for a slot of 10 seats: exactly 10 confirmed, the rest told it is full', async () => {
    const outcomes = await Promise.all(Array.from({ length: 200 }, () => store.appointments.bookings.book(request('2026-12-08', 10 * 60), store.now)));
    const booked = outcomes.filter((outcome) => outcome.ok);
    const full = outcomes.filter((outcome) => !outcome.ok && outcome.refusal.kind === 'full');
    expect(booked).to.have.length(10);
    expect(full).to.have.length(190);
    const slot = await store.appointments.models.slots.findById('ns-main|exit-entry|2026-12-08|10:00').lean().exec();
    const confirmed = await store.appointments.models.bookings.countDocuments({ slotId: 'ns-main|exit-entry|2026-12-08|10:00', status: 'booked' });
    expect(slot?.holders).to.have.length(10);
    expect(confirmed).to.equal(10);
  });

  it('a turn run again for the same message returns the booking it made, taking no second seat', async () => {
    const asked = request('2026-12-08', 11 * 60);
    const first = await store.appointments.bookings.book(asked, store.now);
    const again = await store.appointments.bookings.book(asked, store.now);
    expect(first.ok && again.ok && first.booking._id === again.booking._id).to.equal(true);
    const slot = await store.appointments.models.slots.findById('ns-main|exit-entry|2026-12-08|11:00').lean().exec();
    expect(slot?.holders).to.have.length(1);
  });

  it('gives the seat back when the same citizen already has this item that day', async () => {
    const user = 'tel:+8613911112222';
    expect((await store.appointments.bookings.book(request('2026-12-09', 9 * 60, user), store.now)).ok).to.equal(true);
    const second = await store.appointments.bookings.book(request('2026-12-09', 14 * 60, user), store.now);
    expect(second.ok ? 'booked' : second.refusal.kind).to.equal('duplicate');
    const slot = await store.appointments.models.slots.findById('ns-main|exit-entry|2026-12-09|14:00').lean().exec();
    expect(slot?.holders ?? []).to.have.length(0);
  });

  it('refuses slots inside the lead time and past ones, and days the hall is closed', async () => {
    const soon = await store.appointments.bookings.book(request('2026-12-03', 10 * 60 + 30), at('2026-12-03', '10:00'));
    const past = await store.appointments.bookings.book(request('2026-12-03', 9 * 60), at('2026-12-03', '10:00'));
    const sunday = await store.appointments.bookings.book(request('2026-12-06', 10 * 60), at('2026-12-03', '10:00'));
    expect([soon, past, sunday].map((outcome) => (outcome.ok ? 'booked' : outcome.refusal.kind))).to.deep.equal(['too-soon', 'past', 'closed']);
  });
});

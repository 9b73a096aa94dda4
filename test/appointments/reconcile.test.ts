import { expect } from 'chai';
import { SeatReconciler } from '../../src/appointments/reconcile.js';
import { at, citizen, startAppointmentStore, type AppointmentStore } from './support.js';

describe('appointments: seats left behind by a crash are given back', function () {
  this.timeout(60_000);
  let store: AppointmentStore;
  before(async () => {
    store = await startAppointmentStore('reconcile');
  });
  after(async () => store?.close());

  const slot = (time: string) => ({ id: `ns-main|exit-entry|2026-12-08|${time}`, hallId: 'ns-main', groupId: 'exit-entry', date: '2026-12-08', time });

  it('a seat taken for a booking never stored is released after the grace period, not before', async () => {
    const { seats } = store.appointments.bookings;
    await seats.take(slot('10:00'), 10, 'YY202612089999', at('2026-12-03', '10:00'));
    const reconciler = new SeatReconciler(store.appointments.models, store.appointments.changes);
    expect(await reconciler.run(at('2026-12-03', '10:01'))).to.equal(0);
    expect(await reconciler.run(at('2026-12-03', '10:03'))).to.equal(1);
    expect((await seats.taken('ns-main', 'exit-entry', ['2026-12-08'])).get(slot('10:00').id)).to.equal(0);
  });

  it('a seat held by a real booking stays', async () => {
    const user = 'tel:+8613400000001';
    const outcome = await store.appointments.bookings.book(
      { requestKey: 'keep', user: citizen(user), itemCode: 'passport-apply', service: store.service('passport-apply'), date: '2026-12-08', minutes: 11 * 60 },
      at('2026-12-03', '10:00'),
    );
    expect(outcome.ok).to.equal(true);
    await new SeatReconciler(store.appointments.models, store.appointments.changes).run(at('2026-12-03', '10:10'));
    expect((await store.appointments.bookings.seats.taken('ns-main', 'exit-entry', ['2026-12-08'])).get(slot('11:00').id)).to.equal(1);
  });

  it('a cancel interrupted after the booking was marked gives its seat back', async () => {
    const user = 'tel:+8613400000002';
    const outcome = await store.appointments.bookings.book(
      { requestKey: 'interrupted', user: citizen(user), itemCode: 'passport-apply', service: store.service('passport-apply'), date: '2026-12-08', minutes: 14 * 60 },
      at('2026-12-03', '10:00'),
    );
    if (!outcome.ok) throw new Error(outcome.refusal.kind);
    // What cancel's first write leaves when the process dies before the second.
    await store.appointments.models.bookings.updateOne({ _id: outcome.booking._id }, { $set: { status: 'cancelled', releaseSlot: outcome.booking.slotId, updatedAt: at('2026-12-03', '10:00') } });
    await new SeatReconciler(store.appointments.models, store.appointments.changes).run(at('2026-12-03', '10:05'));
    expect((await store.appointments.bookings.seats.taken('ns-main', 'exit-entry', ['2026-12-08'])).get(slot('14:00').id)).to.equal(0);
    expect((await store.appointments.bookings.find(outcome.booking._id))?.releaseSlot).to.equal(undefined);
  });
});

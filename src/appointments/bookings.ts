/**
 * Booking a seat: the rules are checked (a bookable slot, one active booking per item and day,
 * the per-user cap, no recent run of no-shows), a booking number is drawn, a seat is taken
 * atomically (seats.ts), and the booking is stored. The request's key (the citizen's message, as
 * the inbox stores it: platform and message id) makes it idempotent: a turn run again returns the booking it made the first time.
 *
 * A seat taken for a booking that is then not stored (a duplicate found by the unique index)
 * is given back at once; one left behind by a crash between the two writes is given back by
 * the reconciler (reconcile.ts).
 */
import { userKey, type PlatformUser } from '../channels/identity.js';
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { Service } from './calendar/hallCalendar.js';
import { formatClock, instantOf, type LocalDate } from './calendar/localTime.js';
import { nextNumber } from './counters.js';
import { slotIdOf, type AppointmentModels, type BookingDocument } from './model.js';
import { bookingBarredUntil, noShowLookbackMs, reminderPlan, slotRefusal, type SlotClock, type SlotRefusal } from './rules.js';
import { SeatLedger, type SlotRef } from './seats.js';

export interface BookRequest {
  requestKey: string;
  /** The citizen: a number on the platform they wrote through. */
  user: PlatformUser;
  itemCode: string;
  service: Service;
  date: LocalDate;
  /** Start of the slot, minutes since midnight. */
  minutes: number;
}

/** Why this citizen cannot book this (beyond the slot itself). */
export type BookingRefusal =
  | SlotRefusal
  | { kind: 'full' }
  | { kind: 'duplicate'; booking: BookingDocument }
  | { kind: 'cap'; max: number; active: BookingDocument[] }
  | { kind: 'barred'; until: Date };

export type BookOutcome = { ok: true; booking: BookingDocument } | { ok: false; refusal: BookingRefusal };

export class Bookings {
  readonly seats: SeatLedger;

  constructor(
    readonly models: AppointmentModels,
    readonly clock: SlotClock,
  ) {
    this.seats = new SeatLedger(models.slots);
  }

  slotRef(service: Service, date: LocalDate, minutes: number): SlotRef {
    const time = formatClock(minutes);
    const { hallId } = service.hall;
    const groupId = service.group.id;
    return { id: slotIdOf(hallId, groupId, date, time), hallId, groupId, date, time };
  }

  find(bookingId: string): Promise<BookingDocument | null> {
    return this.models.bookings.findById(bookingId).lean<BookingDocument>().exec();
  }

  /** The citizen's (userKey's) bookings still to come, soonest first. */
  active(userKey: string, now: Date): Promise<BookingDocument[]> {
    return this.models.bookings.find({ userKey, status: 'booked', endsAt: { $gt: now } }).sort({ startsAt: 1 }).lean<BookingDocument[]>().exec();
  }

  /** What keeps this citizen from booking `itemCode` on `date`, other than `except` (a booking being moved). */
  async citizenRefusal(userKey: string, itemCode: string, date: LocalDate, now: Date, except?: string): Promise<BookingRefusal | undefined> {
    const { rules } = this.clock;
    const [active, noShows] = await Promise.all([
      this.active(userKey, now),
      this.models.bookings
        .find({ userKey, status: 'no_show', startsAt: { $gte: new Date(now.getTime() - noShowLookbackMs(rules)) } }, { startsAt: 1 })
        .lean<Array<Pick<BookingDocument, 'startsAt'>>>()
        .exec(),
    ]);
    const barredUntil = bookingBarredUntil(noShows.map((booking) => booking.startsAt), rules, now);
    if (barredUntil) return { kind: 'barred', until: barredUntil };
    const others = active.filter((booking) => booking._id !== except);
    const duplicate = others.find((booking) => booking.itemCode === itemCode && booking.date === date);
    if (duplicate) return { kind: 'duplicate', booking: duplicate };
    if (except === undefined && others.length >= rules.maxActivePerUser) return { kind: 'cap', max: rules.maxActivePerUser, active: others };
    return undefined;
  }

  async book(request: BookRequest, now: Date): Promise<BookOutcome> {
    const { bookings } = this.models;
    const slotProblem = slotRefusal(this.clock, request.service, request.date, request.minutes, now);
    // The earlier run's booking and the citizen's standing are read at once (one round trip).
    const [earlier, citizenProblem] = await Promise.all([
      bookings.findOne({ requestKey: request.requestKey }).lean<BookingDocument>().exec(),
      slotProblem ? undefined : this.citizenRefusal(userKey(request.user), request.itemCode, request.date, now),
    ]);
    if (earlier) return { ok: true, booking: earlier };
    const refusal = slotProblem ?? citizenProblem;
    if (refusal) return { ok: false, refusal };

    const slot = this.slotRef(request.service, request.date, request.minutes);
    const number = await this.drawNumber(request.date);
    const taken = await this.seats.take(slot, request.service.group.seatsPerSlot, number, now);
    if (taken === 'full') return { ok: false, refusal: { kind: 'full' } };
    const booking = this.newBooking(request, slot, number, now);
    try {
      await bookings.collection.insertOne(booking as never);
      return { ok: true, booking };
    } catch (error) {
      await this.seats.release(slot.id, number);
      if (!isDuplicateKey(error)) throw error;
      // Another run of the same request, or another booking of the item that day, got there first.
      const same = await bookings.findOne({ requestKey: request.requestKey }).lean<BookingDocument>().exec();
      if (same) return { ok: true, booking: same };
      const again = await this.citizenRefusal(userKey(request.user), request.itemCode, request.date, now);
      return { ok: false, refusal: again ?? { kind: 'full' } };
    }
  }

  private newBooking(request: BookRequest, slot: SlotRef, number: string, now: Date): BookingDocument {
    const { zone, rules } = this.clock;
    const startsAt = instantOf(request.date, request.minutes, zone);
    return {
      _id: number,
      requestKey: request.requestKey,
      platformId: request.user.platformId,
      userId: request.user.userId,
      userKey: userKey(request.user),
      itemCode: request.itemCode,
      hallId: slot.hallId,
      groupId: slot.groupId,
      date: request.date,
      time: slot.time,
      startsAt,
      endsAt: new Date(startsAt.getTime() + request.service.hall.slotMinutes * 60_000),
      slotId: slot.id,
      status: 'booked',
      reschedules: 0,
      reminder: reminderPlan(rules, zone, request.date, now),
      createdAt: now,
      updatedAt: now,
    };
  }

  /** YY + the visit date + a 4-digit number of that day: YY202612080003. */
  private async drawNumber(date: LocalDate): Promise<string> {
    const seq = await nextNumber(this.models.counters, `booking|${date}`);
    return `YY${date.replace(/-/g, '')}${String(seq).padStart(4, '0')}`;
  }
}

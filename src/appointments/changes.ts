/**
 * Changing a booking: cancel, reschedule, and the hall's marks (arrived, no-show).
 *
 * A reschedule takes the new seat first, then moves the booking onto it with one conditional
 * update (only if it is still booked on the old slot), recording the old seat as still to give
 * back; only then is the old seat released. Whatever fails along the way, the booking stays on
 * the old seat (the new seat is given back) or is fully on the new one — never on neither. A crash
 * after the move leaves `releaseSlot` set, which the reconciler (or the next change) finishes.
 */
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { Service } from './calendar/hallCalendar.js';
import { instantOf, type LocalDate } from './calendar/localTime.js';
import type { BookingDocument } from './model.js';
import type { BookingRefusal, Bookings } from './bookings.js';
import { reminderPlan, slotRefusal } from './rules.js';

export type ChangeOutcome = { ok: true; booking: BookingDocument } | { ok: false; refusal: BookingRefusal | { kind: 'missing' } };

export type MarkOutcome = { ok: true; booking: BookingDocument } | { ok: false; reason: 'missing' | 'not-booked' | 'not-yet' };

export class BookingChanges {
  constructor(private readonly bookings: Bookings) {}

  /** Finishes giving back a seat an interrupted change left behind. */
  async finishRelease(booking: Pick<BookingDocument, '_id' | 'releaseSlot'>): Promise<void> {
    if (booking.releaseSlot === undefined) return;
    await this.bookings.seats.release(booking.releaseSlot, booking._id);
    await this.bookings.models.bookings.collection.updateOne({ _id: booking._id as never, releaseSlot: booking.releaseSlot }, { $unset: { releaseSlot: '' } });
  }

  /** Cancels `userKey`'s booking (a citizen may only cancel their own). */
  async cancel(bookingId: string, userKey: string, now: Date): Promise<ChangeOutcome> {
    const collection = this.bookings.models.bookings.collection;
    const cancelled = (await collection.findOneAndUpdate(
      { _id: bookingId as never, userKey, status: 'booked', startsAt: { $gt: now } },
      [{ $set: { status: 'cancelled', cancelledAt: now, updatedAt: now, releaseSlot: '$slotId' } }],
      { returnDocument: 'after' },
    )) as BookingDocument | null;
    if (!cancelled) {
      const current = await this.bookings.find(bookingId);
      // Cancelling twice (a repeated tap, a turn run again) is not an error.
      if (current?.userKey === userKey && current.status === 'cancelled') return { ok: true, booking: current };
      return { ok: false, refusal: { kind: 'missing' } };
    }
    await this.finishRelease(cancelled);
    await this.bookings.models.tickets.collection.updateOne({ _id: bookingId as never, status: 'waiting' }, { $set: { status: 'cancelled' } });
    return { ok: true, booking: { ...cancelled, releaseSlot: undefined } };
  }

  /** Moves `userKey`'s booking (a citizen may only move their own). */
  async reschedule(bookingId: string, userKey: string, service: Service, date: LocalDate, minutes: number, now: Date): Promise<ChangeOutcome> {
    const current = await this.bookings.find(bookingId);
    if (!current || current.userKey !== userKey || current.status !== 'booked' || current.startsAt.getTime() <= now.getTime()) return { ok: false, refusal: { kind: 'missing' } };
    await this.finishRelease(current);
    const slot = this.bookings.slotRef(service, date, minutes);
    // Already there: the same change asked again.
    if (current.slotId === slot.id) return { ok: true, booking: current };
    const refusal = slotRefusal(this.bookings.clock, service, date, minutes, now) ?? (await this.bookings.citizenRefusal(userKey, current.itemCode, date, now, bookingId));
    if (refusal) return { ok: false, refusal };

    const taken = await this.bookings.seats.take(slot, service.group.seatsPerSlot, bookingId, now);
    if (taken === 'full') return { ok: false, refusal: { kind: 'full' } };
    const { zone, rules } = this.bookings.clock;
    const startsAt = instantOf(date, minutes, zone);
    const moved = {
      hallId: slot.hallId,
      groupId: slot.groupId,
      date,
      time: slot.time,
      startsAt,
      endsAt: new Date(startsAt.getTime() + service.hall.slotMinutes * 60_000),
      slotId: slot.id,
      releaseSlot: current.slotId,
      reminder: reminderPlan(rules, zone, date, now),
      updatedAt: now,
    };
    let updated: BookingDocument | null;
    try {
      updated = (await this.bookings.models.bookings.collection.findOneAndUpdate(
        { _id: bookingId as never, status: 'booked', slotId: current.slotId },
        { $set: moved, $inc: { reschedules: 1 } },
        { returnDocument: 'after' },
      )) as BookingDocument | null;
    } catch (error) {
      await this.bookings.seats.release(slot.id, bookingId);
      if (!isDuplicateKey(error)) throw error;
      const again = await this.bookings.citizenRefusal(userKey, current.itemCode, date, now, bookingId);
      return { ok: false, refusal: again ?? { kind: 'full' } };
    }
    if (!updated) {
      // Cancelled or moved by another request meanwhile: give the new seat back, change nothing.
      await this.bookings.seats.release(slot.id, bookingId);
      return { ok: false, refusal: { kind: 'missing' } };
    }
    await this.finishRelease(updated);
    return { ok: true, booking: { ...updated, releaseSlot: undefined } };
  }

  async markArrived(bookingId: string, now: Date): Promise<MarkOutcome> {
    return this.mark(bookingId, { status: 'arrived', arrivedAt: now, updatedAt: now }, {});
  }

  /** Only once the booked time has begun. */
  async markNoShow(bookingId: string, now: Date): Promise<MarkOutcome> {
    return this.mark(bookingId, { status: 'no_show', noShowAt: now, updatedAt: now }, { startsAt: { $lte: now } });
  }

  private async mark(bookingId: string, set: Partial<BookingDocument>, condition: Record<string, unknown>): Promise<MarkOutcome> {
    const collection = this.bookings.models.bookings.collection;
    const marked = (await collection.findOneAndUpdate({ _id: bookingId as never, status: 'booked', ...condition }, { $set: set }, { returnDocument: 'after' })) as BookingDocument | null;
    if (marked) return { ok: true, booking: marked };
    const current = await this.bookings.find(bookingId);
    if (!current) return { ok: false, reason: 'missing' };
    return { ok: false, reason: current.status === 'booked' ? 'not-yet' : 'not-booked' };
  }
}

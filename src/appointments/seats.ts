/**
 * Seats of a slot, decided by one conditional update each: a booking is added to the slot's
 * holders only while the list has fewer entries than the seats (`holders.<seats-1>` does not
 * exist) and does not hold it already. The slot document is created by the first booking
 * (an upsert); when that insert meets an existing full slot it fails on the duplicate _id, which
 * is read back to tell "full" from a lost race. Nothing is counted in process memory, so any
 * number of processes on one store never give away more seats than there are.
 */
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { LocalDate } from './calendar/localTime.js';
import type { SlotDocument } from './model.js';

export interface SlotRef {
  id: string;
  hallId: string;
  groupId: string;
  date: LocalDate;
  time: string;
}

export type TakeOutcome = 'taken' | 'full' | 'held';

export class SeatLedger {
  constructor(private readonly slots: Model<SlotDocument>) {}

  async take(slot: SlotRef, seats: number, booking: string, at: Date): Promise<TakeOutcome> {
    const filter = { _id: slot.id, [`holders.${seats - 1}`]: { $exists: false }, 'holders.booking': { $ne: booking } };
    const update = { $push: { holders: { booking, at } }, $setOnInsert: { hallId: slot.hallId, groupId: slot.groupId, date: slot.date, time: slot.time } };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        await this.slots.collection.updateOne(filter as never, update as never, { upsert: true });
        return 'taken';
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const current = await this.slots.collection.findOne({ _id: slot.id as never }, { projection: { holders: 1 } });
      const holders = (current as Pick<SlotDocument, 'holders'> | null)?.holders ?? [];
      if (holders.some((holder) => holder.booking === booking)) return 'held';
      if (holders.length >= seats) return 'full';
    }
    return 'full';
  }

  /** Gives the seat of `booking` back (nothing when it holds none there). */
  async release(slotId: string, booking: string): Promise<void> {
    await this.slots.collection.updateOne({ _id: slotId as never }, { $pull: { holders: { booking } } } as never);
  }

  /** Seats taken per slot id, for the slots of a group on some days. */
  async taken(hallId: string, groupId: string, dates: readonly LocalDate[]): Promise<Map<string, number>> {
    const found = await this.slots.find({ hallId, groupId, date: { $in: dates } }, { holders: 1 }).lean<Array<Pick<SlotDocument, '_id' | 'holders'>>>().exec();
    return new Map(found.map((slot) => [slot._id, slot.holders.length]));
  }
}

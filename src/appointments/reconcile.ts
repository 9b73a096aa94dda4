/**
 * Repairs what an interrupted change leaves behind, so the seats held always equal the bookings
 * that hold them:
 *
 * - a cancel or reschedule that stopped after moving the booking leaves `releaseSlot` on it:
 *   the seat is given back and the mark removed;
 * - a booking whose process stopped between taking its seat and storing the booking leaves a
 *   holder no booking owns: every holder is checked once, after a grace period longer than any
 *   turn, and removed when its booking does not exist, is cancelled, or sits on another slot.
 *
 * Every process runs it; each step is idempotent, so running it twice at once is harmless.
 */
import type { BookingChanges } from './changes.js';
import type { AppointmentModels, BookingDocument, SlotDocument } from './model.js';

export const RECONCILE_GRACE_MS = 2 * 60_000;

export class SeatReconciler {
  /** Holders added up to this moment have been checked. */
  private checkedUntil: Date | undefined;

  constructor(
    private readonly models: AppointmentModels,
    private readonly changes: BookingChanges,
    private readonly graceMs = RECONCILE_GRACE_MS,
  ) {}

  /** Returns how many seats were given back. */
  async run(now: Date): Promise<number> {
    const settled = new Date(now.getTime() - this.graceMs);
    const pending = await this.models.bookings.find({ releaseSlot: { $exists: true }, updatedAt: { $lte: settled } }, { releaseSlot: 1 }).lean<BookingDocument[]>().exec();
    for (const booking of pending) await this.changes.finishRelease(booking);
    // After a start, look back a day: a crash may have left holders just before it.
    const from = this.checkedUntil ?? new Date(now.getTime() - 86_400_000);
    const orphans = await this.orphanHolders(from, settled);
    for (const { slotId, booking, at } of orphans) {
      await this.models.slots.collection.updateOne({ _id: slotId as never }, { $pull: { holders: { booking, at } } } as never);
    }
    this.checkedUntil = settled;
    return pending.length + orphans.length;
  }

  private async orphanHolders(from: Date, until: Date): Promise<Array<{ slotId: string; booking: string; at: Date }>> {
    const slots = await this.models.slots.find({ 'holders.at': { $gt: from, $lte: until } }, { holders: 1 }).lean<SlotDocument[]>().exec();
    const holders = slots.flatMap((slot) => slot.holders.filter((holder) => holder.at > from && holder.at <= until).map((holder) => ({ slotId: slot._id, ...holder })));
    if (holders.length === 0) return [];
    const owners = await this.models.bookings
      .find({ _id: { $in: [...new Set(holders.map((holder) => holder.booking))] } }, { slotId: 1, status: 1 })
      .lean<Array<Pick<BookingDocument, '_id' | 'slotId' | 'status'>>>()
      .exec();
    const byId = new Map(owners.map((owner) => [owner._id, owner]));
    return holders.filter((holder) => {
      const owner = byId.get(holder.booking);
      return !owner || owner.status === 'cancelled' || owner.slotId !== holder.slotId;
    });
  }
}

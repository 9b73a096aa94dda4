/**
 * Reminders the evening before a visit, kept on the booking itself (`reminder`), so the schedule
 * survives restarts. Any process may send a due one: it claims it with one conditional update
 * (pending and due, or `sending` with a lapsed lease — its sender crashed), queues the message
 * with a dedupe key of the booking and its time, then marks it sent. A crash after the queueing
 * makes another process queue it again under the same key, which stores nothing new: a reminder
 * is neither lost nor doubled. Quiet hours move a late reminder to their end, if that is still
 * before the visit; otherwise it is dropped as missed.
 */
import type { Logger } from '../log.js';
import type { BookingRules } from './content/schema.js';
import type { AppointmentModels, BookingDocument } from './model.js';
import { reminderSendTime } from './rules.js';

export type SendReminder = (booking: BookingDocument, dedupeKey: string) => Promise<void>;

export class Reminders {
  constructor(
    private readonly models: AppointmentModels,
    private readonly rules: BookingRules,
    private readonly zone: string,
    private readonly send: SendReminder,
    private readonly log: Logger,
    private readonly leaseMs = 60_000,
  ) {}

  /** Sends every reminder due at `now`; returns how many were sent. */
  async runDue(now: Date, limit = 500): Promise<number> {
    let sent = 0;
    for (let count = 0; count < limit; count++) {
      const booking = await this.claim(now);
      if (!booking) break;
      if (await this.deliver(booking, now)) sent += 1;
    }
    return sent;
  }

  private async claim(now: Date): Promise<BookingDocument | null> {
    const due = {
      status: 'booked',
      $or: [
        { 'reminder.status': 'pending', 'reminder.dueAt': { $lte: now } },
        { 'reminder.status': 'sending', 'reminder.leaseUntil': { $lte: now } },
      ],
    };
    const claimed = await this.models.bookings.collection.findOneAndUpdate(
      due,
      { $set: { 'reminder.status': 'sending', 'reminder.leaseUntil': new Date(now.getTime() + this.leaseMs) } },
      { sort: { 'reminder.dueAt': 1 }, returnDocument: 'after' },
    );
    return claimed as BookingDocument | null;
  }

  private async deliver(booking: BookingDocument, now: Date): Promise<boolean> {
    const mine = { _id: booking._id as never, 'reminder.status': 'sending', startsAt: booking.startsAt };
    const at = reminderSendTime(this.rules, this.zone, booking.startsAt, now);
    if (at === undefined) {
      await this.models.bookings.collection.updateOne(mine, { $set: { 'reminder.status': 'missed' }, $unset: { 'reminder.leaseUntil': '' } });
      this.log.info({ booking: booking._id }, 'reminder dropped: too late to remind outside quiet hours');
      return false;
    }
    if (at.getTime() > now.getTime()) {
      await this.models.bookings.collection.updateOne(mine, { $set: { 'reminder.status': 'pending', 'reminder.dueAt': at }, $unset: { 'reminder.leaseUntil': '' } });
      return false;
    }
    await this.send(booking, `reminder:${booking._id}:${booking.startsAt.toISOString()}`);
    await this.models.bookings.collection.updateOne(mine, { $set: { 'reminder.status': 'sent', 'reminder.sentAt': now }, $unset: { 'reminder.leaseUntil': '' } });
    return true;
  }
}

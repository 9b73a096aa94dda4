/**
 * The day's queue at a hall (远程取号): a booked citizen takes a number on the day of the visit,
 * staff call the next number at a window, and each citizen can see how many are ahead.
 *
 * A number is taken once per booking (the ticket's _id is the booking number, so asking again
 * returns the same ticket) and numbered per hall, day and window group with one `$inc` (A001,
 * A002 …, the group's letter from the content). Calling the next number is one
 * findOneAndUpdate on the group's earliest waiting ticket, so two windows never call the same.
 */
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { LocalDate } from './calendar/localTime.js';
import { nextNumber } from './counters.js';
import type { AppointmentModels, BookingDocument, TicketDocument } from './model.js';
import type { WindowGroup } from './content/schema.js';

export interface TicketView {
  ticket: TicketDocument;
  /** Waiting tickets of the same queue before this one. */
  ahead: number;
}

export interface CalledTicket {
  ticket: TicketDocument;
  /** The waiting ticket that now has exactly `HEADS_UP_AHEAD` before it, if any. */
  headsUp?: TicketDocument;
}

/** A heads-up goes to the citizen with this many numbers left before theirs. */
export const HEADS_UP_AHEAD = 3;

export class HallQueue {
  constructor(private readonly models: AppointmentModels) {}

  /** The booking's ticket, taken now unless it has one already. */
  async take(booking: BookingDocument, group: WindowGroup, now: Date): Promise<TicketView> {
    const existing = await this.ticket(booking._id);
    if (existing) return { ticket: existing, ahead: await this.ahead(existing) };
    const seq = await nextNumber(this.models.counters, `queue|${booking.hallId}|${booking.date}|${group.queuePrefix}`);
    const ticket: TicketDocument = {
      _id: booking._id,
      hallId: booking.hallId,
      groupId: booking.groupId,
      date: booking.date,
      seq,
      number: `${group.queuePrefix}${String(seq).padStart(3, '0')}`,
      bookingId: booking._id,
      platformId: booking.platformId,
      userId: booking.userId,
      userKey: booking.userKey,
      status: 'waiting',
      issuedAt: now,
    };
    try {
      await this.models.tickets.collection.insertOne(ticket as never);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // The same booking's number taken at the same moment by a turn run twice: keep that one.
      const taken = (await this.ticket(booking._id)) as TicketDocument;
      return { ticket: taken, ahead: await this.ahead(taken) };
    }
    return { ticket, ahead: await this.ahead(ticket) };
  }

  ticket(bookingId: string): Promise<TicketDocument | null> {
    return this.models.tickets.findById(bookingId).lean<TicketDocument>().exec();
  }

  /** The citizen's (userKey's) tickets of a day, latest first. */
  ticketsOf(userKey: string, date: LocalDate): Promise<TicketDocument[]> {
    return this.models.tickets.find({ userKey, date }).sort({ issuedAt: -1 }).lean<TicketDocument[]>().exec();
  }

  async ahead(ticket: TicketDocument): Promise<number> {
    if (ticket.status !== 'waiting') return 0;
    return this.models.tickets.countDocuments({ hallId: ticket.hallId, date: ticket.date, groupId: ticket.groupId, status: 'waiting', seq: { $lt: ticket.seq } }).exec();
  }

  /** Calls the group's next waiting number to `window`; undefined when nobody is waiting. */
  async callNext(hallId: string, date: LocalDate, group: WindowGroup, window: string, now: Date): Promise<CalledTicket | undefined> {
    const queue = { hallId, date, groupId: group.id, status: 'waiting' as const };
    const called = (await this.models.tickets.collection.findOneAndUpdate(queue, { $set: { status: 'called', window, calledAt: now } }, { sort: { seq: 1 }, returnDocument: 'after' })) as TicketDocument | null;
    if (!called) return undefined;
    const next = await this.models.tickets.find(queue).sort({ seq: 1 }).skip(HEADS_UP_AHEAD).limit(1).lean<TicketDocument[]>().exec();
    return next[0] ? { ticket: called, headsUp: next[0] } : { ticket: called };
  }

  /** Waiting tickets of a group now. */
  waiting(hallId: string, date: LocalDate, groupId: string): Promise<number> {
    return this.models.tickets.countDocuments({ hallId, date, groupId, status: 'waiting' }).exec();
  }
}

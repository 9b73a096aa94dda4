/**
 * The stored side of appointments. Capacity is decided in MongoDB, one document at a time:
 *
 * - a slot document (`appointmentSlots`) lists the bookings holding its seats; a seat is taken by
 *   one conditional update that adds a holder only while the list is shorter than the seats;
 * - a booking (`appointments`) names the slot it holds; a unique partial index allows one active
 *   booking per user, item and day, another makes the request that created it unique. A user is
 *   a number on one platform (channels/identity.ts): bookings keep platformId and userId, so
 *   notices go out through the platform the citizen booked on, and `userKey` for the per-user
 *   rules (cap, one per item and day, no-shows);
 * - counters (`appointmentCounters`) hand out booking numbers and queue numbers with `$inc`;
 * - queue tickets (`queueTickets`) are the day's numbers, called in order per window group.
 *
 * Every write that must be atomic goes through the driver's collection with an explicit filter,
 * so nothing depends on which store (embedded or MongoDB) is behind the connection.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { LocalDate } from './calendar/localTime.js';

export const BOOKING_STATUSES = ['booked', 'cancelled', 'arrived', 'no_show'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

export const REMINDER_STATUSES = ['pending', 'sending', 'sent', 'none', 'missed'] as const;
export type ReminderStatus = (typeof REMINDER_STATUSES)[number];

export interface ReminderState {
  status: ReminderStatus;
  dueAt?: Date;
  /** While `sending`: until when the process that claimed it owns it. */
  leaseUntil?: Date;
  sentAt?: Date;
}

export interface BookingDocument {
  /** The booking number citizens and staff see, e.g. YY202612080003. */
  _id: string;
  /** The message that asked for it: a turn run again finds its booking instead of making another. */
  requestKey: string;
  /** The platform the citizen booked through: reminders and queue calls go out through it. */
  platformId: string;
  userId: string;
  /** platformId|userId: what the per-user rules and the citizen's own bookings are keyed on. */
  userKey: string;
  itemCode: string;
  hallId: string;
  groupId: string;
  date: LocalDate;
  /** HH:MM in the district's time. */
  time: string;
  startsAt: Date;
  endsAt: Date;
  slotId: string;
  status: BookingStatus;
  /** A seat still to give back after a cancel or a reschedule was interrupted (see reconcile.ts). */
  releaseSlot?: string;
  reschedules: number;
  reminder: ReminderState;
  createdAt: Date;
  updatedAt: Date;
  cancelledAt?: Date;
  arrivedAt?: Date;
  noShowAt?: Date;
}

export interface SlotHolder {
  booking: string;
  at: Date;
}

export interface SlotDocument {
  /** hall|group|date|HH:MM */
  _id: string;
  hallId: string;
  groupId: string;
  date: LocalDate;
  time: string;
  holders: SlotHolder[];
}

export const TICKET_STATUSES = ['waiting', 'called', 'cancelled'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export interface TicketDocument {
  /** The booking number for a booked visit. */
  _id: string;
  hallId: string;
  groupId: string;
  date: LocalDate;
  /** Order in the group's queue of the day. */
  seq: number;
  /** What the citizen and the hall's screens show: A012. */
  number: string;
  bookingId: string;
  platformId: string;
  userId: string;
  userKey: string;
  status: TicketStatus;
  issuedAt: Date;
  window?: string;
  calledAt?: Date;
}

export interface CounterDocument {
  _id: string;
  seq: number;
}

export interface AppointmentModels {
  bookings: Model<BookingDocument>;
  slots: Model<SlotDocument>;
  tickets: Model<TicketDocument>;
  counters: Model<CounterDocument>;
}

const bookingSchema = new Schema<BookingDocument>(
  {
    _id: { type: String, required: true },
    requestKey: { type: String, required: true },
    platformId: { type: String, required: true },
    userId: { type: String, required: true },
    userKey: { type: String, required: true },
    itemCode: { type: String, required: true },
    hallId: { type: String, required: true },
    groupId: { type: String, required: true },
    date: { type: String, required: true },
    time: { type: String, required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    slotId: { type: String, required: true },
    status: { type: String, enum: BOOKING_STATUSES, required: true },
    releaseSlot: String,
    reschedules: { type: Number, default: 0 },
    reminder: {
      _id: false,
      status: { type: String, enum: REMINDER_STATUSES, required: true },
      dueAt: Date,
      leaseUntil: Date,
      sentAt: Date,
    },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
    cancelledAt: Date,
    arrivedAt: Date,
    noShowAt: Date,
  },
  { collection: 'appointments', versionKey: false },
);
bookingSchema.index({ requestKey: 1 }, { unique: true });
// One active booking per user, item and day; cancelled, attended and missed ones do not count.
bookingSchema.index({ userKey: 1, itemCode: 1, date: 1 }, { unique: true, partialFilterExpression: { status: 'booked' }, name: 'one_active_per_user_item_day' });
bookingSchema.index({ userKey: 1, status: 1, startsAt: 1 });
bookingSchema.index({ hallId: 1, date: 1, time: 1 });
bookingSchema.index({ 'reminder.status': 1, 'reminder.dueAt': 1 });
bookingSchema.index({ releaseSlot: 1 }, { sparse: true });

const slotSchema = new Schema<SlotDocument>(
  {
    _id: { type: String, required: true },
    hallId: { type: String, required: true },
    groupId: { type: String, required: true },
    date: { type: String, required: true },
    time: { type: String, required: true },
    holders: [{ _id: false, booking: String, at: Date }],
  },
  { collection: 'appointmentSlots', versionKey: false },
);
slotSchema.index({ hallId: 1, groupId: 1, date: 1 });
slotSchema.index({ 'holders.at': 1 });

const ticketSchema = new Schema<TicketDocument>(
  {
    _id: { type: String, required: true },
    hallId: { type: String, required: true },
    groupId: { type: String, required: true },
    date: { type: String, required: true },
    seq: { type: Number, required: true },
    number: { type: String, required: true },
    bookingId: { type: String, required: true },
    platformId: { type: String, required: true },
    userId: { type: String, required: true },
    userKey: { type: String, required: true },
    status: { type: String, enum: TICKET_STATUSES, required: true },
    issuedAt: { type: Date, required: true },
    window: String,
    calledAt: Date,
  },
  { collection: 'queueTickets', versionKey: false },
);
ticketSchema.index({ hallId: 1, date: 1, groupId: 1, status: 1, seq: 1 });
ticketSchema.index({ userKey: 1, date: 1 });

const counterSchema = new Schema<CounterDocument>({ _id: { type: String, required: true }, seq: { type: Number, required: true } }, { collection: 'appointmentCounters', versionKey: false });

export function appointmentModels(connection: Connection): AppointmentModels {
  const model = <T>(name: string, schema: Schema<T>): Model<T> => (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
  return {
    bookings: model('Appointment', bookingSchema),
    slots: model('AppointmentSlot', slotSchema),
    tickets: model('QueueTicket', ticketSchema),
    counters: model('AppointmentCounter', counterSchema),
  };
}

export async function initAppointmentModels(models: AppointmentModels): Promise<void> {
  await Promise.all([models.bookings.init(), models.slots.init(), models.tickets.init(), models.counters.init()]);
}

export function slotIdOf(hallId: string, groupId: string, date: LocalDate, time: string): string {
  return `${hallId}|${groupId}|${date}|${time}`;
}

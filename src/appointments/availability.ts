/**
 * Free seats as a citizen choosing a time sees them: the days of the booking horizon, each with
 * its status (open, a holiday, a local closure …) and the slots that can still be booked now
 * (not past, not inside the lead time) with their remaining seats. Read from the slot documents;
 * the seat is only decided when it is taken (seats.ts), so a number shown may be gone by the tap.
 */
import type { DayStatus, Service } from './calendar/hallCalendar.js';
import { formatClock, instantOf, localDateOf, type LocalDate } from './calendar/localTime.js';
import type { Bookings } from './bookings.js';
import { slotIdOf } from './model.js';

export interface SlotView {
  date: LocalDate;
  minutes: number;
  time: string;
  startsAt: Date;
  seats: number;
  free: number;
}

export interface DayView {
  date: LocalDate;
  status: DayStatus;
  /** Start of every slot of the day (minutes), bookable now or not. */
  starts: number[];
  /** The slots that can still be booked now, full ones included. */
  slots: SlotView[];
  free: number;
}

export class Availability {
  constructor(private readonly bookings: Bookings) {}

  /** Every day of the horizon seen from `now`. */
  async days(service: Service, now: Date): Promise<DayView[]> {
    const { calendar, zone } = this.bookings.clock;
    return this.views(service, calendar.horizon(service.hall, localDateOf(now, zone)), now);
  }

  async day(service: Service, date: LocalDate, now: Date): Promise<DayView> {
    return (await this.views(service, [date], now))[0] as DayView;
  }

  private async views(service: Service, dates: LocalDate[], now: Date): Promise<DayView[]> {
    const { calendar, rules, zone } = this.bookings.clock;
    const taken = await this.bookings.seats.taken(service.hall.hallId, service.group.id, dates);
    const earliest = now.getTime() + rules.leadMinutes * 60_000;
    const seats = service.group.seatsPerSlot;
    return dates.map((date) => {
      const starts = calendar.slotStarts(service, date);
      const slots = starts
        .map((minutes): SlotView => {
          const time = formatClock(minutes);
          const used = taken.get(slotIdOf(service.hall.hallId, service.group.id, date, time)) ?? 0;
          return { date, minutes, time, startsAt: instantOf(date, minutes, zone), seats, free: Math.max(0, seats - used) };
        })
        .filter((slot) => slot.startsAt.getTime() >= earliest);
      return { date, status: calendar.day(service, date), starts, slots, free: slots.reduce((sum, slot) => sum + slot.free, 0) };
    });
  }
}

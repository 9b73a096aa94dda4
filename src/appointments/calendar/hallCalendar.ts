/**
 * When each window group of each hall takes bookings: the country's calendar (holidays, make-up
 * working days), the hall's local closures and extra days, then the opening hours of the hall
 * or of the group for that day, cut into slots of the hall's slot length. Pure: no clock, no I/O.
 */
import type { AppointmentContent } from '../content/load.js';
import { WEEKDAY_KEYS, type ClockRange, type HallCapacity, type Hours, type WindowGroup } from '../content/schema.js';
import { addDays, weekdayOf, type LocalDate } from './localTime.js';
import type { NationalCalendar } from './nationalCalendar.js';

export type DayStatus =
  | { open: true; ranges: ClockRange[]; /** Set on a local extra day: why it is open. */ note?: string }
  | { open: false; reason: 'holiday'; holiday: string }
  | { open: false; reason: 'closure'; note: string }
  | { open: false; reason: 'closed' };

export interface Service {
  hall: HallCapacity;
  group: WindowGroup;
}

function hoursFor(hours: Hours | undefined, key: keyof Hours): ClockRange[] | undefined {
  return hours?.[key];
}

export class HallCalendar {
  private readonly halls: Map<string, HallCapacity>;

  constructor(
    private readonly content: AppointmentContent,
    readonly national: NationalCalendar,
  ) {
    this.halls = new Map(content.halls.map((hall) => [hall.hallId, hall]));
  }

  /** The halls that take appointments. */
  hallIds(): string[] {
    return [...this.halls.keys()];
  }

  hall(hallId: string): HallCapacity | undefined {
    return this.halls.get(hallId);
  }

  group(hallId: string, groupId: string): WindowGroup | undefined {
    return this.halls.get(hallId)?.groups.find((group) => group.id === groupId);
  }

  /** The group of a hall that has `window`. */
  groupOfWindow(hallId: string, window: string): WindowGroup | undefined {
    return this.halls.get(hallId)?.groups.find((group) => group.windows.includes(window));
  }

  /** Every hall and group that books `itemCode`, in content order. */
  servicesFor(itemCode: string): Service[] {
    return this.content.halls.flatMap((hall) => hall.groups.filter((group) => group.items.includes(itemCode)).map((group) => ({ hall, group })));
  }

  serviceAt(itemCode: string, hallId: string): Service | undefined {
    return this.servicesFor(itemCode).find((service) => service.hall.hallId === hallId);
  }

  day(service: Service, date: LocalDate): DayStatus {
    const { hall, group } = service;
    const applies = (halls: string[] | undefined): boolean => halls === undefined || halls.includes(hall.hallId);
    const closure = this.content.calendar.closures.find((entry) => entry.date === date && applies(entry.halls));
    if (closure) return { open: false, reason: 'closure', note: closure.reason };
    const extra = this.content.calendar.extraDays.find((entry) => entry.date === date && applies(entry.halls) && (entry.groups === undefined || entry.groups.includes(group.id)));
    if (extra) return openOrClosed(extra.hours ?? weekdayHours(hall, group, date), extra.reason);
    const national = this.national.day(date);
    switch (national.kind) {
      case 'holiday':
        return { open: false, reason: 'holiday', holiday: national.holiday };
      case 'makeupWorkday':
        return openOrClosed(hoursFor(group.hours, 'weekdays') ?? hoursFor(hall.hours, 'weekdays'));
      case 'weekday':
        return openOrClosed(weekdayHours(hall, group, date));
      case 'saturday':
      case 'sunday':
        return openOrClosed(hoursFor(group.hours, national.kind) ?? hoursFor(hall.hours, national.kind));
    }
  }

  /** Start times (minutes since midnight) of the day's slots; none on a closed day. */
  slotStarts(service: Service, date: LocalDate): number[] {
    const status = this.day(service, date);
    if (!status.open) return [];
    const length = service.hall.slotMinutes;
    return status.ranges.flatMap((range) => {
      const starts: number[] = [];
      for (let start = range.start; start + length <= range.end; start += length) starts.push(start);
      return starts;
    });
  }

  /**
   * The days a booking may fall on, seen from `today`: today and every day up to the hall's
   * horizon-th working day after it (closed days included; the caller says why they are closed).
   */
  horizon(hall: HallCapacity, today: LocalDate): LocalDate[] {
    const days = [today];
    let working = 0;
    for (let date = addDays(today, 1); working < hall.horizonWorkingDays; date = addDays(date, 1)) {
      days.push(date);
      if (this.national.isWorkingDay(date)) working += 1;
    }
    return days;
  }
}

function weekdayHours(hall: HallCapacity, group: WindowGroup, date: LocalDate): ClockRange[] | undefined {
  const key = WEEKDAY_KEYS[weekdayOf(date)] as keyof Hours;
  return hoursFor(group.hours, key) ?? hoursFor(hall.hours, key) ?? hoursFor(group.hours, 'weekdays') ?? hoursFor(hall.hours, 'weekdays');
}

function openOrClosed(ranges: ClockRange[] | undefined, note?: string): DayStatus {
  if (!ranges || ranges.length === 0) return { open: false, reason: 'closed' };
  return note === undefined ? { open: true, ranges } : { open: true, ranges, note };
}

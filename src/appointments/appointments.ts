/**
 * Appointments assembled: the hall calendar from content and the national calendar, the stored
 * models, and the services the conversation and the staff endpoints use. `clock` is the one
 * clock of the district's time for everything here (tests move it).
 */
import type { Connection } from 'mongoose';
import type { Catalog } from '../catalog/catalog.js';
import { Availability } from './availability.js';
import { Bookings } from './bookings.js';
import { HallCalendar } from './calendar/hallCalendar.js';
import { localDateOf, type LocalDate } from './calendar/localTime.js';
import { NationalCalendar } from './calendar/nationalCalendar.js';
import { BookingChanges } from './changes.js';
import { loadAppointmentContent, type AppointmentContent } from './content/load.js';
import type { BookingRules } from './content/schema.js';
import { loadWording, type AppointmentWording } from './content/wording.js';
import { appointmentModels, initAppointmentModels, type AppointmentModels } from './model.js';
import { HallQueue } from './queue.js';

export interface Appointments {
  calendar: HallCalendar;
  rules: BookingRules;
  /** The district's time zone (TIMEZONE). */
  zone: string;
  models: AppointmentModels;
  bookings: Bookings;
  changes: BookingChanges;
  availability: Availability;
  queue: HallQueue;
  /** How citizens say they want to book or reschedule. */
  wording: AppointmentWording;
  today(now: Date): LocalDate;
}

export function createAppointments(connection: Connection, content: AppointmentContent, wording: AppointmentWording, zone: string, national = NationalCalendar.load()): Appointments {
  const calendar = new HallCalendar(content, national);
  const models = appointmentModels(connection);
  const bookings = new Bookings(models, { calendar, rules: content.rules, zone });
  return {
    calendar,
    rules: content.rules,
    zone,
    models,
    bookings,
    changes: new BookingChanges(bookings),
    availability: new Availability(bookings),
    queue: new HallQueue(models),
    wording,
    today: (now) => localDateOf(now, zone),
  };
}

/** Loads the content under `intentsDir`, creates the collections' indexes. */
export async function setUpAppointments(connection: Connection, intentsDir: string, catalog: Catalog, zone: string): Promise<Appointments> {
  const appointments = createAppointments(connection, loadAppointmentContent(intentsDir, catalog), loadWording(intentsDir), zone);
  await initAppointmentModels(appointments.models);
  return appointments;
}

/**
 * Appointments on a test store (the embedded one, or MONGODB_URI's) with the real content and a
 * clock the test moves: `store.now` is what every service sees as the present.
 */
import { resolve } from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { loadCatalog, type Catalog } from '../../src/catalog/catalog.js';
import { createAppointments, type Appointments } from '../../src/appointments/appointments.js';
import { instantOf } from '../../src/appointments/calendar/localTime.js';
import { loadAppointmentContent } from '../../src/appointments/content/load.js';
import { initAppointmentModels } from '../../src/appointments/model.js';
import { loadWording } from '../../src/appointments/content/wording.js';
import type { Service } from '../../src/appointments/calendar/hallCalendar.js';
import type { PlatformUser } from '../../src/channels/identity.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

export const ZONE = 'Asia/Shanghai';

/** A citizen: a number on a platform (the CT/CU one unless said). */
export function citizen(userId: string, platformId = 'ctcu'): PlatformUser {
  return { platformId, userId };
}
export const INTENTS = resolve('intents');

/** A Shenzhen wall-clock moment: at('2026-12-03', '10:00'). */
export function at(date: string, time: string): Date {
  const [hours, minutes] = time.split(':').map(Number);
  return instantOf(date, (hours ?? 0) * 60 + (minutes ?? 0), ZONE);
}

let catalog: Catalog | undefined;
export function testCatalog(): Catalog {
  catalog ??= loadCatalog(INTENTS);
  return catalog;
}

export interface AppointmentStore {
  appointments: Appointments;
  connection: Connection;
  mongo: TestMongo;
  now: Date;
  service(itemCode: string, hallId?: string): Service;
  close(): Promise<void>;
}

export async function startAppointmentStore(name: string, now = at('2026-12-03', '10:00')): Promise<AppointmentStore> {
  const mongo = await startTestMongo({ name });
  const connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
  const appointments = createAppointments(connection, loadAppointmentContent(INTENTS, testCatalog()), loadWording(INTENTS), ZONE);
  await initAppointmentModels(appointments.models);
  const store: AppointmentStore = {
    appointments,
    connection,
    mongo,
    now,
    service(itemCode, hallId) {
      const services = appointments.calendar.servicesFor(itemCode);
      const found = hallId === undefined ? services[0] : services.find((service) => service.hall.hallId === hallId);
      if (!found) throw new Error(`no service for ${itemCode} at ${hallId ?? 'any hall'}`);
      return found;
    },
    async close() {
      await connection.close();
      await mongo.close();
    },
  };
  return store;
}

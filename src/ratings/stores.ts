/**
 * The stores of 好差评, made with the conversation (its flows record services and take answers):
 * the ledger, the rectification tasks with their deadline rule, and the names of the levels.
 */
import type { Connection } from 'mongoose';
import type { RatingServices } from './ledger.js';
import { LevelNames } from './levels.js';
import { MongoRatingLedger } from './mongoLedger.js';
import { RectificationStore } from './rectifications.js';
import { weekdaysCalendar, type WorkingDayCalendar } from './workingDays.js';

export interface RatingConfig {
  TIMEZONE: string;
  RATING_IDLE_MINUTES: number;
  RATING_QUIET_HOURS: string;
  RECTIFICATION_WORKING_DAYS: number;
}

export interface RatingStores {
  ledger: MongoRatingLedger;
  rectifications: RectificationStore;
  levels: LevelNames;
  /** What the conversation's flows get. */
  services: RatingServices;
}

export async function createRatingStores(connection: Connection, config: RatingConfig, cardsDir: string, calendar: WorkingDayCalendar = weekdaysCalendar): Promise<RatingStores> {
  const levels = LevelNames.load(cardsDir);
  const rectifications = new RectificationStore(connection, { workingDays: config.RECTIFICATION_WORKING_DAYS, calendar, timeZone: config.TIMEZONE });
  const ledger = new MongoRatingLedger(connection, rectifications, config.TIMEZONE);
  await ledger.init();
  return { ledger, rectifications, levels, services: { ledger, levels, idleMs: config.RATING_IDLE_MINUTES * 60_000, workingDays: config.RECTIFICATION_WORKING_DAYS } };
}

/**
 * A month of services and ratings, generated with a fixed seed at about the district report's
 * scale (a third rated, nearly all good), and the statistics expected of them computed here
 * plainly, record by record — the district day by adding eight hours, no code of the bot's —
 * to hold the store's aggregation to.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RatingLevel } from '../../src/ratings/levels.js';
import type { NewService } from '../../src/ratings/records.js';
import { seededRandom } from '../../src/util/seededRandom.js';

export interface GeneratedService {
  record: NewService;
  /** The district day, computed here. */
  day: string;
  level?: RatingLevel;
}

interface Counts {
  services: number;
  rated: number;
  good: number;
  ratingRate: number | null;
  goodRate: number | null;
  levels: Record<string, number>;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const items = (JSON.parse(readFileSync(resolve('intents/catalog/services.json'), 'utf8')) as { items: Array<{ code: string; hallId: string }> }).items;

/** Local wall-clock time in Shenzhen → the instant. */
function shenzhen(day: string, minute: number, second = 0): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) + minute * 60_000 + second * 1000 - SHANGHAI_OFFSET_MS);
}

function level(random: () => number): RatingLevel {
  const draw = random();
  return draw < 0.8 ? 5 : draw < 0.95 ? 4 : draw < 0.995 ? 3 : draw < 0.998 ? 2 : 1;
}

export function generateMonth(seed: number, channels: string[]): GeneratedService[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const month: GeneratedService[] = [];
  const add = (servedAt: Date, rated: boolean, forced?: RatingLevel): void => {
    const index = month.length;
    const channel = pick(channels);
    const userId = `tel:+8615${String(index).padStart(9, '0')}`;
    const handoff = random() < 0.15;
    const item = handoff && random() < 0.3 ? undefined : pick(items);
    const record: NewService = {
      _id: `generated|${index}`,
      kind: handoff ? 'handoff' : 'guide',
      userKey: `${channel}|${userId}`,
      userId,
      platformId: channel,
      ...(item ? { item: item.code, hallId: item.hallId } : {}),
      servedAt,
      askAfter: new Date(servedAt.getTime() + 600_000),
    };
    const day = new Date(servedAt.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
    month.push({ record, day, ...(rated ? { level: forced ?? level(random) } : {}) });
  };
  for (let date = 1; date <= 30; date++) {
    const day = `2025-11-${String(date).padStart(2, '0')}`;
    const count = 15 + Math.floor(random() * 20);
    for (let each = 0; each < count; each++) add(shenzhen(day, Math.floor(random() * 1440), Math.floor(random() * 60)), random() < 0.31);
  }
  // The edges of days and of the month, in the district's time.
  add(shenzhen('2025-11-10', 0), true, 5);
  add(shenzhen('2025-11-09', 1439, 59), true, 4);
  add(shenzhen('2025-11-12', 1439, 59), true, 2);
  add(shenzhen('2025-11-13', 0), false);
  add(shenzhen('2025-12-01', 0), true, 1);
  add(shenzhen('2025-10-31', 1439, 59), true, 5);
  return month;
}

function count(services: GeneratedService[]): Counts {
  const rated = services.filter((service) => service.level !== undefined);
  const good = rated.filter((service) => (service.level ?? 0) >= 3).length;
  const levels: Record<string, number> = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
  for (const service of rated) levels[String(service.level)] = (levels[String(service.level)] ?? 0) + 1;
  return {
    services: services.length,
    rated: rated.length,
    good,
    ratingRate: services.length === 0 ? null : rated.length / services.length,
    goodRate: rated.length === 0 ? null : good / rated.length,
    levels,
  };
}

const KEY: Record<string, (service: GeneratedService) => string> = {
  level: (service) => String(service.level),
  item: (service) => String(service.record.item ?? null),
  hall: (service) => String(service.record.hallId ?? null),
  day: (service) => service.day,
  channel: (service) => service.record.platformId,
  kind: (service) => service.record.kind,
};

/** Totals, and the counts of each group that has services, keyed as the API's keys read as strings. */
export function expectedStats(month: GeneratedService[], from: string, to: string, groupBy?: string): { totals: Counts; groups: Record<string, Counts> } {
  const inRange = month.filter((service) => service.day >= from && service.day <= to);
  const groups: Record<string, GeneratedService[]> = {};
  if (groupBy) {
    const members = groupBy === 'level' ? inRange.filter((service) => service.level !== undefined) : inRange;
    const keyOf = KEY[groupBy] as (service: GeneratedService) => string;
    for (const service of members) (groups[keyOf(service)] ??= []).push(service);
  }
  return { totals: count(inRange), groups: Object.fromEntries(Object.entries(groups).map(([key, services]) => [key, count(services)])) };
}

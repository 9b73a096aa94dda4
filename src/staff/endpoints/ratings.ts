/**
 * 好差评 over the staff API: the ratings themselves, filtered, and the statistics over a range
 * of the district's days — in total and grouped by level, item, hall, day, channel or kind — as
 * JSON or CSV.
 */
import { z } from 'zod';
import type { Catalog } from '../../catalog/catalog.js';
import { InvalidRequestError } from '../../http/errors.js';
import { addDays, dayOf, LOCAL_DAY, type LocalDay } from '../../ratings/days.js';
import { RATING_LEVELS, toLevel, type RatingLevel } from '../../ratings/levels.js';
import { SERVICE_KINDS } from '../../ratings/records.js';
import { listRatings, type RatedService } from '../../ratings/ratingList.js';
import type { Ratings } from '../../ratings/setup.js';
import { STATS_GROUPS, type RatingStats, type StatsGroupBy } from '../../ratings/stats.js';
import { toCsv } from '../../util/csv.js';
import { endpoint, type Endpoint } from '../api.js';

/** The longest range one question may ask about. */
const MAX_RANGE_DAYS = 366;
/** The range when none is given: the last 30 days, today included. */
const DEFAULT_RANGE_DAYS = 30;

const day = z.string().regex(LOCAL_DAY, 'must be a day like 2026-12-03');

/** The query's `from` and `to` (district days, both included). */
const rangeFields = { from: day.optional(), to: day.optional() };

/**
 * The range asked for, the last 30 days when not said; checked here rather than in the schema,
 * since a query schema is one plain object (so the OpenAPI document can list its parameters).
 */
export function dayRange(query: { from?: LocalDay; to?: LocalDay }, today: LocalDay): { from: LocalDay; to: LocalDay } {
  const to = query.to ?? today;
  const from = query.from ?? addDays(to, 1 - DEFAULT_RANGE_DAYS);
  if (from > to) throw new InvalidRequestError('query.from: must not be after to');
  if (addDays(from, MAX_RANGE_DAYS - 1) < to) throw new InvalidRequestError(`query.to: at most ${MAX_RANGE_DAYS} days after from`);
  return { from, to };
}

const levelCounts = z.object(Object.fromEntries(RATING_LEVELS.map((level) => [String(level), z.number().int()])) as Record<'1' | '2' | '3' | '4' | '5', z.ZodNumber>);
const counts = z.object({
  services: z.number().int(),
  rated: z.number().int(),
  good: z.number().int(),
  ratingRate: z.number().nullable(),
  goodRate: z.number().nullable(),
  levels: levelCounts,
});
const statsSchema = z
  .object({
    from: z.string(),
    to: z.string(),
    totals: counts,
    groupBy: z.enum(STATS_GROUPS).optional(),
    groups: z.array(counts.extend({ key: z.string().nullable(), label: z.string().nullable() })),
  })
  .meta({ id: 'RatingStats' });
type StatsView = z.infer<typeof statsSchema>;

const ratingSchema = z
  .object({
    id: z.string(),
    kind: z.enum(SERVICE_KINDS),
    item: z.string().optional(),
    itemName: z.string().optional(),
    hallId: z.string().optional(),
    platformId: z.string(),
    userId: z.string(),
    day: z.string(),
    servedAt: z.date(),
    level: z.literal(RATING_LEVELS),
    levelName: z.string(),
    comment: z.string().optional(),
    ratedAt: z.date(),
    question: z.string().optional(),
  })
  .meta({ id: 'Rating' });

export interface RatingViews {
  catalog: Catalog;
  levelName(level: RatingLevel): string;
}

/** A group's key as staff read it: the item's or hall's name, the level's name. */
export function groupLabel(views: RatingViews, groupBy: StatsGroupBy | undefined, key: string | null): string | null {
  if (key === null) return null;
  if (groupBy === 'item') return views.catalog.item(key)?.name ?? key;
  if (groupBy === 'hall') return views.catalog.hall(key)?.name ?? key;
  const level = groupBy === 'level' ? toLevel(key) : undefined;
  return level === undefined ? key : views.levelName(level);
}

export function statsView(views: RatingViews, stats: RatingStats): StatsView {
  return { ...stats, groups: stats.groups.map((group) => ({ ...group, label: groupLabel(views, stats.groupBy, group.key) })) };
}

function ratingView(views: RatingViews, service: RatedService): z.infer<typeof ratingSchema> {
  const { rating } = service;
  return {
    id: service._id,
    kind: service.kind,
    ...(service.item ? { item: service.item, itemName: views.catalog.item(service.item)?.name ?? service.item } : {}),
    ...(service.hallId ? { hallId: service.hallId } : {}),
    platformId: service.platformId,
    userId: service.userId,
    day: service.day,
    servedAt: service.servedAt,
    level: rating.level,
    levelName: views.levelName(rating.level),
    ...(rating.comment ? { comment: rating.comment } : {}),
    ratedAt: rating.at,
    ...(service.invitation ? { question: service.invitation } : {}),
  };
}

const CSV_COLUMNS = ['key', 'label', 'services', 'rated', 'good', 'ratingRate', 'goodRate', ...RATING_LEVELS.map((level) => `level${level}`)];

/** The statistics as a spreadsheet: a line per group, the totals last. */
export function statsCsv(stats: StatsView): string {
  const line = (key: string, label: string | null, row: z.infer<typeof counts>): Record<string, string> => {
    const cells: Array<string | number | null> = [key, label, row.services, row.rated, row.good, row.ratingRate, row.goodRate, ...RATING_LEVELS.map((level) => row.levels[level])];
    return Object.fromEntries(CSV_COLUMNS.map((column, index) => [column, cells[index] === null || cells[index] === undefined ? '' : String(cells[index])]));
  };
  return toCsv(CSV_COLUMNS, [...stats.groups.map((group) => line(group.key ?? '', group.label, group)), line('total', null, stats.totals)]);
}

export function statsCsvName(stats: StatsView): string {
  return `ratings-${stats.groupBy ?? 'total'}-${stats.from}-${stats.to}.csv`;
}

export function ratingEndpoints(ratings: Ratings, catalog: Catalog, timeZone: string): Endpoint[] {
  const views: RatingViews = { catalog, levelName: (level) => ratings.stores.levels.name(level) };
  const today = (): LocalDay => dayOf(ratings.desk.now(), timeZone);
  return [
    endpoint({
      method: 'get',
      path: '/admin/ratings',
      summary: 'List ratings',
      tag: 'ratings',
      roles: ['agent', 'content'],
      query: z.object({
        level: z
          .string()
          .regex(/^[1-5](,[1-5])*$/, 'levels 1 to 5, comma-separated')
          .transform((value) => value.split(',').map((each) => toLevel(each) as RatingLevel))
          .optional(),
        item: z.string().optional(),
        hall: z.string().optional(),
        channel: z.string().optional(),
        kind: z.enum(SERVICE_KINDS).optional(),
        commented: z.enum(['true', 'false']).transform((value) => value === 'true').optional(),
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        ...rangeFields,
      }),
      response: z.array(ratingSchema),
      async handle({ query }) {
        const { level, from, to, ...rest } = query;
        const found = await listRatings(ratings.stores.ledger.services, { ...rest, ...dayRange({ from, to }, today()), ...(level ? { levels: level } : {}) });
        return found.map((service) => ratingView(views, service));
      },
    }),
    endpoint({
      method: 'get',
      path: '/admin/ratings/stats',
      summary: 'Rating statistics over a range of days',
      tag: 'ratings',
      roles: ['agent', 'content'],
      query: z.object({ groupBy: z.enum(STATS_GROUPS).optional(), ...rangeFields }),
      response: statsSchema,
      alternatives: { 'text/csv': { render: statsCsv, filename: statsCsvName } },
      async handle({ query }) {
        const { groupBy, ...range } = query;
        return statsView(views, await ratings.statistics.compute({ ...dayRange(range, today()), ...(groupBy ? { groupBy } : {}) }));
      },
    }),
  ];
}

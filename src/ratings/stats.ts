/**
 * Statistics of 好差评 over a range of the district's days: services, rated services, the
 * rating rate (rated / services), good ratings (基本满意 and better) and the good rate (good /
 * rated), the count at each level — in total and by level, item, hall, day, channel (the
 * platform) or kind of service. Computed by the store in one pass per question; a day range of
 * the services' own days, so a service and its rating count on the day it was served.
 */
import type { Model, PipelineStage } from 'mongoose';
import { daysBetween, type LocalDay } from './days.js';
import { RATING_LEVELS } from './levels.js';
import type { ServiceRecord } from './records.js';

export const STATS_GROUPS = ['level', 'item', 'hall', 'day', 'channel', 'kind'] as const;
export type StatsGroupBy = (typeof STATS_GROUPS)[number];

export type LevelCounts = Record<'1' | '2' | '3' | '4' | '5', number>;

export interface Counts {
  services: number;
  rated: number;
  good: number;
  /** rated / services; null without services. */
  ratingRate: number | null;
  /** good / rated; null without ratings. */
  goodRate: number | null;
  levels: LevelCounts;
}

/** One group; `key` null for services without one (a handoff about no item has no item or hall). For `level`, a group is the ratings at that level. */
export type StatsGroup = Counts & { key: string | null };

export interface RatingStats {
  from: LocalDay;
  to: LocalDay;
  totals: Counts;
  groupBy?: StatsGroupBy;
  groups: StatsGroup[];
}

const KEYS: Record<StatsGroupBy, string> = { level: '$rating.level', item: '$item', hall: '$hallId', day: '$day', channel: '$platformId', kind: '$kind' };

const level = { $ifNull: ['$rating.level', 0] };
const ACCUMULATORS = {
  services: { $sum: 1 },
  rated: { $sum: { $cond: [{ $gt: [level, 0] }, 1, 0] } },
  good: { $sum: { $cond: [{ $gte: [level, 3] }, 1, 0] } },
  ...Object.fromEntries(RATING_LEVELS.map((each) => [`level${each}`, { $sum: { $cond: [{ $eq: [level, each] }, 1, 0] } }])),
};

type Grouped = { _id: unknown; services: number; rated: number; good: number } & Record<`level${1 | 2 | 3 | 4 | 5}`, number>;

function counts(row: Omit<Grouped, '_id'> | undefined): Counts {
  const services = row?.services ?? 0;
  const rated = row?.rated ?? 0;
  const good = row?.good ?? 0;
  return {
    services,
    rated,
    good,
    ratingRate: services === 0 ? null : rated / services,
    goodRate: rated === 0 ? null : good / rated,
    levels: { 1: row?.level1 ?? 0, 2: row?.level2 ?? 0, 3: row?.level3 ?? 0, 4: row?.level4 ?? 0, 5: row?.level5 ?? 0 },
  };
}

export class RatingStatistics {
  constructor(private readonly services: Model<ServiceRecord>) {}

  async compute(range: { from: LocalDay; to: LocalDay; groupBy?: StatsGroupBy }): Promise<RatingStats> {
    const match: PipelineStage.Match = { $match: { day: { $gte: range.from, $lte: range.to } } };
    const [totals] = await this.services.aggregate<Grouped>([match, { $group: { _id: null, ...ACCUMULATORS } }]).exec();
    const stats: RatingStats = { from: range.from, to: range.to, totals: counts(totals), groups: [] };
    if (!range.groupBy) return stats;
    const groupBy = range.groupBy;
    const pipeline: PipelineStage[] = [match];
    if (groupBy === 'level') pipeline.push({ $match: { rating: { $exists: true } } });
    pipeline.push({ $group: { _id: KEYS[groupBy], ...ACCUMULATORS } });
    const rows = await this.services.aggregate<Grouped>(pipeline).exec();
    const byKey = new Map(rows.map((row) => [row._id === null || row._id === undefined ? null : String(row._id), row]));
    // Every day and every level is shown, with nothing in it if need be: a chart needs the gaps.
    const keys: Array<string | null> =
      groupBy === 'day' ? daysBetween(range.from, range.to) : groupBy === 'level' ? RATING_LEVELS.map(String) : [...byKey.keys()].sort((a, b) => (byKey.get(b)?.services ?? 0) - (byKey.get(a)?.services ?? 0) || String(a).localeCompare(String(b)));
    return { ...stats, groupBy, groups: keys.map((key) => ({ key, ...counts(byKey.get(key)) })) };
  }
}

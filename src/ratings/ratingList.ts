/** The ratings themselves, for staff: rated services in a range of days, filtered, newest rating first. */
import type { Model } from 'mongoose';
import type { LocalDay } from './days.js';
import type { RatingLevel } from './levels.js';
import type { ServiceKind, ServiceRecord } from './records.js';

export interface RatingFilter {
  from: LocalDay;
  to: LocalDay;
  levels?: readonly RatingLevel[];
  item?: string;
  hall?: string;
  channel?: string;
  kind?: ServiceKind;
  /** Only those with a comment. */
  commented?: boolean;
  limit: number;
}

export type RatedService = ServiceRecord & { rating: NonNullable<ServiceRecord['rating']> };

export function listRatings(services: Model<ServiceRecord>, filter: RatingFilter): Promise<RatedService[]> {
  const query: Record<string, unknown> = { day: { $gte: filter.from, $lte: filter.to }, rating: { $exists: true } };
  if (filter.levels) query['rating.level'] = { $in: filter.levels };
  if (filter.item) query.item = filter.item;
  if (filter.hall) query.hallId = filter.hall;
  if (filter.channel) query.platformId = filter.channel;
  if (filter.kind) query.kind = filter.kind;
  if (filter.commented) query['rating.comment'] = { $exists: true };
  return services.find(query).sort({ 'rating.at': -1 }).limit(filter.limit).lean<RatedService[]>().exec();
}

/**
 * The frequency cap: a contact number gets at most `max` campaign messages in any `days` days,
 * whichever campaigns they come from. Each number has one document listing its latest campaign
 * messages, newest first; a campaign reserves its message with one conditional update per number
 * that succeeds only while the max-th newest is older than the window — atomic per number, so
 * two campaigns dispatching at once cannot both take the last place. A reservation is kept: a
 * dispatcher that crashes and runs the batch again finds its own and goes on.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import { isDuplicateKey } from '../db/duplicateKey.js';

export interface FrequencyCapSettings {
  max: number;
  days: number;
}

interface Touch {
  campaignId: string;
  at: Date;
}

interface QuotaDocument {
  /** The contact number, `tel:+86…`. */
  _id: string;
  /** Newest first. */
  touches: Touch[];
}

const DAY_MS = 86_400_000;

export class FrequencyCap {
  readonly model: Model<QuotaDocument>;
  private readonly kept: number;

  constructor(
    connection: Connection,
    readonly settings: FrequencyCapSettings,
  ) {
    const schema = new Schema<QuotaDocument>({ _id: String, touches: { type: Schema.Types.Mixed, default: () => [] } }, { collection: 'contactQuota', versionKey: false });
    this.model = (connection.models.ContactQuota as Model<QuotaDocument> | undefined) ?? connection.model<QuotaDocument>('ContactQuota', schema);
    this.kept = Math.max(20, settings.max * 2);
  }

  private since(now: Date): Date {
    return new Date(now.getTime() - this.settings.days * DAY_MS);
  }

  /** Of `phones`, those the campaign may message (each reserved now, or already reserved by it). */
  async reserve(campaignId: string, phones: string[], now: Date): Promise<Set<string>> {
    const allowed = new Set<string>();
    if (phones.length === 0) return allowed;
    const since = this.since(now);
    const known = new Map((await this.model.find({ _id: { $in: phones } }).lean<QuotaDocument[]>()).map((row) => [row._id, row.touches]));
    const candidates: string[] = [];
    for (const phone of phones) {
      const touches = known.get(phone) ?? [];
      if (touches.some((touch) => touch.campaignId === campaignId)) allowed.add(phone);
      else if (touches.filter((touch) => new Date(touch.at) >= since).length < this.settings.max) candidates.push(phone);
    }
    if (candidates.length === 0) return allowed;
    const operations: AnyBulkWriteOperation<Document>[] = candidates.map((phone) => ({
      updateOne: {
        filter: { _id: phone, [`touches.${this.settings.max - 1}.at`]: { $not: { $gte: since } }, 'touches.campaignId': { $ne: campaignId } } as Document,
        update: { $push: { touches: { $each: [{ campaignId, at: now }], $sort: { at: -1 }, $slice: this.kept } } } as Document,
        upsert: true,
      },
    }));
    try {
      await this.model.collection.bulkWrite(operations, { ordered: false });
    } catch (error) {
      // A number whose document exists but is at the cap (or was just taken by another campaign)
      // fails its upsert with a duplicate key: that number is capped. Anything else is a failure.
      const failures = (error as { writeErrors?: unknown[] }).writeErrors;
      if (!Array.isArray(failures) || !failures.every((failure) => isDuplicateKey((failure as { err?: unknown }).err ?? failure))) throw error;
    }
    const after = await this.model.find({ _id: { $in: candidates }, 'touches.campaignId': campaignId }, { _id: 1 }).lean<Array<Pick<QuotaDocument, '_id'>>>();
    for (const row of after) allowed.add(row._id);
    return allowed;
  }

  /** Numbers at the cap now (for a preview): the max-th newest message is within the window. */
  async capped(now: Date): Promise<Set<string>> {
    const rows = await this.model.find({ [`touches.${this.settings.max - 1}.at`]: { $gte: this.since(now) } }, { _id: 1 }).lean<Array<Pick<QuotaDocument, '_id'>>>();
    return new Set(rows.map((row) => row._id));
  }
}

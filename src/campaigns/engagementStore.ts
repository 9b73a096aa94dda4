/**
 * Campaign engagement in MongoDB: each tap on a campaign card is a document keyed by the inbound
 * message that carried it (a turn run again records nothing twice); an opt-out is marked on the
 * recipient — the campaign the card named, or the latest campaign message that reached the
 * number within the attribution window.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import { CLICK_KINDS, type CampaignEngagement, type Click, type ClickKind } from './engagement.js';
import { recipientId, type RecipientModel } from './recipients.js';

interface ClickDocument extends Omit<Click, 'eventId'> {
  _id: string;
}

/** An opt-out written this long after a campaign message reached the number is counted for it. */
export const OPT_OUT_ATTRIBUTION_MS = 7 * 86_400_000;

export class MongoEngagement implements CampaignEngagement {
  readonly clicks: Model<ClickDocument>;

  constructor(
    connection: Connection,
    private readonly recipients: RecipientModel,
  ) {
    const schema = new Schema<ClickDocument>(
      { _id: String, campaignId: { type: String, required: true }, kind: { type: String, enum: CLICK_KINDS, required: true }, platformId: String, userId: String, at: Date },
      { collection: 'campaignClicks', versionKey: false },
    );
    schema.index({ campaignId: 1, kind: 1 });
    this.clicks = (connection.models.CampaignClick as Model<ClickDocument> | undefined) ?? connection.model<ClickDocument>('CampaignClick', schema);
  }

  async init(): Promise<void> {
    await this.clicks.init();
  }

  async clicked({ eventId, ...click }: Click): Promise<void> {
    try {
      await this.clicks.collection.insertOne({ _id: eventId as never, ...click });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async optedOut(userId: string, at: Date, campaignId?: string): Promise<void> {
    if (campaignId !== undefined) {
      await this.recipients.updateOne({ _id: recipientId(campaignId, userId), optedOutAt: { $exists: false } }, { $set: { optedOutAt: at } });
      return;
    }
    const latest = await this.recipients
      .findOne({ phone: userId, queuedAt: { $gte: new Date(at.getTime() - OPT_OUT_ATTRIBUTION_MS), $lte: at } }, { _id: 1 })
      .sort({ queuedAt: -1 })
      .lean<{ _id: string }>();
    if (latest) await this.recipients.updateOne({ _id: latest._id, optedOutAt: { $exists: false } }, { $set: { optedOutAt: at } });
  }

  /** Taps on a campaign's cards by button. */
  async counts(campaignId: string): Promise<Record<ClickKind, number>> {
    const entries = await Promise.all(CLICK_KINDS.map(async (kind) => [kind, await this.clicks.countDocuments({ campaignId, kind })] as const));
    return Object.fromEntries(entries) as Record<ClickKind, number>;
  }
}

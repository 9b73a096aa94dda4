/**
 * A campaign's recipients: one document per (campaign, contact number), its `_id` the pair, so
 * the audience can be written again after a crash without doubling anyone. Dispatchers claim
 * pending recipients in batches with one conditional update (a claim id tells each process which
 * it won; a lease gives a crashed process's batch back), and record what became of each.
 */
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';

export const RECIPIENT_STATES = ['pending', 'claimed', 'queued', 'excluded', 'skipped'] as const;
export type RecipientState = (typeof RECIPIENT_STATES)[number];

/** Why a recipient got nothing: at send time (opted out, capped, complained), or the campaign ended first. */
export const SEND_EXCLUSIONS = ['optedOut', 'frequencyCap', 'complained'] as const;
export type SendExclusion = (typeof SEND_EXCLUSIONS)[number];
export const SKIP_REASONS = ['windowClosed', 'cancelled'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

export interface Recipient {
  /** campaignId|phone */
  _id: string;
  campaignId: string;
  /** `tel:+86…` */
  phone: string;
  /** The first enterprise (by credit code) it serves in the audience, and how many more. */
  enterprise: { creditCode: string; name: string };
  others: number;
  state: RecipientState;
  reason?: SendExclusion | SkipReason;
  claimId?: string;
  leaseUntil?: Date;
  claimedBy?: string;
  /** The process that handed it to the outbox (or excluded it). */
  dispatchedBy?: string;
  /** When it was handed to the outbox (the message's id follows from the dedupe key). */
  queuedAt?: Date;
  optedOutAt?: Date;
}

const recipientSchema = new Schema<Recipient>(
  {
    _id: { type: String, required: true },
    campaignId: { type: String, required: true },
    phone: { type: String, required: true },
    enterprise: { _id: false, creditCode: String, name: String },
    others: { type: Number, required: true },
    state: { type: String, enum: RECIPIENT_STATES, required: true },
    reason: String,
    claimId: String,
    leaseUntil: Date,
    claimedBy: String,
    dispatchedBy: String,
    queuedAt: Date,
    optedOutAt: Date,
  },
  { collection: 'campaignRecipients', versionKey: false },
);
// Claims (pending ones in order), counts by state, lease recovery.
recipientSchema.index({ campaignId: 1, state: 1, _id: 1 });
// An opt-out counted for the campaign that last reached the number; a campaign's opt-outs counted.
recipientSchema.index({ phone: 1, queuedAt: -1 });
recipientSchema.index({ campaignId: 1, optedOutAt: 1 });

export type RecipientModel = Model<Recipient>;

export function recipientModel(connection: Connection): RecipientModel {
  return (connection.models.CampaignRecipient as RecipientModel | undefined) ?? connection.model<Recipient>('CampaignRecipient', recipientSchema);
}

export function recipientId(campaignId: string, phone: string): string {
  return `${campaignId}|${phone}`;
}

export class RecipientClaims {
  constructor(
    private readonly model: RecipientModel,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /** Up to `max` pending recipients of the campaign, now this process's until the lease ends. */
  async claim(campaignId: string, max: number): Promise<Recipient[]> {
    const candidates = await this.model.find({ campaignId, state: 'pending' }).sort({ _id: 1 }).limit(max).lean<Recipient[]>();
    if (candidates.length === 0) return [];
    const claimId = randomUUID();
    const lease = { state: 'claimed' as const, claimId, leaseUntil: new Date(Date.now() + this.leaseMs), claimedBy: this.owner };
    const ids = candidates.map((candidate) => candidate._id);
    const result = await this.model.collection.updateMany({ _id: { $in: ids as never[] }, state: 'pending' }, { $set: lease });
    if (result.modifiedCount === candidates.length) return candidates.map((candidate) => ({ ...candidate, ...lease }));
    return this.model.find({ _id: { $in: ids }, claimId }).sort({ _id: 1 }).lean<Recipient[]>();
  }

  /** Records the outcome of claimed recipients (only while still held under this claim). */
  async settle(claimId: string, ids: string[], set: Partial<Pick<Recipient, 'state' | 'reason' | 'queuedAt'>>): Promise<void> {
    if (ids.length === 0) return;
    await this.model.collection.updateMany({ _id: { $in: ids as never[] }, claimId, state: 'claimed' }, { $set: { ...set, dispatchedBy: this.owner }, $unset: { claimId: '', leaseUntil: '', claimedBy: '' } });
  }

  /** Gives back the batches of processes that went away (their lease ran out); returns how many. */
  async recover(campaignId: string): Promise<number> {
    const result = await this.model.collection.updateMany(
      { campaignId, state: 'claimed', leaseUntil: { $lt: new Date() } },
      { $set: { state: 'pending' }, $unset: { claimId: '', leaseUntil: '', claimedBy: '' } },
    );
    return result.modifiedCount;
  }

  /** Recipients not yet handled (pending or claimed). */
  outstanding(campaignId: string): Promise<number> {
    return this.model.countDocuments({ campaignId, state: { $in: ['pending', 'claimed'] } }).exec();
  }

  /** The pending ones get nothing (the schedule's end came, or the campaign was cancelled). */
  async skipPending(campaignId: string, reason: SkipReason): Promise<number> {
    const result = await this.model.collection.updateMany({ campaignId, state: 'pending' }, { $set: { state: 'skipped', reason } });
    return result.modifiedCount;
  }
}

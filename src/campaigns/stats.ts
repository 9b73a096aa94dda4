/**
 * A campaign's statistics, read from where each fact lives: the audience as built (targeted,
 * build-time exclusions), the recipients (send-time exclusions, what is still to send, opt-outs),
 * the outbox and the delivery reports applied to it (queued, sent, delivered, displayed, SMS,
 * failed and why), and the taps on its cards. Every figure is a count over an index, so reading
 * them while a campaign of 100,000 runs costs a few milliseconds.
 */
import type { DeliveryStatus } from '../channels/model.js';
import type { OutboxModel } from '../outbox/model.js';
import type { ClickKind } from './engagement.js';
import type { MongoEngagement } from './engagementStore.js';
import type { CampaignDocument } from './model.js';
import { SEND_EXCLUSIONS, SKIP_REASONS, type RecipientModel, type SendExclusion, type SkipReason } from './recipients.js';

export interface CampaignStats {
  targeted: number;
  excluded: { notEligible: number; noNumber: number; duplicate: number; optedOut: number; frequencyCap: number; complained: number };
  /** Recipients the campaign did not reach because its schedule ended or it was cancelled. */
  skipped: { windowClosed: number; cancelled: number };
  /** Recipients not yet handed to the outbox. */
  pending: number;
  /** In the outbox, not yet taken by the platform. */
  queued: number;
  /** Taken by the platform (whatever happened next). */
  sent: number;
  /** Reached the phone as a 5G message (displayed ones included). */
  delivered: number;
  displayed: number;
  /** Reached a phone without 5G messaging as the fallback SMS. */
  deliveredAsSms: number;
  failed: number;
  failedReasons: Array<{ reason: string; count: number }>;
  clicks: Record<ClickKind, number> & { total: number };
  optOuts: number;
  at: Date;
}

const SENT_OR_LATER: DeliveryStatus[] = ['sent', 'delivered', 'displayed', 'deliveredToNetwork', 'revoked'];
const FAILED_REASONS_SHOWN = 10;

export interface StatsSources {
  outbox: OutboxModel;
  recipients: RecipientModel;
  engagement: MongoEngagement;
}

export async function campaignStats(campaign: CampaignDocument, sources: StatsSources, now = new Date()): Promise<CampaignStats> {
  const { outbox, recipients, engagement } = sources;
  const campaignId = campaign._id;
  const inOutbox = (status: DeliveryStatus | DeliveryStatus[]): Promise<number> => outbox.countDocuments({ campaignId, status: Array.isArray(status) ? { $in: status } : status }).exec();
  const withReason = (state: 'excluded' | 'skipped', reason: SendExclusion | SkipReason): Promise<number> => recipients.countDocuments({ campaignId, state, reason }).exec();
  const [queued, sentOrLater, failedAfterSending, delivered, displayed, sms, failed, pending, optOuts, clicks, reasons, sendExclusions, skips] = await Promise.all([
    inOutbox(['queued', 'sending']),
    inOutbox(SENT_OR_LATER),
    outbox.countDocuments({ campaignId, status: 'failed', sentAt: { $exists: true } }).exec(),
    inOutbox(['delivered', 'displayed']),
    inOutbox('displayed'),
    inOutbox('deliveredToNetwork'),
    inOutbox('failed'),
    recipients.countDocuments({ campaignId, state: { $in: ['pending', 'claimed'] } }).exec(),
    recipients.countDocuments({ campaignId, optedOutAt: { $gte: new Date(0) } }).exec(),
    engagement.counts(campaignId),
    outbox
      .aggregate<{ _id: string | null; count: number }>([
        { $match: { campaignId, status: 'failed' } },
        { $group: { _id: '$lastError', count: { $sum: 1 } } },
        { $sort: { count: -1 } },
        { $limit: FAILED_REASONS_SHOWN },
      ])
      .exec(),
    Promise.all(SEND_EXCLUSIONS.map((reason) => withReason('excluded', reason))),
    Promise.all(SKIP_REASONS.map((reason) => withReason('skipped', reason))),
  ]);
  const [optedOut, frequencyCap, complained] = sendExclusions as [number, number, number];
  const [windowClosed, cancelled] = skips as [number, number];
  const audience = campaign.audience;
  return {
    targeted: audience?.targeted ?? 0,
    excluded: { notEligible: audience?.notEligible ?? 0, noNumber: audience?.noNumber ?? 0, duplicate: audience?.duplicate ?? 0, optedOut, frequencyCap, complained },
    skipped: { windowClosed, cancelled },
    pending,
    queued,
    sent: sentOrLater + failedAfterSending,
    delivered,
    displayed,
    deliveredAsSms: sms,
    failed,
    failedReasons: reasons.map((entry) => ({ reason: entry._id ?? '(no reason given)', count: entry.count })),
    clicks: { ...clicks, total: Object.values(clicks).reduce((sum, count) => sum + count, 0) },
    optOuts,
    at: now,
  };
}

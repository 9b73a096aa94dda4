/**
 * Claiming outbox messages for sending, and recording how a send went. Every change is one
 * conditional update, so any number of sender processes on one database agree on who sends
 * what: a message is claimed by exactly one of them, and only while it is still queued.
 */
import type { DeliveryStatus } from '../channels/model.js';
import type { OutboxDocument, OutboxModel } from './model.js';

const PENDING: DeliveryStatus[] = ['queued', 'sending'];
const CLAIM_ROUNDS = 3;

export class Claims {
  constructor(
    private readonly model: OutboxModel,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * Claims up to `max` due messages, at most one per user, skipping users in `busyUsers` and any
   * message that has an earlier message of its user still queued or sending (per-user order).
   */
  async claimDue(max: number, busyUsers: ReadonlySet<string>): Promise<OutboxDocument[]> {
    const now = new Date();
    const claimed: OutboxDocument[] = [];
    const considered = new Set(busyUsers);
    // Later rounds skip the users already looked at, so one user's long backlog cannot hide
    // everybody else's messages behind it.
    for (let round = 0; round < CLAIM_ROUNDS && claimed.length < max; round++) {
      const candidates = await this.model
        .find({ status: 'queued', nextAttemptAt: { $lte: now }, userId: { $nin: [...considered] } }, { _id: 1, userId: 1, seq: 1 })
        .sort({ seq: 1 })
        .limit(max * 2)
        .lean<Pick<OutboxDocument, '_id' | 'userId' | 'seq'>[]>();
      if (candidates.length === 0) break;
      for (const candidate of candidates) {
        if (claimed.length >= max) break;
        if (considered.has(candidate.userId)) continue;
        considered.add(candidate.userId);
        const taken = await this.claimFirstOfUser(candidate, now);
        if (taken) claimed.push(taken);
      }
    }
    return claimed;
  }

  /** Claims the message unless an earlier message of its user is still queued or sending. */
  private async claimFirstOfUser(candidate: Pick<OutboxDocument, '_id' | 'userId' | 'seq'>, now: Date): Promise<OutboxDocument | null> {
    const earlier = await this.model.exists({ userId: candidate.userId, seq: { $lt: candidate.seq }, status: { $in: PENDING } });
    return earlier ? null : this.claim(candidate._id, now);
  }

  private claim(id: string, now: Date): Promise<OutboxDocument | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, status: 'queued', nextAttemptAt: { $lte: now } },
        { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + this.leaseMs), claimedBy: this.owner }, $inc: { attempts: 1 } },
        { returnDocument: 'after' },
      )
      .lean<OutboxDocument>()
      .exec();
  }

  /** The platform took it. A delivery report that already moved it further is left alone. */
  async markSent(id: string): Promise<void> {
    await this.model.updateOne(
      { _id: id, status: 'sending', claimedBy: this.owner },
      { $set: { status: 'sent', sentAt: new Date() }, $unset: { leaseUntil: '', claimedBy: '' } },
    );
  }

  async scheduleRetry(id: string, delayMs: number, reason: string, errorCode?: number): Promise<void> {
    await this.model.updateOne(
      { _id: id, status: 'sending', claimedBy: this.owner },
      {
        $set: { status: 'queued', nextAttemptAt: new Date(Date.now() + delayMs), lastError: reason, ...(errorCode === undefined ? {} : { errorCode }) },
        $unset: { leaseUntil: '', claimedBy: '' },
      },
    );
  }

  async markFailed(id: string, reason: string, errorCode?: number): Promise<void> {
    await this.model.updateOne(
      { _id: id, status: 'sending', claimedBy: this.owner },
      {
        $set: { status: 'failed', failedAt: new Date(), lastError: reason, ...(errorCode === undefined ? {} : { errorCode }) },
        $unset: { leaseUntil: '', claimedBy: '' },
      },
    );
  }

  /** Puts back messages whose sender went away mid-send (its lease ran out); returns how many. */
  async recoverExpiredLeases(): Promise<number> {
    const now = new Date();
    const result = await this.model.updateMany(
      { status: 'sending', leaseUntil: { $lt: now } },
      { $set: { status: 'queued', nextAttemptAt: now, lastError: 'lease expired' }, $unset: { leaseUntil: '', claimedBy: '' } },
    );
    return result.modifiedCount;
  }

  pendingCount(): Promise<number> {
    return this.model.countDocuments({ status: { $in: PENDING } });
  }
}

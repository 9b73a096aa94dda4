/**
 * Recording how a send went, each as a conditional update on a message this process still holds
 * (status `sending`, claimed by it): a delivery report that already moved the message further,
 * or another process that took it over after the lease ran out, is never overwritten.
 * Successful sends are recorded in batches, one update for all that finished meanwhile.
 */
import { PENDING } from './claims.js';
import type { OutboxModel } from './model.js';

export class Outcomes {
  private waiting: { id: string; done: () => void; failed: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;

  constructor(
    private readonly model: OutboxModel,
    private readonly owner: string,
    /** How long a message that left the queue is kept. */
    private readonly retentionMs: number,
  ) {}

  private expiry(now: Date): Date {
    return new Date(now.getTime() + this.retentionMs);
  }

  /** The platform took it; resolves once recorded. */
  markSent(id: string): Promise<void> {
    return new Promise((done, failed) => {
      this.waiting.push({ id, done, failed });
      this.flushing ??= this.flushSent().finally(() => {
        this.flushing = undefined;
      });
    });
  }

  async scheduleRetry(id: string, delayMs: number, reason: string, errorCode?: number): Promise<void> {
    await this.model.updateOne(
      { _id: id, status: 'sending', claimedBy: this.owner },
      {
        $set: { status: 'queued', nextAttemptAt: new Date(Date.now() + delayMs), lastError: reason, ...(errorCode === undefined ? {} : { errorCode }) },
        $unset: { leaseUntil: '', claimedBy: '', claimId: '' },
      },
    );
  }

  async markFailed(id: string, reason: string, errorCode?: number): Promise<void> {
    const now = new Date();
    await this.model.updateOne(
      { _id: id, status: 'sending', claimedBy: this.owner },
      {
        $set: { status: 'failed', failedAt: now, expiresAt: this.expiry(now), lastError: reason, ...(errorCode === undefined ? {} : { errorCode }) },
        $unset: { leaseUntil: '', claimedBy: '', claimId: '' },
      },
    );
  }

  /** Puts back messages whose sender went away mid-send (its lease ran out); returns how many. */
  async recoverExpiredLeases(): Promise<number> {
    const now = new Date();
    const result = await this.model.updateMany(
      { status: 'sending', leaseUntil: { $lt: now } },
      { $set: { status: 'queued', nextAttemptAt: now, lastError: 'lease expired' }, $unset: { leaseUntil: '', claimedBy: '', claimId: '' } },
    );
    return result.modifiedCount;
  }

  pendingCount(): Promise<number> {
    return this.model.countDocuments({ status: { $in: PENDING } });
  }

  private async flushSent(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting;
      this.waiting = [];
      const now = new Date();
      try {
        await this.model.updateMany(
          { _id: { $in: batch.map((entry) => entry.id) }, status: 'sending', claimedBy: this.owner },
          { $set: { status: 'sent', sentAt: now, expiresAt: this.expiry(now) }, $unset: { leaseUntil: '', claimedBy: '', claimId: '' } },
        );
        for (const entry of batch) entry.done();
      } catch (error) {
        for (const entry of batch) entry.failed(error);
      }
    }
  }
}

/**
 * Claiming outbox messages for sending. A claim is one conditional update over the chosen
 * messages (still queued, still due), so any number of sender processes on one database agree
 * on who sends what: each message is claimed by exactly one of them.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryStatus } from '../channels/model.js';
import type { OutboxDocument, OutboxModel } from './model.js';

export const PENDING: DeliveryStatus[] = ['queued', 'sending'];
const CLAIM_ROUNDS = 3;

type Candidate = Pick<OutboxDocument, '_id' | 'userId' | 'seq'>;

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
    const considered = new Set(busyUsers);
    const chosen: string[] = [];
    // Later rounds skip the users already looked at, so one user's long backlog cannot hide
    // everybody else's messages behind it.
    for (let round = 0; round < CLAIM_ROUNDS && chosen.length < max; round++) {
      const candidates = await this.model
        .find({ status: 'queued', nextAttemptAt: { $lte: now }, userId: { $nin: [...considered] } }, { _id: 1, userId: 1, seq: 1 })
        .sort({ seq: 1 })
        .limit(max * 2)
        .lean<Candidate[]>();
      if (candidates.length === 0) break;
      const firstOfEachUser = candidates.filter((candidate) => !considered.has(candidate.userId) && considered.add(candidate.userId));
      const heads = await this.firstPendingSeq(firstOfEachUser.map((candidate) => candidate.userId));
      for (const candidate of firstOfEachUser) {
        if (chosen.length < max && heads.get(candidate.userId) === candidate.seq) chosen.push(candidate._id);
      }
    }
    return chosen.length === 0 ? [] : this.claim(chosen, now);
  }

  /** For each user, the production order of their earliest message still queued or sending. */
  private async firstPendingSeq(users: string[]): Promise<Map<string, number>> {
    const rows = await this.model.aggregate<{ _id: string; seq: number }>([
      { $match: { userId: { $in: users }, status: { $in: PENDING } } },
      { $group: { _id: '$userId', seq: { $min: '$seq' } } },
    ]);
    return new Map(rows.map((row) => [row._id, row.seq]));
  }

  private async claim(ids: string[], now: Date): Promise<OutboxDocument[]> {
    const claimId = randomUUID();
    await this.model.updateMany(
      { _id: { $in: ids }, status: 'queued', nextAttemptAt: { $lte: now } },
      { $set: { status: 'sending', leaseUntil: new Date(now.getTime() + this.leaseMs), claimedBy: this.owner, claimId }, $inc: { attempts: 1 } },
    );
    return this.model.find({ _id: { $in: ids }, claimId }).sort({ seq: 1 }).lean<OutboxDocument[]>();
  }
}

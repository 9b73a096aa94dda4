/**
 * Claiming outbox messages for sending. A claim is one conditional update over the chosen
 * messages (still queued, still due), so any number of sender processes on one database agree
 * on who sends what: each message is claimed by exactly one of them.
 */
import { randomUUID } from 'node:crypto';
import type { DeliveryStatus } from '../channels/model.js';
import type { OutboxDocument, OutboxModel } from './model.js';
import type { DirectClaim } from './newMessage.js';

export const PENDING: DeliveryStatus[] = ['queued', 'sending'];

/** Replies (and notices) go before campaign traffic. */
export type Lane = 'reply' | 'bulk';

export function laneOf(document: Pick<OutboxDocument, 'lane'>): Lane {
  return document.lane === 'bulk' ? 'bulk' : 'reply';
}
const CLAIM_ROUNDS = 3;

export class Claims {
  constructor(
    private readonly model: OutboxModel,
    private readonly owner: string,
    private readonly leaseMs: number,
  ) {}

  /**
   * Claims up to `max` due messages of a lane (replies, or campaign traffic), at most one per
   * user, skipping users in `busyUsers` and any message that has an earlier message of its user
   * still queued or sending, in either lane (per-user order).
   */
  async claimDue(max: number, busyUsers: ReadonlySet<string>, lane: Lane = 'reply'): Promise<OutboxDocument[]> {
    const now = new Date();
    const considered = new Set(busyUsers);
    const chosen: OutboxDocument[] = [];
    // Later rounds skip the users already looked at, so one user's long backlog cannot hide
    // everybody else's messages behind it.
    for (let round = 0; round < CLAIM_ROUNDS && chosen.length < max; round++) {
      // Whole documents: when the claim wins them all, they need not be read back.
      const candidates = await this.model
        // A reply has no lane field: `null` matches its absence, through the {status, lane, seq} index.
        .find({ status: 'queued', lane: lane === 'bulk' ? 'bulk' : null, nextAttemptAt: { $lte: now }, userKey: { $nin: [...considered] } })
        .sort({ seq: 1 })
        .limit(max * 2)
        .lean<OutboxDocument[]>();
      if (candidates.length === 0) break;
      const firstOfEachUser = candidates.filter((candidate) => !considered.has(candidate.userKey) && considered.add(candidate.userKey));
      const heads = await this.firstPendingSeq(firstOfEachUser.map((candidate) => candidate.userKey));
      for (const candidate of firstOfEachUser) {
        if (chosen.length < max && heads.get(candidate.userKey) === candidate.seq) chosen.push(candidate);
      }
    }
    return chosen.length === 0 ? [] : this.claim(chosen, now);
  }

  /**
   * Of messages stored already claimed by this process (see newMessage.ts), those that are their
   * user's earliest pending message; the others are put back in the queue behind it.
   */
  async confirmHeads(claimed: OutboxDocument[]): Promise<OutboxDocument[]> {
    if (claimed.length === 0) return [];
    const heads = await this.firstPendingSeq([...new Set(claimed.map((document) => document.userKey))]);
    const confirmed = claimed.filter((document) => heads.get(document.userKey) === document.seq);
    if (confirmed.length < claimed.length) {
      const behind = claimed.filter((document) => !confirmed.includes(document)).map((document) => document._id);
      await this.model.updateMany(
        { _id: { $in: behind }, status: 'sending', claimedBy: this.owner },
        { $set: { status: 'queued', attempts: 0, nextAttemptAt: new Date() }, $unset: { leaseUntil: '', claimedBy: '', claimId: '' } },
      );
    }
    return confirmed;
  }

  /** The claim a new message takes when this process sends it at once. */
  directClaim(): DirectClaim {
    return { owner: this.owner, claimId: randomUUID(), leaseMs: this.leaseMs };
  }

  /** For each user (userKey), the production order of their earliest message still queued or sending. */
  private async firstPendingSeq(users: string[]): Promise<Map<string, number>> {
    // A plain indexed find: a user has only a few pending messages, and the minimum is cheaper
    // taken here than through an aggregation pipeline in the store.
    const rows = await this.model.find({ userKey: { $in: users }, status: { $in: PENDING } }, { _id: 0, userKey: 1, seq: 1 }).lean<Pick<OutboxDocument, 'userKey' | 'seq'>[]>();
    const heads = new Map<string, number>();
    for (const row of rows) heads.set(row.userKey, Math.min(row.seq, heads.get(row.userKey) ?? Infinity));
    return heads;
  }

  private async claim(chosen: OutboxDocument[], now: Date): Promise<OutboxDocument[]> {
    const claimId = randomUUID();
    const ids = chosen.map((document) => document._id);
    const lease = { status: 'sending' as const, leaseUntil: new Date(now.getTime() + this.leaseMs), claimedBy: this.owner, claimId };
    const result = await this.model.updateMany({ _id: { $in: ids }, status: 'queued', nextAttemptAt: { $lte: now } }, { $set: lease, $inc: { attempts: 1 } });
    // All won: the documents read as candidates, as the update left them. Else read back which.
    if (result.modifiedCount === chosen.length) {
      return chosen.map((document) => ({ ...document, ...lease, attempts: document.attempts + 1, updatedAt: now })).sort((a, b) => a.seq - b.seq);
    }
    return this.model.find({ _id: { $in: ids }, claimId }).sort({ seq: 1 }).lean<OutboxDocument[]>();
  }
}

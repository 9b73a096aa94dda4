/**
 * The stored form of a freshly enqueued message. Enqueues are written through the raw collection
 * (grouped into one insertMany), so everything mongoose would add — defaults, timestamps — is
 * set here. A message the local sender has room for is stored already claimed by it, with a
 * lease: it goes out without a claim round trip, and any process recovers it after the lease.
 */
import type { OutboundMessage } from '../channels/model.js';
import { userKey } from '../channels/identity.js';
import { storedMessage, type ComposedMessage, type OutboxDocument } from './model.js';

/** Who takes a new message at once, and for how long it is theirs. */
export interface DirectClaim {
  owner: string;
  claimId: string;
  leaseMs: number;
}

/** Who a message goes to, through which platform (the outbox resolved it). */
export interface Addressed {
  userId: string;
  platformId: string;
}

/** The message itself, or what it is composed from when sent. */
export type Content = { message: OutboundMessage & Addressed } | { composed: ComposedMessage; to: Addressed };

export function newOutboxDocument(
  id: string,
  content: Content,
  seq: number,
  now: Date,
  options: { claim?: DirectClaim; userWroteAt?: Date; campaignId?: string; campaignRate?: number } = {},
): OutboxDocument {
  const { claim, userWroteAt, campaignId, campaignRate } = options;
  const to = 'message' in content ? content.message : content.to;
  const base = {
    _id: id,
    platformId: to.platformId,
    userId: to.userId,
    userKey: userKey(to),
    ...(userWroteAt ? { userWroteAt } : {}),
    seq,
    ...(campaignId ? { lane: 'bulk' as const, campaignId, ...(campaignRate ? { campaignRate } : {}) } : {}),
    ...('message' in content ? { message: storedMessage(content.message) } : { composed: content.composed }),
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  };
  if (!claim) return { ...base, status: 'queued', attempts: 0 };
  return {
    ...base,
    status: 'sending',
    attempts: 1,
    leaseUntil: new Date(now.getTime() + claim.leaseMs),
    claimedBy: claim.owner,
    claimId: claim.claimId,
  };
}

/**
 * The outbox document: every message the bot sends is stored here first, then claimed, sent and
 * followed through the platform's delivery reports. Its `_id` is the messageId the platform sees,
 * so a retried send is recognisably the same message.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { DAY_MS } from '../config.js';
import type { DeliveryStatus, OutboundMessage } from '../channels/model.js';

/**
 * A message made when it is sent, from what the document keeps of it: campaign traffic, whose
 * card is the same for every recipient but a few fields, keeps those fields (a few dozen bytes)
 * instead of the whole card (about 2 KB) in each of its many documents.
 */
export interface ComposedMessage {
  /** The composer registered under this name makes it (Outbox.composeWith). */
  by: string;
  data: Record<string, unknown>;
}

export const DELIVERY_STATUSES: DeliveryStatus[] = ['queued', 'sending', 'sent', 'delivered', 'displayed', 'deliveredToNetwork', 'failed', 'revoked'];

export interface OutboxDocument {
  _id: string;
  /** The platform it goes out through (the one the user wrote in on, for a reply). */
  platformId: string;
  userId: string;
  /** platformId + userId (channels/identity.ts): a user's messages go out in order, one at a time. */
  userKey: string;
  /** For a reply: when the user wrote the message it answers (a user who complained since is not messaged). */
  userWroteAt?: Date;
  /** Production order; a user's messages go out in this order. */
  seq: number;
  /** Campaign traffic: claimed after replies, paced behind them (absent: a reply or a notice). */
  lane?: 'bulk';
  /** The campaign it belongs to (its statistics count it). */
  campaignId?: string;
  /** The campaign's messages per second over every process, kept by the sender's pace. */
  campaignRate?: number;
  /** The message as JSON text (see outboundOf): read back only whole, by the sender. Absent when it is `composed` at send time. */
  message?: StoredMessage;
  composed?: ComposedMessage;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  /** While `sending`: until when the claiming process owns it. */
  leaseUntil?: Date;
  claimedBy?: string;
  /** Which claim took it: a sender reads back exactly the messages its claim update won. */
  claimId?: string;
  lastError?: string;
  errorCode?: number;
  /** The last delivery status the carrier reported that the adapter did not recognise. */
  unrecognisedStatus?: string;
  sentAt?: Date;
  deliveredAt?: Date;
  displayedAt?: Date;
  failedAt?: Date;
  revokedAt?: Date;
  /** Once it has left the queue (sent, reported on, or failed): when the TTL index removes it. */
  expiresAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

const outboxSchema = new Schema<OutboxDocument>(
  {
    _id: { type: String, required: true },
    platformId: { type: String, required: true },
    userId: { type: String, required: true },
    userKey: { type: String, required: true },
    userWroteAt: Date,
    seq: { type: Number, required: true },
    lane: { type: String, enum: ['bulk'] },
    campaignId: String,
    campaignRate: Number,
    message: { type: Schema.Types.Mixed },
    composed: { type: Schema.Types.Mixed },
    status: { type: String, enum: DELIVERY_STATUSES, required: true, default: 'queued' },
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: Date,
    claimedBy: String,
    claimId: String,
    lastError: String,
    errorCode: Number,
    unrecognisedStatus: String,
    sentAt: Date,
    deliveredAt: Date,
    displayedAt: Date,
    failedAt: Date,
    revokedAt: Date,
    expiresAt: Date,
  },
  { collection: 'outbox', versionKey: false, timestamps: true, minimize: false },
);

// Claiming by lane: replies (no lane) first, then campaign traffic, each queued in production
// order, read lazily up to the claim's limit (a retry's nextAttemptAt is checked per message, not
// indexed, so the scan stays in seq order). Its status prefix serves lease recovery and the queue
// depth, both over the few messages in flight or waiting. (A {status, seq} index served those
// too and was one more entry moved at every change of status; a database that has it keeps it.)
outboxSchema.index({ status: 1, lane: 1, seq: 1 });
// A campaign's statistics: its messages counted by status.
outboxSchema.index({ campaignId: 1, status: 1 });
// Per-user order: the earliest pending message of each candidate's user (a user is per platform).
outboxSchema.index({ userKey: 1, status: 1, seq: 1 });
// Retention: only messages that left the queue have expiresAt, so queued ones are never removed.
outboxSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0, sparse: true });

/**
 * A message is kept as its JSON text. Nothing queries inside it, and a document is written several
 * times on its way (claimed, sent, delivered, displayed): a card's 2–3 KB as one string is one BSON
 * element to decode, compare and encode again each time instead of a few hundred nested fields,
 * which about halves the CPU a message costs the bot and the store together. Documents written
 * before hold the message as a document, and still read.
 */
export type StoredMessage = string | OutboundMessage;

export function storedMessage(message: OutboundMessage): string {
  // JSON leaves out undefined fields, as the driver would not (it stores them as null).
  return JSON.stringify(message);
}

/** The message a document holds; a composed one is made by its composer (Outbox.messageOf). */
export function outboundOf(document: Pick<OutboxDocument, 'message'>): OutboundMessage {
  const message = document.message;
  if (message === undefined) throw new Error('the message is composed when sent (Outbox.messageOf makes it)');
  return typeof message === 'string' ? (JSON.parse(message) as OutboundMessage) : message;
}

export const DEFAULT_OUTBOX_RETENTION_MS = 30 * DAY_MS;

export type OutboxModel = Model<OutboxDocument>;

export function outboxModel(connection: Connection): OutboxModel {
  return (connection.models.OutboxMessage as OutboxModel | undefined) ?? connection.model<OutboxDocument>('OutboxMessage', outboxSchema);
}

/**
 * The outbox as the rest of the bot sees it: turn logic enqueues messages (idempotently, by
 * dedupe key), carrier adapters hand in delivery reports. Reports may come late, twice, out of
 * order or several at once; a status only ever moves forward, so applying them is idempotent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { AnyBulkWriteOperation, Connection } from 'mongoose';
import type { DeliveryReport, DeliveryReportSink, DeliveryStatus, OutboundMessage, OutboundQueue } from '../channels/model.js';
import { GroupInsert } from '../inbound/groupInsert.js';
import { deliveryReports, outboundByStatus } from './metrics.js';
import { outboxModel, type OutboxDocument, type OutboxModel } from './model.js';
import { newOutboxDocument, type DirectClaim } from './newMessage.js';

type ReportedStatus = DeliveryReport['status'];

/** From which statuses a report may move a message; anything else is late or repeated news. */
const MOVES_FROM: Record<Exclude<ReportedStatus, 'revokeFailed'>, DeliveryStatus[]> = {
  sent: ['queued', 'sending'],
  delivered: ['queued', 'sending', 'sent'],
  deliveredToNetwork: ['queued', 'sending', 'sent'],
  displayed: ['queued', 'sending', 'sent', 'delivered'],
  failed: ['queued', 'sending', 'sent'],
  revoked: ['queued', 'sending', 'sent'],
};

/** The moment each status is first reached, kept even when the status itself has moved on. */
const STAMP: Partial<Record<ReportedStatus, keyof OutboxDocument>> = {
  sent: 'sentAt',
  delivered: 'deliveredAt',
  deliveredToNetwork: 'deliveredAt',
  displayed: 'displayedAt',
  failed: 'failedAt',
  revoked: 'revokedAt',
};

/**
 * A sender in this process that can take new messages straight from the enqueue: a message it
 * reserves room for is stored already claimed by it and handed over, with no claim round trip.
 */
export interface LocalSender {
  /** A claim for the user's new message, or undefined when the sender has no room or the user is busy. */
  reserve(userId: string): DirectClaim | undefined;
  /** The message was stored claimed by the reservation: send it (after checking it is the user's next). */
  adopt(document: OutboxDocument): void;
  /** The reservation was not used (the insert failed or was a duplicate). */
  unreserve(userId: string): void;
}

/** A UUID-shaped messageId derived from a dedupe key. */
function idForKey(dedupeKey: string): string {
  const hex = createHash('sha256').update(`outbox|${dedupeKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

type Operation = AnyBulkWriteOperation<OutboxDocument>;

/** Moves the status forward if it is behind, stamping the moment; matches nothing for late news. */
function moveOperation(report: DeliveryReport): Operation {
  if (report.status === 'revokeFailed') {
    return { updateOne: { filter: { _id: report.messageId }, update: { $set: { lastError: 'revoke failed' } } } };
  }
  const stamp = STAMP[report.status];
  const failure = report.status === 'failed' ? { errorCode: report.errorCode, lastError: report.errorMessage ?? `errorCode ${report.errorCode ?? '?'}` } : {};
  return {
    updateOne: {
      filter: { _id: report.messageId, status: { $in: MOVES_FROM[report.status] } },
      update: { $set: { status: report.status, ...failure, ...(stamp ? { [stamp]: report.at ?? new Date() } : {}) }, $unset: { leaseUntil: '', claimedBy: '', claimId: '' } },
    },
  };
}

/** Keeps the moment a status was reached when a late report did not move the status. */
function stampOperation(report: DeliveryReport): Operation[] {
  const stamp = report.status === 'revokeFailed' ? undefined : STAMP[report.status];
  if (!stamp) return [];
  return [{ updateOne: { filter: { _id: report.messageId, [stamp]: { $exists: false } }, update: { $set: { [stamp]: report.at ?? new Date() } } } }];
}

export class Outbox implements OutboundQueue, DeliveryReportSink {
  private readonly events = new EventEmitter();
  /** Enqueues arriving together are stored in one insertMany; a duplicate key fails only its own. */
  private readonly inserts: GroupInsert;
  private localSender: LocalSender | undefined;
  private lastSeq = 0;

  constructor(readonly model: OutboxModel) {
    this.events.setMaxListeners(0);
    this.inserts = new GroupInsert(() => this.model.collection);
  }

  async enqueue(message: OutboundMessage, options: { dedupeKey?: string } = {}): Promise<string> {
    const id = options.dedupeKey === undefined ? randomUUID() : idForKey(options.dedupeKey);
    const sender = this.localSender;
    const claim = sender?.reserve(message.userId);
    const document = newOutboxDocument(id, message, this.nextSeq(), new Date(), claim);
    const outcome = await this.inserts.insert(document).catch((error: unknown) => {
      if (claim) sender?.unreserve(message.userId);
      throw error;
    });
    if (outcome === 'duplicate') {
      if (claim) sender?.unreserve(message.userId);
      return id;
    }
    outboundByStatus.inc({ status: 'queued' });
    if (claim) sender?.adopt(document);
    else this.events.emit('enqueued');
    return id;
  }

  /** Lets the sender of this process take new messages directly; returns the undo. */
  attachSender(sender: LocalSender): () => void {
    this.localSender = sender;
    return () => {
      if (this.localSender === sender) this.localSender = undefined;
    };
  }

  /** Calls `listener` after each enqueue in this process (a local sender wakes at once). */
  onEnqueued(listener: () => void): () => void {
    this.events.on('enqueued', listener);
    return () => this.events.off('enqueued', listener);
  }

  /**
   * One ordered bulk write for the whole call, so a message's reports apply in the order they
   * came. Only when some report did not apply (late or repeated news) does a second pass record
   * the moments those statuses were reached.
   */
  async applyDeliveryReports(reports: DeliveryReport[]): Promise<void> {
    if (reports.length === 0) return;
    const moved = await this.model.bulkWrite(reports.map(moveOperation), { ordered: true });
    if (moved.modifiedCount < reports.length) {
      const stamps = reports.flatMap(stampOperation);
      if (stamps.length > 0) await this.model.bulkWrite(stamps, { ordered: true });
    }
    for (const report of reports) deliveryReports.inc({ status: report.status });
  }

  find(messageId: string): Promise<OutboxDocument | null> {
    return this.model.findById(messageId).lean<OutboxDocument>().exec();
  }

  /** Strictly increasing in this process, close to microseconds since the epoch. */
  private nextSeq(): number {
    this.lastSeq = Math.max(this.lastSeq + 1, Date.now() * 1000);
    return this.lastSeq;
  }
}

export function createOutbox(connection: Connection): Outbox {
  return new Outbox(outboxModel(connection));
}

/**
 * The outbox as the rest of the bot sees it: turn logic enqueues messages (idempotently, by
 * dedupe key), carrier adapters hand in delivery reports. Reports may come late, twice, out of
 * order or several at once; a status only ever moves forward, so applying them is idempotent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Connection } from 'mongoose';
import type { DeliveryReport, DeliveryReportSink, EnqueueOptions, OutboundMessage, OutboundQueue } from '../channels/model.js';
import { userKey } from '../channels/identity.js';
import { GroupInsert } from '../db/groupInsert.js';
import { deliveryReports, outboundByStatus } from './metrics.js';
import { DEFAULT_OUTBOX_RETENTION_MS, outboundOf, outboxModel, type ComposedMessage, type OutboxDocument, type OutboxModel } from './model.js';
import { newOutboxDocument, type Content, type DirectClaim } from './newMessage.js';
import { moveOperation, plannedOperations, REPORTED_FIELDS, stampOperation, type ReportedMessage } from './reports.js';

/**
 * A sender in this process that can take new messages straight from the enqueue: a message it
 * reserves room for is stored already claimed by it and handed over, with no claim round trip.
 */
export interface LocalSender {
  /** A claim for the user's new message, or undefined when the sender has no room or the user is busy. */
  reserve(userKey: string): DirectClaim | undefined;
  /** The message was stored claimed by the reservation: send it (after checking it is the user's next). */
  adopt(document: OutboxDocument): void;
  /** The reservation was not used (the insert failed or was a duplicate). */
  unreserve(userKey: string): void;
}

export interface OutboxOptions {
  /** How long a message that left the queue is kept (see OUTBOX_RETENTION_DAYS). */
  retentionMs?: number;
  /** The platform of a message that names none; unset (several platforms) such a message is refused. */
  defaultPlatformId?: string;
}

/** A message that names no platform when the outbox cannot tell which one it means. */
export class NoPlatformError extends Error {
  constructor() {
    super('outbound message names no platformId, and this outbox has no default platform (several are configured)');
    this.name = 'NoPlatformError';
  }
}

/** Makes a composed message when it is sent (or shown); throws when it cannot be made. */
export type Composer = (document: OutboxDocument & { composed: ComposedMessage }) => OutboundMessage | Promise<OutboundMessage>;

/** A composed message whose composer is not registered in this process. */
export class NoComposerError extends Error {
  constructor(by: string) {
    super(`no composer "${by}" in this process`);
    this.name = 'NoComposerError';
  }
}

/** A UUID-shaped messageId derived from a dedupe key (the same key, the same id, in any process). */
export function idForKey(dedupeKey: string): string {
  const hex = createHash('sha256').update(`outbox|${dedupeKey}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

export class Outbox implements OutboundQueue, DeliveryReportSink {
  private readonly events = new EventEmitter();
  /** Enqueues arriving together are stored in one insertMany; a duplicate key fails only its own. */
  private readonly inserts: GroupInsert;
  private localSender: LocalSender | undefined;
  private readonly composers = new Map<string, Composer>();
  private lastSeq = 0;

  readonly retentionMs: number;
  private readonly defaultPlatformId: string | undefined;

  constructor(
    readonly model: OutboxModel,
    options: OutboxOptions = {},
  ) {
    this.retentionMs = options.retentionMs ?? DEFAULT_OUTBOX_RETENTION_MS;
    this.defaultPlatformId = options.defaultPlatformId;
    this.events.setMaxListeners(0);
    this.inserts = new GroupInsert(() => this.model.collection);
  }

  async enqueue(message: OutboundMessage, options: EnqueueOptions = {}): Promise<string> {
    const platformId = this.platformOf(message);
    return this.store({ message: { ...message, platformId } }, options);
  }

  /** Stores a message that `composed.by`'s composer makes when it is sent (see ComposedMessage). */
  async enqueueComposed(to: { userId: string; platformId?: string }, composed: ComposedMessage, options: EnqueueOptions = {}): Promise<string> {
    return this.store({ composed, to: { userId: to.userId, platformId: this.platformOf(to) } }, options);
  }

  /** Registers how messages composed `by` this name are made. */
  composeWith(by: string, composer: Composer): void {
    this.composers.set(by, composer);
  }

  /** What a stored message says: its message, or the one its composer makes now. */
  async messageOf(document: Pick<OutboxDocument, 'message' | 'composed'> & Partial<OutboxDocument>): Promise<OutboundMessage> {
    if (document.message !== undefined) return outboundOf(document);
    const composed = document.composed;
    if (!composed) throw new Error(`outbox message ${document._id ?? '?'} has neither a message nor what to compose it from`);
    const composer = this.composers.get(composed.by);
    if (!composer) throw new NoComposerError(composed.by);
    return composer({ ...(document as OutboxDocument), composed });
  }

  private platformOf(message: { platformId?: string }): string {
    const platformId = message.platformId ?? this.defaultPlatformId;
    if (platformId === undefined) throw new NoPlatformError();
    return platformId;
  }

  private async store(content: Content, options: EnqueueOptions): Promise<string> {
    const id = options.dedupeKey === undefined ? randomUUID() : idForKey(options.dedupeKey);
    const key = userKey('message' in content ? content.message : content.to);
    // Campaign traffic never takes a local sender's room directly: it is claimed after replies.
    const sender = options.campaignId === undefined ? this.localSender : undefined;
    const claim = sender?.reserve(key);
    const document = newOutboxDocument(id, content, this.nextSeq(), new Date(), {
      claim,
      userWroteAt: options.userWroteAt,
      campaignId: options.campaignId,
      campaignRate: options.campaignRate,
    });
    const outcome = await this.inserts.insert(document).catch((error: unknown) => {
      if (claim) sender?.unreserve(key);
      throw error;
    });
    if (outcome === 'duplicate') {
      if (claim) sender?.unreserve(key);
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
   * Reads the reported messages once and writes only those the reports change (see reports.ts).
   * When a message changed between the read and the write, the whole call is applied again in
   * order, report by report — reports are idempotent, so what was already written stays.
   */
  async applyDeliveryReports(reports: DeliveryReport[]): Promise<void> {
    if (reports.length === 0) return;
    const ids = [...new Set(reports.map((report) => report.messageId))];
    const messages = await this.model.find({ _id: { $in: ids } }, REPORTED_FIELDS).lean<ReportedMessage[]>();
    const expiresAt = new Date(Date.now() + this.retentionMs);
    const operations = plannedOperations(messages, reports, expiresAt);
    if (operations.length > 0) {
      const written = await this.model.bulkWrite(operations, { ordered: false });
      if (written.matchedCount < operations.length) await this.applyInOrder(reports, expiresAt);
    }
    for (const report of reports) deliveryReports.inc({ status: report.status });
  }

  /**
   * One ordered bulk write for the whole call, so a message's reports apply in the order they
   * came. Only when some report did not apply (late or repeated news) does a second pass record
   * the moments those statuses were reached.
   */
  private async applyInOrder(reports: DeliveryReport[], expiresAt: Date): Promise<void> {
    const moved = await this.model.bulkWrite(
      reports.map((report) => moveOperation(report, expiresAt)),
      { ordered: true },
    );
    if (moved.modifiedCount < reports.length) {
      const stamps = reports.flatMap(stampOperation);
      if (stamps.length > 0) await this.model.bulkWrite(stamps, { ordered: true });
    }
  }

  /** The messageId a message enqueued under `dedupeKey` has (or will have). */
  idFor(dedupeKey: string): string {
    return idForKey(dedupeKey);
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

export function createOutbox(connection: Connection, options: OutboxOptions = {}): Outbox {
  return new Outbox(outboxModel(connection), options);
}

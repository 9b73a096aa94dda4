/**
 * The sender: claims due outbox messages, sends each through the carrier transport within the
 * rate limit, and records the outcome — sent, retry later with backoff, or failed with the
 * platform's reason. A user's messages go one at a time, in production order.
 */
import type { Logger } from '../log.js';
import type { OutboundMessage, OutboundTransport, SendOutcome } from '../channels/model.js';
import { retryDelayMs, type BackoffPolicy } from './backoff.js';
import { laneOf, type Claims } from './claims.js';
import type { Complaints, Screening } from './complaints.js';
import type { Outcomes } from './outcomes.js';
import { outboundByStatus, queueDepth, sendLatency } from './metrics.js';
import { outboundOf, type OutboxDocument } from './model.js';
import type { DirectClaim } from './newMessage.js';
import { NoComposerError, type LocalSender } from './outbox.js';
import type { SendPacer } from './pacer.js';

export interface SenderTuning {
  /** Sends in flight at once (each to a different user). */
  concurrency: number;
  /** How often an idle sender looks for due messages (enqueues in this process wake it at once). */
  pollMs: number;
  /** Lease recovery and queue depth refresh. */
  maintenanceMs: number;
  backoff: BackoffPolicy;
}

/** Campaign traffic may hold at most this share of the sends in flight: replies always find room. */
const BULK_SHARE = 0.75;

export class Sender implements LocalSender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busyUsers = new Set<string>();
  /** Users with a new message reserved or adopted (stored claimed by us) and not yet launched. */
  private readonly reservedUsers = new Set<string>();
  private adopted: OutboxDocument[] = [];
  /** Campaign messages in flight. */
  private bulkInFlight = 0;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private maintenance: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** Set by nudge(); the next idle() returns at once, so no enqueue is missed while claiming. */
  private poked = false;
  /** Whether the store may hold queued messages this sender could claim now, per lane (a claim costs reads). */
  private readonly queued = { reply: true, bulk: true };
  /** Users whose new message was queued because one of theirs was here: claim again once it is done. */
  private readonly waitingUsers = new Set<string>();

  constructor(
    private readonly claims: Claims,
    private readonly outcomes: Outcomes,
    private readonly transport: OutboundTransport,
    private readonly pacer: SendPacer,
    private readonly tuning: SenderTuning,
    private readonly log: Logger,
    /** Users who complained of spam are not messaged unless they wrote since. */
    private readonly complaints?: Pick<Complaints, 'screen' | 'lift'>,
    /** What a document sends: its message, or the one composed from it (Outbox.messageOf). */
    private readonly messageOf: (document: OutboxDocument) => OutboundMessage | Promise<OutboundMessage> = outboundOf,
  ) {}

  start(): void {
    this.loop = this.run();
    this.maintenance = setInterval(() => void this.maintain(), this.tuning.maintenanceMs);
    void this.maintain();
  }

  /** Looks for due messages now (called when a message is enqueued to the queue). */
  poke(): void {
    this.markQueued();
    this.nudge();
  }

  /**
   * Room for a new message of the user `userKey`, taken at once: a slot is held until adopt or unreserve.
   * None while stopping, when all slots are taken, or when the user already has a message here.
   */
  reserve(userKey: string): DirectClaim | undefined {
    if (this.stopping) return undefined;
    if (this.busyUsers.has(userKey) || this.reservedUsers.has(userKey)) {
      this.waitingUsers.add(userKey);
      return undefined;
    }
    if (this.inFlight.size + this.reservedUsers.size >= this.tuning.concurrency) return undefined;
    this.reservedUsers.add(userKey);
    return this.claims.directClaim();
  }

  adopt(document: OutboxDocument): void {
    this.adopted.push(document);
    this.nudge();
  }

  unreserve(userKey: string): void {
    // A message of the user queued meanwhile announced itself (poke), so it is not waited for.
    this.reservedUsers.delete(userKey);
    this.waitingUsers.delete(userKey);
    this.nudge();
  }

  /** Stops claiming, then waits for the sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.maintenance);
    this.nudge();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private nudge(): void {
    this.poked = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    // While stopping, messages already stored claimed by us are still seen through.
    while (!this.stopping || this.reservedUsers.size > 0) {
      if (this.adopted.length > 0) await this.launchAdopted();
      if (!this.stopping && (this.queued.reply || this.queued.bulk)) await this.claimQueued();
      await this.idle();
    }
  }

  private markQueued(): void {
    this.queued.reply = true;
    this.queued.bulk = true;
  }

  private async claimQueued(): Promise<void> {
    const free = this.tuning.concurrency - this.inFlight.size - this.reservedUsers.size;
    // A claim costs a few queries however many it takes: under load, wait for a few free slots.
    const batch = Math.ceil(this.tuning.concurrency / 4);
    if (free <= 0 || (this.inFlight.size > 0 && free < batch && !this.queued.reply)) return;
    try {
      // Replies first; campaign traffic only into the room they leave, and never all of it.
      let replies: OutboxDocument[] = [];
      if (this.queued.reply && (this.inFlight.size === 0 || free >= batch || this.bulkInFlight > 0)) {
        replies = await this.claims.claimDue(free, this.busyUsers);
        if (replies.length < free) this.queued.reply = false;
        await this.launchClaimed(replies);
      }
      const maxBulk = Math.floor(this.tuning.concurrency * BULK_SHARE);
      const bulkRoom = Math.min(free - replies.length, maxBulk - this.bulkInFlight);
      if (this.queued.bulk && bulkRoom > 0 && (this.bulkInFlight === 0 || bulkRoom >= Math.ceil(maxBulk / 4))) {
        const bulk = await this.claims.claimDue(bulkRoom, this.busyUsers, 'bulk');
        if (bulk.length < bulkRoom) this.queued.bulk = false;
        await this.launchClaimed(bulk);
      }
    } catch (error) {
      this.log.warn({ err: error }, 'could not claim outbox messages');
    }
  }

  private async launchClaimed(claimed: OutboxDocument[]): Promise<void> {
    if (claimed.length === 0) return;
    const screening = await this.screen(claimed);
    for (const document of claimed) this.launch(document, screening.get(document._id));
  }

  /** Sends the adopted messages that are their user's next; confirming them is one read for all. */
  private async launchAdopted(): Promise<void> {
    const batch = this.adopted;
    this.adopted = [];
    let confirmed: OutboxDocument[] = [];
    const screened = this.screen(batch);
    try {
      confirmed = await this.claims.confirmHeads(batch);
    } catch (error) {
      // They stay claimed by us until the lease runs out; then any sender takes them in order.
      this.log.warn({ err: error, messages: batch.length }, 'could not confirm directly claimed messages');
    }
    const screening = await screened;
    for (const document of batch) this.reservedUsers.delete(document.userKey);
    for (const document of confirmed) this.launch(document, screening.get(document._id));
    // The others went back to the queue behind their user's earlier message.
    if (confirmed.length < batch.length) this.queued.reply = true;
    for (const document of batch) if (!confirmed.includes(document)) this.waitingUsers.delete(document.userKey);
  }

  private idle(): Promise<void> {
    if (this.poked) {
      this.poked = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = undefined;
        this.poked = false;
        resolve();
      };
      // Other processes' enqueues and due retries are found by polling.
      const timer = setTimeout(() => {
        this.markQueued();
        done();
      }, this.tuning.pollMs);
      this.wake = done;
    });
  }

  /** The complaint screening of a batch; a failed read lets the batch go (the complaint is rare, the sends are not). */
  private async screen(documents: OutboxDocument[]): Promise<Map<string, Screening>> {
    if (!this.complaints || documents.length === 0) return new Map();
    try {
      return await this.complaints.screen(documents);
    } catch (error) {
      this.log.warn({ err: error }, 'could not read complaints; sending unscreened');
      return new Map();
    }
  }

  private launch(document: OutboxDocument, screening?: Screening): void {
    this.busyUsers.add(document.userKey);
    const bulk = laneOf(document) === 'bulk';
    if (bulk) this.bulkInFlight++;
    const sending = (screening?.kind === 'withhold' ? this.withhold(document, screening.reason) : this.send(document, screening)).finally(() => {
      this.inFlight.delete(sending);
      if (bulk) this.bulkInFlight--;
      this.busyUsers.delete(document.userKey);
      if (this.waitingUsers.delete(document.userKey)) this.markQueued();
      this.nudge();
    });
    this.inFlight.add(sending);
  }

  private async withhold(document: OutboxDocument, reason: string): Promise<void> {
    try {
      await this.outcomes.markFailed(document._id, reason);
      outboundByStatus.inc({ status: 'withheld' });
    } catch (error) {
      this.log.error({ err: error, messageId: document._id }, 'could not record a withheld message');
    }
  }

  private async send(document: OutboxDocument, screening?: Screening): Promise<void> {
    const outcome = await this.transmit(document);
    try {
      if (outcome.kind === 'accepted') {
        await this.outcomes.markSent(document._id);
        outboundByStatus.inc({ status: 'sent' });
        if (screening?.kind === 'sendAndLift') await this.complaints?.lift(document.userKey, screening.blockedSince);
      } else if (outcome.kind === 'retry' && document.attempts < this.tuning.backoff.maxAttempts) {
        await this.outcomes.scheduleRetry(document._id, retryDelayMs(this.tuning.backoff, document.attempts), outcome.reason, outcome.errorCode);
        outboundByStatus.inc({ status: 'retried' });
        this.log.debug({ messageId: document._id, attempts: document.attempts, reason: outcome.reason }, 'send will be retried');
      } else {
        const reason = outcome.kind === 'retry' ? `gave up after ${document.attempts} attempts: ${outcome.reason}` : outcome.reason;
        await this.outcomes.markFailed(document._id, reason, outcome.errorCode);
        outboundByStatus.inc({ status: 'failed' });
        this.log.warn({ messageId: document._id, userId: document.userId, platformId: document.platformId, reason }, 'outbound message failed');
      }
    } catch (error) {
      // The lease runs out and another pass sends it again under the same messageId.
      this.log.error({ err: error, messageId: document._id }, 'could not record a send outcome');
    }
  }

  /** Makes the message (a composed one), waits for the pace, hands it to the platform. */
  private async transmit(document: OutboxDocument): Promise<SendOutcome> {
    let message: OutboundMessage;
    try {
      message = await this.messageOf(document);
    } catch (error) {
      const reason = `its message cannot be made: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
      // A process still starting has not registered every composer yet: later, or another process.
      return error instanceof NoComposerError ? { kind: 'retry', reason } : { kind: 'rejected', reason };
    }
    await this.pacer.pace(document);
    const started = performance.now();
    const outcome = await this.transport.send(document._id, message).catch(
      (error: unknown): SendOutcome => ({ kind: 'retry', reason: error instanceof Error ? error.message : String(error) }),
    );
    sendLatency.observe({ outcome: outcome.kind }, (performance.now() - started) / 1000);
    return outcome;
  }

  private async maintain(): Promise<void> {
    try {
      const recovered = await this.outcomes.recoverExpiredLeases();
      if (recovered > 0) this.log.warn({ recovered }, 'requeued messages whose sender went away');
      queueDepth.set(await this.outcomes.pendingCount());
    } catch (error) {
      this.log.warn({ err: error }, 'outbox maintenance failed');
    }
  }
}

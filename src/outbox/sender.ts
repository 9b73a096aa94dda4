/**
 * The sender: claims due outbox messages, sends each through the carrier transport within the
 * rate limit, and records the outcome — sent, retry later with backoff, or failed with the
 * platform's reason. A user's messages go one at a time, in production order.
 */
import type { Logger } from '../log.js';
import type { OutboundTransport, SendOutcome } from '../channels/model.js';
import { retryDelayMs, type BackoffPolicy } from './backoff.js';
import type { Claims } from './claims.js';
import type { Outcomes } from './outcomes.js';
import { outboundByStatus, queueDepth, sendLatency } from './metrics.js';
import type { OutboxDocument } from './model.js';
import { TokenBucket } from './rateLimiter.js';

export interface SenderTuning {
  /** Sends in flight at once (each to a different user). */
  concurrency: number;
  /** How often an idle sender looks for due messages (enqueues in this process wake it at once). */
  pollMs: number;
  /** Lease recovery and queue depth refresh. */
  maintenanceMs: number;
  ratePerSecond: number;
  backoff: BackoffPolicy;
}

export class Sender {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly busyUsers = new Set<string>();
  private readonly bucket: TokenBucket;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private maintenance: NodeJS.Timeout | undefined;
  private wake: (() => void) | undefined;
  /** Set by poke(); the next idle() returns at once, so no enqueue is missed while claiming. */
  private poked = false;

  constructor(
    private readonly claims: Claims,
    private readonly outcomes: Outcomes,
    private readonly transport: OutboundTransport,
    private readonly tuning: SenderTuning,
    private readonly log: Logger,
  ) {
    this.bucket = new TokenBucket(tuning.ratePerSecond);
  }

  start(): void {
    this.loop = this.run();
    this.maintenance = setInterval(() => void this.maintain(), this.tuning.maintenanceMs);
    void this.maintain();
  }

  /** Looks for due messages now (called when a message is enqueued). */
  poke(): void {
    this.poked = true;
    this.wake?.();
  }

  /** Stops claiming, then waits for the sends in flight to be recorded. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.maintenance);
    this.poke();
    await this.loop;
    await Promise.all(this.inFlight);
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      const free = this.tuning.concurrency - this.inFlight.size;
      // A claim costs a few queries however many it takes: under load, wait for a few free slots.
      const worthClaiming = free > 0 && (this.inFlight.size === 0 || free >= Math.ceil(this.tuning.concurrency / 4));
      let claimed: OutboxDocument[] = [];
      if (worthClaiming) {
        try {
          claimed = await this.claims.claimDue(free, this.busyUsers);
        } catch (error) {
          this.log.warn({ err: error }, 'could not claim outbox messages');
        }
        for (const document of claimed) this.launch(document);
      }
      if (!worthClaiming || claimed.length === 0 || claimed.length >= free) await this.idle();
    }
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
      const timer = setTimeout(done, this.tuning.pollMs);
      this.wake = done;
    });
  }

  private launch(document: OutboxDocument): void {
    this.busyUsers.add(document.userId);
    const sending = this.send(document).finally(() => {
      this.inFlight.delete(sending);
      this.busyUsers.delete(document.userId);
      this.poke();
    });
    this.inFlight.add(sending);
  }

  private async send(document: OutboxDocument): Promise<void> {
    await this.bucket.take();
    const started = performance.now();
    const outcome = await this.transport.send(document._id, document.message).catch(
      (error: unknown): SendOutcome => ({ kind: 'retry', reason: error instanceof Error ? error.message : String(error) }),
    );
    sendLatency.observe({ outcome: outcome.kind }, (performance.now() - started) / 1000);
    try {
      if (outcome.kind === 'accepted') {
        await this.outcomes.markSent(document._id);
        outboundByStatus.inc({ status: 'sent' });
      } else if (outcome.kind === 'retry' && document.attempts < this.tuning.backoff.maxAttempts) {
        await this.outcomes.scheduleRetry(document._id, retryDelayMs(this.tuning.backoff, document.attempts), outcome.reason, outcome.errorCode);
        outboundByStatus.inc({ status: 'retried' });
        this.log.debug({ messageId: document._id, attempts: document.attempts, reason: outcome.reason }, 'send will be retried');
      } else {
        const reason = outcome.kind === 'retry' ? `gave up after ${document.attempts} attempts: ${outcome.reason}` : outcome.reason;
        await this.outcomes.markFailed(document._id, reason, outcome.errorCode);
        outboundByStatus.inc({ status: 'failed' });
        this.log.warn({ messageId: document._id, userId: document.userId, reason }, 'outbound message failed');
      }
    } catch (error) {
      // The lease runs out and another pass sends it again under the same messageId.
      this.log.error({ err: error, messageId: document._id }, 'could not record a send outcome');
    }
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

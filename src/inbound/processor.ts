/**
 * The inbox: persists inbound messages and runs the turn handler for them. Two ways in: the
 * webhook hands a message to `receive`, which stores it already claimed by this process and
 * handles it at once (the fast path); and a periodic sweep claims whatever else is claimable in
 * the store — messages acknowledged before a crash, leases of dead processes, retries after a
 * failed attempt. A message is thus handled by one process at a time, and its replies are
 * queued with dedupe keys (`<messageId>:<index>`) so a re-run turn sends nothing twice.
 *
 * Within this process one user's messages are handled one after another in the order received.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { InboundEvent, OutboundQueue } from '../channels/model.js';
import { inboundRecordId, userKey } from '../channels/identity.js';
import type { InboundRecord, InboundStore } from './inboundMessage.js';
import type { TurnHandler } from './turnHandler.js';
import type { CallbackKey, Inbox, ReceiveOutcome } from './inbox.js';
import { inboundInProgress, turnFailures, turnSeconds } from './metrics.js';

/** Messages held in memory for processing at once; the rest wait in the store. */
const MAX_SCHEDULED = 5_000;
const SWEEP_BATCH = 1_000;

export interface InboundProcessorOptions {
  store: InboundStore;
  handler: TurnHandler;
  queue: OutboundQueue;
  log: Logger;
  /** How long a claim lasts before another process may take the message over. */
  leaseMs?: number;
  pollIntervalMs?: number;
  /** Turns running at once in this process. */
  concurrency?: number;
  /** Attempts before a message is marked failed. */
  maxAttempts?: number;
  retryBaseMs?: number;
}

export class InboundProcessor implements Inbox {
  readonly owner = randomUUID();
  private readonly leaseMs: number;
  private readonly pollIntervalMs: number;
  private readonly maxAttempts: number;
  private readonly retryBaseMs: number;
  private readonly slots: Semaphore;
  /** Message ids scheduled in this process, so the fast path and the sweep never double up. */
  private readonly scheduled = new Set<string>();
  /** The tail of each user's chain of scheduled turns. */
  private readonly userTails = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: InboundProcessorOptions) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 1_000;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.retryBaseMs = options.retryBaseMs ?? 1_000;
    this.slots = new Semaphore(options.concurrency ?? 32);
  }

  /** Starts the periodic sweep (its first run is immediate: recovery after a restart). */
  start(): void {
    this.stopped = false;
    const tick = (): void => {
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.options.log.error({ err: error }, 'inbound sweep failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.pollIntervalMs);
        });
    };
    tick();
  }

  /**
   * Persists a message (the caller acknowledges it once this resolves) and, unless it is a
   * repeat of one already recorded or its callback key was used before, handles it. While stopping, the message is stored for any
   * process to claim.
   */
  async receive(event: InboundEvent, callbackKey?: CallbackKey): Promise<ReceiveOutcome> {
    // Past MAX_SCHEDULED the message waits in the store for the sweep (bounded memory under a backlog).
    const takeNow = !this.stopped && this.scheduled.size < MAX_SCHEDULED;
    const claim = takeNow ? { owner: this.owner, leaseMs: this.leaseMs } : undefined;
    const outcome = await this.options.store.record(event, { claim, callbackKey });
    if (outcome === 'new' && claim) {
      const claimed = { event, attempts: 1, receivedAt: new Date() };
      // The turn starts on a later loop turn: its synchronous work (understanding, rendering)
      // would otherwise run before the acknowledgements of the whole stored batch are written.
      const afterAck = (): Promise<Claimed> => new Promise((resolve) => setImmediate(() => resolve(claimed)));
      this.schedule(inboundRecordId(event), userKey(event), afterAck);
    }
    return outcome;
  }

  takeCallbackKey(key: CallbackKey): Promise<boolean> {
    return this.options.store.takeCallbackKey(key);
  }

  /** Stops taking work and waits for the turns already started. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
    await Promise.all([...this.userTails.values()]);
  }

  private async sweep(): Promise<void> {
    // Bounded: a large backlog is worked through a batch per interval, not loaded at once.
    const room = Math.max(0, Math.min(SWEEP_BATCH, MAX_SCHEDULED - this.scheduled.size));
    if (room === 0) return;
    const claimable = await this.options.store.findClaimable(room);
    for (const record of claimable) {
      // Not yet claimed: when stopping before its turn comes, leave it for the next process.
      const claim = () => (this.stopped ? Promise.resolve(null) : this.options.store.claim(record._id, this.owner, this.leaseMs));
      this.schedule(record._id, record.userKey, claim);
    }
  }

  /** `messageId` is the record's id (inboundRecordId); `user` the user's key on their platform. */
  private schedule(messageId: string, user: string, claim: () => Promise<Claimed | null>): void {
    if (this.scheduled.has(messageId)) return;
    this.scheduled.add(messageId);
    inboundInProgress.set(this.scheduled.size);
    const previous = this.userTails.get(user) ?? Promise.resolve();
    const tail = previous
      .then(() => this.slots.run(() => this.process(messageId, claim)))
      .catch((error: unknown) => this.options.log.error({ err: error, messageId }, 'inbound message processing failed'))
      .finally(() => {
        this.scheduled.delete(messageId);
        inboundInProgress.set(this.scheduled.size);
        if (this.userTails.get(user) === tail) this.userTails.delete(user);
      });
    this.userTails.set(user, tail);
  }

  private async process(messageId: string, claim: () => Promise<Claimed | null>): Promise<void> {
    const { store, handler, queue, log } = this.options;
    const record = await claim();
    if (!record) return;
    try {
      const replies = await handler(record.event);
      // A reply goes back through the platform the user wrote in on.
      const userWroteAt = new Date(record.receivedAt);
      for (const [index, reply] of replies.entries()) {
        await queue.enqueue({ ...reply, platformId: reply.platformId ?? record.event.platformId }, { dedupeKey: `${messageId}:${index}`, userWroteAt });
      }
      await store.complete(messageId, this.owner);
      turnSeconds.observe((Date.now() - new Date(record.receivedAt).getTime()) / 1000);
    } catch (error) {
      const giveUp = record.attempts >= this.maxAttempts;
      turnFailures.inc({ outcome: giveUp ? 'failed' : 'retry' });
      const retryAt = giveUp ? undefined : new Date(Date.now() + this.retryDelay(record.attempts));
      log.warn({ err: error, messageId, attempts: record.attempts, giveUp }, 'turn failed');
      await store.release(messageId, this.owner, String(error), retryAt);
    }
  }

  /** Exponential backoff, jittered between half and the whole delay. */
  private retryDelay(attempts: number): number {
    return Math.round(this.retryBaseMs * 2 ** (attempts - 1) * (0.5 + Math.random() / 2));
  }
}

/** What a turn needs of a claimed record. */
type Claimed = Pick<InboundRecord, 'event' | 'attempts' | 'receivedAt'>;

/** At most `limit` tasks at once; the rest wait in arrival order. */
class Semaphore {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    // A finishing task hands its slot straight to the next waiter, so the limit is never exceeded.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

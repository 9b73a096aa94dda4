/**
 * The inbox: persists inbound messages and runs the turn handler for them. Two ways in: the
 * webhook hands a message to `receive`, which stores it already claimed by this process and
 * handles it at once (the fast path); and a periodic sweep claims whatever else is claimable in
 * the store — messages acknowledged before a crash, leases of dead processes, retries after a
 * failed attempt. A message is thus handled by one process at a time, and its replies are
 * queued with dedupe keys (`<messageId>:<index>`) so a re-run turn sends nothing twice.
 *
 * One user's messages are handled one at a time and in the order received, across processes:
 * within a process they wait in a chain per user; before a turn starts, the store is asked for an
 * earlier unfinished message of the user, or one another process is handling — if there is one,
 * the message is handed back and tried again shortly (see InboundStore.findBlocker).
 *
 * A message whose turn keeps failing is marked failed after its last attempt; the citizen still
 * gets one answer then, from `onGiveUp` (the conversation's apology).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { InboundEvent, OutboundMessage, OutboundQueue } from '../channels/model.js';
import { inboundRecordId, userKey } from '../channels/identity.js';
import type { InboundRecord, InboundStore } from './inboundMessage.js';
import type { TurnHandler } from './turnHandler.js';
import type { CallbackKey, Inbox, ReceiveOutcome } from './inbox.js';
import { inboundInProgress, turnFailures, turnSeconds } from './metrics.js';

/** Messages held in memory for processing at once; the rest wait in the store. */
const MAX_SCHEDULED = 5_000;
const SWEEP_BATCH = 1_000;
/** How long a message waits, about, when another message of its user must go first. */
const DEFER_MS = 100;

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
  /** What to tell the citizen when a message is given up on (sent once). */
  onGiveUp?: (event: InboundEvent) => OutboundMessage[];
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
  /** Deferred messages waiting to be tried again in this process. */
  private readonly retryTimers = new Set<NodeJS.Timeout>();
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
    const receivedAt = new Date();
    const outcome = await this.options.store.record(event, { claim, callbackKey }, receivedAt);
    if (outcome === 'new' && claim) {
      const claimed = { event, attempts: 1, receivedAt };
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
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    await this.sweeping;
    await Promise.all([...this.userTails.values()]);
  }

  private async sweep(): Promise<void> {
    // Bounded: a large backlog is worked through a batch per interval, not loaded at once.
    const room = Math.max(0, Math.min(SWEEP_BATCH, MAX_SCHEDULED - this.scheduled.size));
    if (room === 0) return;
    const claimable = await this.options.store.findClaimable(room);
    for (const record of claimable) this.schedule(record._id, record.userKey, this.claimFromStore(record._id));
  }

  /** Not yet claimed: when stopping before its turn comes, leave it for the next process. */
  private claimFromStore(messageId: string): () => Promise<Claimed | null> {
    return () => (this.stopped ? Promise.resolve(null) : this.options.store.claim(messageId, this.owner, this.leaseMs));
  }

  /** Hands the message back and tries it again here after about DEFER_MS (any process may take it first). */
  private async deferTurn(messageId: string, user: string): Promise<void> {
    const delay = Math.round(DEFER_MS * (0.5 + Math.random()));
    await this.options.store.defer(messageId, this.owner, new Date(Date.now() + delay));
    if (this.stopped) return;
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      this.schedule(messageId, user, this.claimFromStore(messageId));
    }, delay);
    this.retryTimers.add(timer);
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
    const user = userKey(record.event);
    if ((await store.findBlocker({ _id: messageId, userKey: user, receivedAt: record.receivedAt }, this.owner)) !== undefined) {
      await this.deferTurn(messageId, user);
      return;
    }
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
      if (giveUp) await this.answerGivenUp(record.event);
      await store.release(messageId, this.owner, String(error), retryAt);
    }
  }

  /** The one answer a given-up message gets; queued by dedupe key, so a repeat sends nothing more. */
  private async answerGivenUp(event: InboundEvent): Promise<void> {
    const replies = this.options.onGiveUp?.(event) ?? [];
    try {
      for (const [index, reply] of replies.entries()) {
        await this.options.queue.enqueue({ ...reply, platformId: reply.platformId ?? event.platformId }, { dedupeKey: `${inboundRecordId(event)}:given-up:${index}` });
      }
    } catch (error) {
      this.options.log.error({ err: error, messageId: event.messageId }, 'could not queue the answer to a given-up message');
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

/**
 * The process's side of the shared rate (slots.ts): every send waiting in this process for a
 * scope is granted from one `$inc` per slot and lane, replies before bulk traffic. A waiter not
 * granted in this slot waits for the next; what the scope's slots of the last second left unused
 * is added to the slot's capacity (read once per slot).
 */
import type { Logger } from '../log.js';
import { slotCapacity, type Lane, type RateSlots, type RecentSlots } from './slots.js';

export interface SharedRateOptions {
  /** The share of each scope's rate bulk traffic leaves to replies (0–1). */
  replyReserve: number;
}

interface Waiter {
  resolve: () => void;
}

interface ScopeState {
  rate: number;
  /** The share of the rate bulk traffic leaves to replies in this scope. */
  replyReserve: number;
  waiting: Record<Lane, Waiter[]>;
  pumping: boolean;
  /** The slots before the one asked for, read once per slot. */
  recent?: { slot: number; slots: RecentSlots };
}

interface Asked {
  granted: number;
  full: boolean;
  enough: boolean;
}

const NOTHING_ASKED: Asked = { granted: 0, full: false, enough: false };

/** Sends are asked for the current slot in its first part, after that for the next one. */
const ASK_WITHIN = 0.5;

export class SharedRate {
  private readonly scopes = new Map<string, ScopeState>();
  private stopped = false;

  constructor(
    readonly slots: RateSlots,
    private readonly options: SharedRateOptions,
    private readonly log: Logger,
  ) {}

  private get slotMs(): number {
    return this.slots.slotMs;
  }

  /**
   * Resolves when one send in `scope` (at most `rate` per second over all processes) may go. A
   * scope no reply is ever sent in (a campaign's own) keeps nothing back for them.
   */
  take(scope: string, rate: number, lane: Lane, options: { keepForReplies: boolean } = { keepForReplies: true }): Promise<void> {
    const state = this.scope(scope, rate, options.keepForReplies ? this.options.replyReserve : 0);
    return new Promise((resolve) => {
      state.waiting[lane].push({ resolve });
      if (!state.pumping) void this.pump(scope, state);
    });
  }

  private msToNextSlot(): number {
    return this.slotMs - (Date.now() % this.slotMs);
  }

  /** Lets every waiter go (the process is stopping; the sends it still makes are few). */
  stop(): void {
    this.stopped = true;
    for (const state of this.scopes.values()) {
      for (const lane of ['reply', 'bulk'] as const) for (const waiter of state.waiting[lane].splice(0)) waiter.resolve();
    }
  }

  private scope(scope: string, rate: number, replyReserve: number): ScopeState {
    let state = this.scopes.get(scope);
    if (!state) {
      state = { rate, replyReserve, waiting: { reply: [], bulk: [] }, pumping: false };
      this.scopes.set(scope, state);
    }
    state.rate = rate;
    return state;
  }

  private currentSlot(): number {
    return Math.floor(Date.now() / this.slotMs);
  }

  private limits(state: ScopeState, slot: number, recent: RecentSlots): { capacity: number; reserve: number } {
    const { rate, replyReserve } = state;
    const own = slotCapacity(rate, this.slotMs, slot);
    const ownByBulk = slotCapacity(rate * (1 - replyReserve), this.slotMs, slot);
    const capacity = own + recent.unused;
    // Bulk traffic carries over only what it left of its own share, never the replies' part.
    const lastReplies = replyReserve > 0 ? recent.replies : 0;
    const reserve = Math.max(own - ownByBulk, lastReplies, capacity - (ownByBulk + recent.unusedByBulk));
    return { capacity, reserve: Math.min(capacity, reserve) };
  }

  /**
   * Grants the waiters of a scope, slot by slot. A grant is asked for the slot the sends will go
   * in — this one early in it, else the next — and let go only within that slot: a grant that
   * comes back late (the store was slow) is void, so what is let go in any second never exceeds
   * the rate, whatever the store's latency.
   */
  private async pump(scope: string, state: ScopeState): Promise<void> {
    state.pumping = true;
    try {
      while (!this.stopped && (state.waiting.reply.length > 0 || state.waiting.bulk.length > 0)) {
        const now = Date.now();
        const slot = Math.floor(now / this.slotMs);
        const target = now % this.slotMs < this.slotMs * ASK_WITHIN ? slot : slot + 1;
        // Replies first: bulk traffic asks only for what the slot has left after them.
        const replies = state.waiting.reply.length > 0 ? await this.ask(scope, state, target, 'reply') : NOTHING_ASKED;
        const bulk = state.waiting.bulk.length > 0 ? await this.ask(scope, state, target, 'bulk') : NOTHING_ASKED;
        if (this.currentSlot() < target) await sleep(target * this.slotMs - Date.now());
        if (this.currentSlot() === target) {
          for (const waiter of state.waiting.reply.splice(0, replies.granted)) waiter.resolve();
          for (const waiter of state.waiting.bulk.splice(0, bulk.granted)) waiter.resolve();
          if (replies.enough || bulk.enough) await this.markEnough(scope, target);
        } else {
          await this.giveBack(scope, target, replies.granted, bulk.granted);
        }
        // The slot is spent for whoever still waits: on to the next one.
        if ((replies.full || bulk.full) && this.currentSlot() === target) await sleep(this.msToNextSlot());
      }
    } finally {
      state.pumping = false;
    }
  }

  /** A late grant is void: what it took goes back to the slot, for the slots after it to carry over. */
  private async giveBack(scope: string, slot: number, replies: number, bulk: number): Promise<void> {
    try {
      await this.slots.giveBack(scope, slot, replies, 'reply');
      await this.slots.giveBack(scope, slot, bulk, 'bulk');
    } catch (error) {
      this.log.warn({ err: error, scope }, 'could not give back a late grant; the slots after it carry less over');
    }
  }

  private async markEnough(scope: string, slot: number): Promise<void> {
    try {
      await this.slots.markEnough(scope, slot);
    } catch (error) {
      this.log.warn({ err: error, scope }, 'could not mark a slot as having had enough; the slots after it may carry its room over');
    }
  }

  /**
   * Asks the slot for the lane's waiters; `full` when some are left (the slot has no more for
   * them), `enough` when all were granted with room to spare.
   */
  private async ask(scope: string, state: ScopeState, slot: number, lane: Lane): Promise<Asked> {
    const waiting = state.waiting[lane].length;
    try {
      const limits = this.limits(state, slot, await this.recent(scope, state, slot));
      // Never ask for more than the slot can give: an oversized $inc, though given back at
      // once, would make other processes' requests meanwhile look refused.
      const want = Math.min(waiting, lane === 'reply' ? limits.capacity : limits.capacity - limits.reserve);
      const { granted, enough } = want > 0 ? await this.slots.take(scope, slot, want, lane, limits) : { granted: 0, enough: false };
      return { granted, full: granted < waiting, enough: enough && granted === waiting };
    } catch (error) {
      this.log.warn({ err: error, scope }, 'could not take sends from the shared rate; trying again in the next slot');
      return { granted: 0, full: true, enough: false };
    }
  }

  /** The slots before `slot` (read once per slot): what they left unused, and the replies bulk traffic leaves room for. */
  private async recent(scope: string, state: ScopeState, slot: number): Promise<RecentSlots> {
    if (state.recent?.slot !== slot) state.recent = { slot, slots: await this.slots.recent(scope, slot, state.rate, state.rate * (1 - state.replyReserve)) };
    return state.recent.slots;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

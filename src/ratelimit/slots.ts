/**
 * One rate for many processes: time is cut into slots (100 ms), each slot of a scope (a
 * platform's chatbot, a campaign) is a document counting the sends taken in it, and a process
 * takes sends with one atomic `$inc` — getting back what the slot held before it, it keeps what
 * fits under the slot's capacity and returns the rest. Replies and campaign (bulk) traffic share
 * a slot: bulk traffic may not take the part kept back for replies, which is a fixed share of
 * the rate, or more when replies took more in the slot before.
 *
 * What the slots of the last second left unused while sends were waiting is added to the
 * current slot's capacity (carried over): a slot a process missed — its event loop held up, the
 * store slow to answer, its grant back too late to use (given back) — is made up within the
 * second instead of lost, so the rate holds under load. A slot where some process got all it
 * asked for with room to spare is marked as having had enough (`e`): neither its room nor any
 * slot before it is carried over, so a scope that was idle does not start with a burst. What
 * slots took beyond their own capacity counts against the next ones, so no second of slots
 * takes more than the rate.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export type Lane = 'reply' | 'bulk';

interface SlotDocument {
  /** scope|slot number */
  _id: string;
  /** Sends taken in the slot, both lanes. */
  n: number;
  /** Of them, replies. */
  r: number;
  /** Set when a process got all it asked for and left room: the slot had enough, nothing to carry over. */
  e?: boolean;
  expiresAt: Date;
}

/** How long a slot's document is kept after the slot (it is only read by the slots of the second after it). */
const KEEP_MS = 60_000;

/** Unused capacity is carried over from the slots of this long before. */
export const CARRY_OVER_MS = 1000;

/** The slots before one, as far back as capacity is carried over from. */
export interface RecentSlots {
  /** Capacity the scope's slots of the last second left unused while sends were waiting (negative: taken beyond it). */
  unused: number;
  /** The same for bulk traffic: its own share of the rate, less what it took. */
  unusedByBulk: number;
  /** Replies taken in the slot just before. */
  replies: number;
}

export interface SlotLimits {
  /** The most sends in the slot. */
  capacity: number;
  /** What bulk traffic must leave free for replies. */
  reserve: number;
}

export class RateSlots {
  readonly model: Model<SlotDocument>;

  constructor(
    connection: Connection,
    readonly slotMs: number,
  ) {
    const schema = new Schema<SlotDocument>({ _id: String, n: Number, r: Number, e: Boolean, expiresAt: Date }, { collection: 'rateSlots', versionKey: false });
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    this.model = (connection.models.RateSlot as Model<SlotDocument> | undefined) ?? connection.model<SlotDocument>('RateSlot', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /**
   * Takes up to `want` sends in slot `slot` of `scope`: how many were granted (0 when the slot is
   * full), and whether that was all and the slot has room left (then mark it: markEnough).
   */
  async take(scope: string, slot: number, want: number, lane: Lane, limits: SlotLimits): Promise<{ granted: number; enough: boolean }> {
    const _id = `${scope}|${slot}`;
    const inc = lane === 'reply' ? { n: want, r: want } : { n: want, r: 0 };
    const expiresAt = new Date((slot + 1) * this.slotMs + KEEP_MS);
    const after = await this.model.findOneAndUpdate({ _id }, { $inc: inc, $setOnInsert: { expiresAt } }, { upsert: true, returnDocument: 'after', projection: { n: 1 } }).lean<Pick<SlotDocument, 'n'>>();
    const before = (after?.n ?? want) - want;
    const ceiling = lane === 'reply' ? limits.capacity : limits.capacity - limits.reserve;
    const granted = Math.max(0, Math.min(want, ceiling - before));
    if (granted < want) await this.giveBack(scope, slot, want - granted, lane);
    return { granted, enough: granted === want && ceiling - before > granted };
  }

  /** Some process had all it needed in the slot with room to spare: that room is not carried over. */
  async markEnough(scope: string, slot: number): Promise<void> {
    await this.model.updateOne({ _id: `${scope}|${slot}` }, { $set: { e: true } });
  }

  /** Returns sends taken in a slot and not made (the grant came back too late to use): later slots carry them over. */
  async giveBack(scope: string, slot: number, count: number, lane: Lane): Promise<void> {
    if (count <= 0) return;
    await this.model.updateOne({ _id: `${scope}|${slot}` }, { $inc: { n: -count, r: lane === 'reply' ? -count : 0 } });
  }

  /**
   * What the slots of the second before `slot` left unused at `rate` (`bulkRate` for bulk traffic)
   * while sends were waiting, and the replies of the slot just before (one read).
   */
  async recent(scope: string, slot: number, rate: number, bulkRate: number): Promise<RecentSlots> {
    const count = Math.max(0, Math.round(CARRY_OVER_MS / this.slotMs) - 1);
    const ids = Array.from({ length: count }, (_, back) => `${scope}|${slot - count + back}`);
    const rows = await this.model.find({ _id: { $in: ids } }, { n: 1, r: 1, e: 1 }).lean<SlotDocument[]>();
    const bySlot = new Map(rows.map((row) => [Number(row._id.slice(row._id.lastIndexOf('|') + 1)), row]));
    // From the first slot taken in after the last that had enough: a slot with no document
    // before that one was idle, after it missed.
    const enough = Math.max(-Infinity, ...[...bySlot].filter(([, row]) => row.e).map(([number]) => number));
    const first = Math.min(slot, ...[...bySlot.keys()].filter((number) => number > enough));
    let unused = 0;
    let unusedByBulk = 0;
    for (const number of [...(bySlot.has(enough) ? [enough] : []), ...range(first, slot)]) {
      const row = bySlot.get(number);
      const left = slotCapacity(rate, this.slotMs, number) - (row?.n ?? 0);
      const leftByBulk = slotCapacity(bulkRate, this.slotMs, number) - ((row?.n ?? 0) - (row?.r ?? 0));
      // The room of a slot that had enough is not carried; what it took beyond its capacity is.
      unused += number === enough ? Math.min(0, left) : left;
      unusedByBulk += number === enough ? Math.min(0, leftByBulk) : leftByBulk;
    }
    return { unused, unusedByBulk, replies: bySlot.get(slot - 1)?.r ?? 0 };
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);
}

/**
 * The sends slot `slot` holds at `rate` per second: whole numbers that add up exactly to the
 * rate over time (3.5/s in 100 ms slots: 0, 1, 0, 0, 1 … 7 every 2 s).
 */
export function slotCapacity(rate: number, slotMs: number, slot: number): number {
  const perSlot = (rate * slotMs) / 1000;
  return Math.floor((slot + 1) * perSlot + 1e-9) - Math.floor(slot * perSlot + 1e-9);
}

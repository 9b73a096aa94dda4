/**
 * One rate for many processes: time is cut into slots (100 ms), each slot of a scope (a
 * platform's chatbot, a campaign) is a document counting the sends taken in it, and a process
 * takes sends with one atomic `$inc` — getting back what the slot held before it, it keeps what
 * fits under the slot's capacity and returns the rest. Replies and campaign (bulk) traffic share
 * a slot: bulk traffic may not take the part kept back for replies, which is a fixed share of
 * the rate, or more when replies took more in the slot before.
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
  expiresAt: Date;
}

/** How long a slot's document is kept after the slot (it is only read by the slot after it). */
const KEEP_MS = 60_000;

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
    const schema = new Schema<SlotDocument>({ _id: String, n: Number, r: Number, expiresAt: Date }, { collection: 'rateSlots', versionKey: false });
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    this.model = (connection.models.RateSlot as Model<SlotDocument> | undefined) ?? connection.model<SlotDocument>('RateSlot', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /** Takes up to `want` sends in slot `slot` of `scope`; returns how many were granted (0 when the slot is full). */
  async take(scope: string, slot: number, want: number, lane: Lane, limits: SlotLimits): Promise<number> {
    const _id = `${scope}|${slot}`;
    const inc = lane === 'reply' ? { n: want, r: want } : { n: want, r: 0 };
    const expiresAt = new Date((slot + 1) * this.slotMs + KEEP_MS);
    const after = await this.model.findOneAndUpdate({ _id }, { $inc: inc, $setOnInsert: { expiresAt } }, { upsert: true, returnDocument: 'after', projection: { n: 1 } }).lean<Pick<SlotDocument, 'n'>>();
    const before = (after?.n ?? want) - want;
    const ceiling = lane === 'reply' ? limits.capacity : limits.capacity - limits.reserve;
    const granted = Math.max(0, Math.min(want, ceiling - before));
    if (granted < want) {
      const back = want - granted;
      await this.model.updateOne({ _id }, { $inc: { n: -back, r: lane === 'reply' ? -back : 0 } });
    }
    return granted;
  }

  /** Replies taken in a slot (0 when nothing was). */
  async replies(scope: string, slot: number): Promise<number> {
    const found = await this.model.findById(`${scope}|${slot}`, { r: 1 }).lean<Pick<SlotDocument, 'r'>>();
    return found?.r ?? 0;
  }
}

/**
 * The sends slot `slot` holds at `rate` per second: whole numbers that add up exactly to the
 * rate over time (3.5/s in 100 ms slots: 0, 1, 0, 0, 1 … 7 every 2 s).
 */
export function slotCapacity(rate: number, slotMs: number, slot: number): number {
  const perSlot = (rate * slotMs) / 1000;
  return Math.floor((slot + 1) * perSlot + 1e-9) - Math.floor(slot * perSlot + 1e-9);
}

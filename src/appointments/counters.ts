/**
 * Numbers handed out once: booking numbers per visit day, queue numbers per hall, day and queue
 * prefix. One `$inc` on a counter document decides each; a number taken by a turn that then
 * failed is simply skipped (gaps are harmless, duplicates would not be).
 */
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { CounterDocument } from './model.js';

export async function nextNumber(counters: Model<CounterDocument>, key: string): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      const counter = await counters.collection.findOneAndUpdate({ _id: key as never }, { $inc: { seq: 1 } }, { upsert: true, returnDocument: 'after' });
      return (counter as CounterDocument | null)?.seq ?? 1;
    } catch (error) {
      // Two first numbers of a key at once: the loser's upsert meets the winner's document.
      if (!isDuplicateKey(error) || attempt >= 3) throw error;
    }
  }
}

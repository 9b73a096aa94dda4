/**
 * Group commit for inserts on the acknowledgement path. Inserts that arrive while a batch is being
 * written wait and go together in the next insertMany (unordered), so under load one round trip
 * and one store commit serve many callbacks, and at low load an insert goes out at once.
 * Each caller still learns its own outcome: inserted, or refused by a unique index (which one).
 */
import type { Collection, Document } from 'mongodb';
import { duplicateKeyIndex, isDuplicateKey } from './duplicateKey.js';

export type InsertOutcome = 'inserted' | 'duplicate';

/** What became of one document: inserted, or a duplicate on the named unique index. */
export type InsertResult = { outcome: 'inserted' } | { outcome: 'duplicate'; index: string };

interface Pending {
  document: Document;
  resolve: (result: InsertResult) => void;
  reject: (error: unknown) => void;
}

interface WriteFailure {
  index: number;
  code?: number;
  errmsg?: string;
}

interface BulkWriteFailure {
  writeErrors?: WriteFailure[] | WriteFailure;
}

// Small enough that one batch never holds the store (or this event loop) for long.
const MAX_BATCH = 64;

export class GroupInsert {
  private queue: Pending[] = [];
  private writing = false;

  constructor(private readonly collection: () => Collection<Document>) {}

  /** Inserted, or 'duplicate' when a unique index (the _id one or another) refused it. */
  async insert(document: Document): Promise<InsertOutcome> {
    return (await this.insertReporting(document)).outcome;
  }

  /** Like insert, naming the unique index that refused a duplicate. */
  insertReporting(document: Document): Promise<InsertResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ document, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        await this.write(batch);
      }
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    try {
      await this.collection().insertMany(
        batch.map((pending) => pending.document),
        { ordered: false },
      );
      for (const pending of batch) pending.resolve({ outcome: 'inserted' });
    } catch (error) {
      const failures = writeErrors(error);
      if (!failures) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      batch.forEach((pending, index) => {
        const failure = failures.get(index);
        if (failure === undefined) pending.resolve({ outcome: 'inserted' });
        else if (isDuplicateKey(failure)) pending.resolve({ outcome: 'duplicate', index: duplicateKeyIndex(failure.errmsg) });
        else pending.reject(failure);
      });
    }
  }
}

/** Per-document failures of an unordered insertMany, by position; undefined when the whole call failed. */
function writeErrors(error: unknown): Map<number, WriteFailure> | undefined {
  const raw = (error as BulkWriteFailure | undefined)?.writeErrors;
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  return new Map(list.map((failure) => [failure.index, failure]));
}

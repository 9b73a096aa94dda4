/**
 * Group commit for inserts on the acknowledgement path. Inserts that arrive while a batch is being
 * written wait and go together in the next insertMany (unordered), so under load one round trip
 * and one store commit serve many callbacks, and at low load an insert goes out at once.
 * Each caller still learns its own outcome: inserted, or refused by a unique index (which one).
 */
import type { Collection, Document } from 'mongodb';
import { Batcher, ItemFailure } from '../util/batcher.js';
import { duplicateKeyIndex, isDuplicateKey } from './duplicateKey.js';

export type InsertOutcome = 'inserted' | 'duplicate';

/** What became of one document: inserted, or a duplicate on the named unique index. */
export type InsertResult = { outcome: 'inserted' } | { outcome: 'duplicate'; index: string };

interface WriteFailure {
  index: number;
  code?: number;
  errmsg?: string;
}

interface BulkWriteFailure {
  writeErrors?: WriteFailure[] | WriteFailure;
}

export class GroupInsert {
  private readonly batcher = new Batcher<Document, InsertResult>((documents) => this.write(documents));

  constructor(private readonly collection: () => Collection<Document>) {}

  /** Inserted, or 'duplicate' when a unique index (the _id one or another) refused it. */
  async insert(document: Document): Promise<InsertOutcome> {
    return (await this.insertReporting(document)).outcome;
  }

  /** Like insert, naming the unique index that refused a duplicate. */
  insertReporting(document: Document): Promise<InsertResult> {
    return this.batcher.submit(document);
  }

  private async write(documents: Document[]): Promise<Array<InsertResult | ItemFailure>> {
    try {
      await this.collection().insertMany(documents, { ordered: false });
      return documents.map(() => ({ outcome: 'inserted' }));
    } catch (error) {
      const failures = writeErrors(error);
      if (!failures) throw error;
      return documents.map((_, index) => {
        const failure = failures.get(index);
        if (failure === undefined) return { outcome: 'inserted' };
        if (isDuplicateKey(failure)) return { outcome: 'duplicate', index: duplicateKeyIndex(failure.errmsg) };
        return new ItemFailure(failure);
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

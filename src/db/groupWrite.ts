/**
 * Group commit for single-document writes of any kind (inserts, conditional updates, upserts) on a
 * turn's path. Writes that arrive while a batch is being written wait and go together in the next
 * unordered bulkWrite, so under load one round trip and one store commit serve many turns, and at
 * low load a write goes out at once. Each caller still learns its own outcome: written, or refused
 * by a unique index (which one) — the signal a conditional upsert uses to say "not the version
 * you read" (see MongoSessionStore).
 */
import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';
import { Batcher, ItemFailure } from '../util/batcher.js';
import { duplicateKeyIndex, isDuplicateKey } from './duplicateKey.js';

/** What became of one write: done, or a duplicate on the named unique index. */
export type WriteResult = { outcome: 'written' } | { outcome: 'duplicate'; index: string };

interface WriteFailure {
  index: number;
  code?: number;
  errmsg?: string;
}

interface BulkWriteFailure {
  writeErrors?: WriteFailure[] | WriteFailure;
}

export class GroupWrite<TSchema extends Document = Document> {
  private readonly batcher = new Batcher<AnyBulkWriteOperation<TSchema>, WriteResult>((operations) => this.write(operations));

  constructor(private readonly collection: () => Collection<TSchema>) {}

  /** Written, or 'duplicate' naming the unique index (the _id one or another) that refused it. */
  submit(operation: AnyBulkWriteOperation<TSchema>): Promise<WriteResult> {
    return this.batcher.submit(operation);
  }

  private async write(operations: Array<AnyBulkWriteOperation<TSchema>>): Promise<Array<WriteResult | ItemFailure>> {
    try {
      await this.collection().bulkWrite(operations, { ordered: false });
      return operations.map(() => ({ outcome: 'written' }));
    } catch (error) {
      const failures = writeErrors(error);
      if (!failures) throw error;
      return operations.map((_, index) => {
        const failure = failures.get(index);
        if (failure === undefined) return { outcome: 'written' };
        if (isDuplicateKey(failure)) return { outcome: 'duplicate', index: duplicateKeyIndex(failure.errmsg) };
        return new ItemFailure(failure);
      });
    }
  }
}

/** Per-operation failures of an unordered bulk write, by position; undefined when the whole call failed. */
function writeErrors(error: unknown): Map<number, WriteFailure> | undefined {
  const raw = (error as BulkWriteFailure | undefined)?.writeErrors;
  if (raw === undefined) return undefined;
  const list = Array.isArray(raw) ? raw : [raw];
  return new Map(list.map((failure) => [failure.index, failure]));
}

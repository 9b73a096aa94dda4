/**
 * Importing rows into the directory: each row is checked (row.ts), good ones are upserted by
 * credit code in batches (one unordered bulk write each, so memory stays bounded whatever the
 * body's size), bad ones are reported with their line and reason and skipped.
 */
import type { AnyBulkWriteOperation, Document } from 'mongodb';
import type { EnterpriseModel } from '../enterprise.js';
import type { Vocabulary } from '../vocabulary.js';
import { readRow, type EnterpriseWrite } from './row.js';
import type { SourceRow } from './sources.js';

export interface ImportSummary {
  imported: number;
  updated: number;
  /** The first MAX_REPORTED rejected rows, in file order. */
  rejected: Array<{ line: number; reason: string }>;
  /** All rejected rows (more than listed when the list was cut). */
  rejectedCount: number;
}

const BATCH = 500;
export const MAX_REPORTED = 1000;

function operation(write: EnterpriseWrite, now: Date): AnyBulkWriteOperation<Document> {
  return {
    updateOne: {
      filter: { _id: write.creditCode as unknown as Document['_id'] },
      update: {
        $set: { ...write.set, updatedAt: now },
        $setOnInsert: { createdAt: now, ...('tags' in write.set ? {} : { tags: [] }) },
        ...(write.unset.length > 0 ? { $unset: Object.fromEntries(write.unset.map((field) => [field, ''])) } : {}),
      },
      upsert: true,
    },
  };
}

export async function importRows(model: EnterpriseModel, rows: AsyncIterable<SourceRow>, vocabulary: Vocabulary, now = new Date()): Promise<ImportSummary> {
  const summary: ImportSummary = { imported: 0, updated: 0, rejected: [], rejectedCount: 0 };
  const reject = (line: number, reason: string): void => {
    summary.rejectedCount++;
    if (summary.rejected.length < MAX_REPORTED) summary.rejected.push({ line, reason });
  };
  let batch = new Map<string, EnterpriseWrite>();
  const flush = async (): Promise<void> => {
    if (batch.size === 0) return;
    const operations = [...batch.values()].map((write) => operation(write, now));
    batch = new Map();
    // The driver's collection: rows are checked here already, and mongoose's casting of 100,000
    // updates would cost more than the writes.
    const result = await model.collection.bulkWrite(operations, { ordered: false });
    summary.imported += result.upsertedCount;
    summary.updated += result.matchedCount;
  };
  for await (const source of rows) {
    if ('problem' in source) {
      reject(source.line, source.problem);
      continue;
    }
    const outcome = readRow(source.row, vocabulary, now);
    if (!outcome.ok) {
      reject(source.line, outcome.reason);
      continue;
    }
    // The same code twice in one batch: the later row wins, as it would in file order.
    if (batch.has(outcome.write.creditCode)) await flush();
    batch.set(outcome.write.creditCode, outcome.write);
    if (batch.size >= BATCH) await flush();
  }
  await flush();
  return summary;
}

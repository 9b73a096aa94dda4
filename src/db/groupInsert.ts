/**
 * Group commit for inserts on the acknowledgement path (GroupWrite, for inserts only): inserts
 * that arrive while a batch is being written go together in the next bulk write, and each caller
 * learns whether its document went in or which unique index refused it.
 */
import type { Collection, Document } from 'mongodb';
import { GroupWrite } from './groupWrite.js';

export type InsertOutcome = 'inserted' | 'duplicate';

/** What became of one document: inserted, or a duplicate on the named unique index. */
export type InsertResult = { outcome: 'inserted' } | { outcome: 'duplicate'; index: string };

export class GroupInsert {
  private readonly writes: GroupWrite;

  constructor(collection: () => Collection<Document>) {
    this.writes = new GroupWrite(collection);
  }

  /** Inserted, or 'duplicate' when a unique index (the _id one or another) refused it. */
  async insert(document: Document): Promise<InsertOutcome> {
    return (await this.insertReporting(document)).outcome;
  }

  /** Like insert, naming the unique index that refused a duplicate. */
  async insertReporting(document: Document): Promise<InsertResult> {
    const result = await this.writes.submit({ insertOne: { document } });
    return result.outcome === 'written' ? { outcome: 'inserted' } : result;
  }
}

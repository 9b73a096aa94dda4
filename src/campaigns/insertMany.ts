/** Inserting documents that may be there already (written before a crash): duplicates are skipped, any other failure is thrown. */
import type { Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';

export async function insertIgnoringDuplicates<T>(model: Model<T>, documents: T[]): Promise<number> {
  try {
    const result = await model.collection.insertMany(documents as never[], { ordered: false });
    return result.insertedCount;
  } catch (error) {
    const failures = (error as { writeErrors?: unknown[] }).writeErrors;
    const list = Array.isArray(failures) ? failures : failures === undefined ? undefined : [failures];
    if (!list || !list.every((failure) => isDuplicateKey((failure as { err?: unknown }).err ?? failure))) throw error;
    return documents.length - list.length;
  }
}

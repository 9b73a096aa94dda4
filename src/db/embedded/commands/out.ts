/**
 * The `$out` stage: the pipeline's results replace the target collection's documents, keeping
 * its options and indexes. As in MongoDB they are written to a temporary collection first, which
 * is then renamed over the target, so a failure (a duplicate key) leaves the target as it was.
 */
import { ObjectId } from 'bson';
import { isPlainObject, type Doc } from '../documents.js';
import { CommandError } from '../errors.js';
import type { CommandContext } from './context.js';

export interface OutTarget {
  db: string;
  coll: string;
}

/** The target a `$out` names (a collection name, or `{db, coll}`). */
export function outTarget(spec: unknown, db: string): OutTarget {
  if (typeof spec === 'string' && spec !== '') return { db, coll: spec };
  if (isPlainObject(spec) && typeof spec.coll === 'string' && spec.coll !== '') {
    return { db: typeof spec.db === 'string' ? spec.db : db, coll: spec.coll };
  }
  throw new CommandError(16990, 'Location16990', "$out only supports a string or object argument, with a 'coll' field");
}

export function writeOut(results: Doc[], target: OutTarget, context: CommandContext): void {
  const { store } = context;
  const existing = store.get(target.db, target.coll);
  const temporary = `tmp.agg_out.${new ObjectId().toHexString()}`;
  store.storage.transaction(() => {
    const staging = store.obtain(target.db, temporary, existing?.options ?? {});
    try {
      for (const spec of existing?.indexSpecs().slice(1) ?? []) staging.addIndex(spec);
      for (const doc of results) staging.insert(doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc);
    } catch (error) {
      store.drop(target.db, temporary);
      throw error;
    }
    if (existing) store.drop(target.db, target.coll);
    store.rename(staging, target.db, target.coll);
  });
}

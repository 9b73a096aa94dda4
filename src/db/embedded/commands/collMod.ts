/**
 * collMod: hides or unhides an index, changes a TTL index's expireAfterSeconds, and sets the
 * collection's validator settings (validation.ts enforces them).
 */
import { canonicalKey } from '../bsonOrder.js';
import type { Collection } from '../collection.js';
import { isPlainObject, type Doc } from '../documents.js';
import { CommandError, indexNotFound, namespaceNotFound } from '../errors.js';
import type { SortedIndex } from '../sortedIndex.js';
import { checkValidator } from '../validation.js';
import { collectionName, ownOptions, type CommandContext } from './context.js';

const RECORDED_OPTIONS = new Set(['validator', 'validationLevel', 'validationAction']);

const invalidOptions = (message: string): CommandError => new CommandError(72, 'InvalidOptions', message);

function findIndex(collection: Collection, change: Doc): SortedIndex {
  const byName = typeof change.name === 'string' ? collection.indexes.get(change.name) : undefined;
  const byKey = isPlainObject(change.keyPattern)
    ? [...collection.indexes.values()].find((index) => canonicalKey(index.spec.key) === canonicalKey(change.keyPattern))
    : undefined;
  const index = byName ?? byKey;
  if (!index) throw indexNotFound(`cannot find index ${String(change.name ?? JSON.stringify(change.keyPattern))} for ns ${collection.ns}`);
  return index;
}

/** The reply fields MongoDB gives for an index change: the old and new values. */
function changeIndex(collection: Collection, change: unknown): Doc {
  if (!isPlainObject(change)) throw invalidOptions("'index' must be an object");
  const index = findIndex(collection, change);
  const reply: Doc = {};
  if (typeof change.hidden === 'boolean') {
    reply.hidden_old = index.spec.hidden === true;
    reply.hidden_new = change.hidden;
    index.spec.hidden = change.hidden;
  }
  if (change.expireAfterSeconds !== undefined) {
    if (index.spec.expireAfterSeconds === undefined) throw invalidOptions('no expireAfterSeconds field to update');
    reply.expireAfterSeconds_old = index.spec.expireAfterSeconds;
    reply.expireAfterSeconds_new = Number(change.expireAfterSeconds);
    index.spec.expireAfterSeconds = Number(change.expireAfterSeconds);
  }
  if (Object.keys(reply).length === 0) throw invalidOptions('no expireAfterSeconds or hidden field');
  collection.saveIndexSpec(index.spec);
  return reply;
}

export function collMod(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'collMod');
  const collection = context.store.get(context.db, name);
  if (!collection) throw namespaceNotFound(`ns does not exist: ${context.db}.${name}`);
  const options = ownOptions(command, 'collMod');
  checkValidator(options);
  for (const field of Object.keys(options)) {
    if (field !== 'index' && !RECORDED_OPTIONS.has(field)) throw invalidOptions(`unknown option to collMod: ${field}`);
  }
  return context.store.storage.transaction(() => {
    const reply: Doc = { ok: 1 };
    if (options.index !== undefined) Object.assign(reply, changeIndex(collection, options.index));
    const recorded = Object.keys(options).filter((field) => RECORDED_OPTIONS.has(field));
    if (recorded.length > 0) {
      for (const field of recorded) collection.options[field] = options[field];
      context.store.storage.putCollection(collection.ns, collection.options);
    }
    return reply;
  });
}

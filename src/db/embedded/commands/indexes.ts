/** createIndexes, listIndexes, dropIndexes. */
import { canonicalKey } from '../bsonOrder.js';
import { isPlainObject, type Doc } from '../documents.js';
import { badValue, indexKeySpecsConflict, indexNotFound, indexOptionsConflict } from '../errors.js';
import type { IndexSpec } from '../sortedIndex.js';
import type { Collection } from '../collection.js';
import { collectionName, type CommandContext } from './context.js';

/** The options that make two same-named indexes different. */
function identity(spec: IndexSpec): string {
  return canonicalKey({
    key: spec.key,
    unique: spec.unique === true,
    sparse: spec.sparse === true,
    partial: spec.partialFilterExpression ?? null,
    ttl: spec.expireAfterSeconds ?? null,
  });
}

function defaultName(key: Doc): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${String(direction)}`)
    .join('_');
}

function toSpec(raw: unknown): IndexSpec {
  if (!isPlainObject(raw) || !isPlainObject(raw.key) || Object.keys(raw.key).length === 0) {
    throw badValue("each index needs a non-empty 'key' object");
  }
  const { background: _background, key, name: givenName, v: _v, ...options } = raw;
  const name = typeof givenName === 'string' ? givenName : defaultName(raw.key);
  return { v: 2, key: key as IndexSpec['key'], name, ...options };
}

function addOne(collection: Collection, spec: IndexSpec): boolean {
  if (spec.name === '_id_' || canonicalKey(spec.key) === canonicalKey({ _id: 1 })) return false;
  for (const existing of collection.indexes.values()) {
    const sameName = existing.spec.name === spec.name;
    const sameIdentity = identity(existing.spec) === identity(spec);
    if (sameName && sameIdentity) return false;
    if (sameName) {
      throw indexKeySpecsConflict(`An existing index has the same name as the requested index. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(existing.spec)}`);
    }
    if (sameIdentity) {
      throw indexOptionsConflict(`Index already exists with a different name: ${existing.spec.name}`);
    }
  }
  collection.addIndex(spec);
  return true;
}

export function createIndexes(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'createIndexes');
  if (!Array.isArray(command.indexes) || command.indexes.length === 0) throw badValue("'indexes' must be a non-empty array");
  const specs = command.indexes.map(toSpec);
  return context.store.storage.transaction(() => {
    const createdCollectionAutomatically = !context.store.get(context.db, name);
    const collection = context.store.obtain(context.db, name);
    const numIndexesBefore = collection.indexSpecs().length;
    let created = 0;
    for (const spec of specs) if (addOne(collection, spec)) created++;
    const reply: Doc = { numIndexesBefore, numIndexesAfter: collection.indexSpecs().length, createdCollectionAutomatically, ok: 1 };
    if (created === 0) reply.note = 'all indexes already exist';
    return reply;
  });
}

export function listIndexes(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'listIndexes');
  const collection = context.store.get(context.db, name);
  if (!collection) {
    return { ok: 0, errmsg: `ns does not exist: ${context.db}.${name}`, code: 26, codeName: 'NamespaceNotFound' };
  }
  return context.cursors.first(`${context.db}.${name}`, collection.indexSpecs(), undefined);
}

export function dropIndexes(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'dropIndexes');
  const collection = context.store.get(context.db, name);
  if (!collection) throw indexNotFound(`ns not found ${context.db}.${name}`);
  const nIndexesWas = collection.indexSpecs().length;
  const target = command.index;
  const names: string[] =
    target === '*'
      ? [...collection.indexes.keys()]
      : typeof target === 'string'
        ? [target]
        : Array.isArray(target)
          ? target.map(String)
          : [...collection.indexes.values()].filter((index) => canonicalKey(index.spec.key) === canonicalKey(target)).map((index) => index.spec.name);
  if (names.length === 0 || names.some((indexName) => !collection.indexes.has(indexName))) {
    throw indexNotFound(`index not found with name [${names.join(', ') || JSON.stringify(target)}]`);
  }
  context.store.storage.transaction(() => {
    for (const indexName of names) collection.dropIndex(indexName);
  });
  return { nIndexesWas, ok: 1 };
}

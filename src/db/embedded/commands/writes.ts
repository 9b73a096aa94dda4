/** insert, update and delete: batches of single-document writes with per-statement errors. */
import type { Collection } from '../collection.js';
import { isPlainObject, type Doc } from '../documents.js';
import { badValue, CommandError, errorReply } from '../errors.js';
import { ObjectId } from 'bson';
import { effectiveCollation } from '../collation.js';
import { checkValidation } from '../validation.js';
import { applyUpdate, upsertDocument, type UpdateSpec } from '../updates.js';
import { collectionName, type CommandContext } from './context.js';

interface WriteError extends Doc {
  index: number;
  code: number;
  errmsg: string;
}

function statements(command: Doc, field: string): Doc[] {
  const value = command[field];
  if (!Array.isArray(value) || !value.every(isPlainObject)) throw badValue(`'${field}' must be an array of objects`);
  return value;
}

/** Runs each statement in one storage transaction; stops at the first error when ordered. */
function runBatch(context: CommandContext, command: Doc, items: Doc[], run: (item: Doc, index: number) => void): WriteError[] {
  const ordered = command.ordered !== false;
  const errors: WriteError[] = [];
  context.store.storage.transaction(() => {
    for (let index = 0; index < items.length; index++) {
      try {
        run(items[index] as Doc, index);
      } catch (error) {
        if (!(error instanceof CommandError)) context.log.debug({ err: error }, 'write statement failed');
        const { ok: _ok, codeName: _codeName, ...details } = errorReply(error);
        errors.push({ index, ...details } as WriteError);
        if (ordered) break;
      }
    }
  });
  return errors;
}

function reply(fields: Doc, errors: WriteError[]): Doc {
  return errors.length > 0 ? { ...fields, writeErrors: errors, ok: 1 } : { ...fields, ok: 1 };
}

export function insert(command: Doc, context: CommandContext): Doc {
  const collection = context.store.obtain(context.db, collectionName(command, 'insert'));
  const documents = statements(command, 'documents');
  let n = 0;
  const errors = runBatch(context, command, documents, (doc) => {
    // The validator sees the document as stored, _id included.
    const stored = doc._id === undefined ? { _id: new ObjectId(), ...doc } : doc;
    checkValidation(collection, stored, undefined, command);
    collection.insert(stored);
    n++;
  });
  return reply({ n }, errors);
}

interface UpdateCounts {
  n: number;
  nModified: number;
  upserted: Array<{ index: number; _id: unknown }>;
}

function updateStatement(collection: Collection, statement: Doc, index: number, counts: UpdateCounts, command: Doc): void {
  const filter = (statement.q ?? {}) as Doc;
  const update = statement.u as UpdateSpec;
  if (update === null || typeof update !== 'object') throw badValue("'u' must be an object or pipeline");
  const arrayFilters = statement.arrayFilters as Doc[] | undefined;
  const collation = effectiveCollation(statement, collection.options);
  const matches = statement.multi ? collection.match(filter, undefined, undefined, collation) : firstMatch(collection, filter, statement.sort, collation);
  if (matches.length === 0 && statement.upsert) {
    const inserted = upsertDocument(filter, update, arrayFilters);
    checkValidation(collection, inserted, undefined, command);
    const doc = collection.insert(inserted);
    counts.n++;
    counts.upserted.push({ index, _id: doc._id });
    return;
  }
  for (const current of matches) {
    const outcome = applyUpdate(current, update, arrayFilters, filter);
    counts.n++;
    if (outcome.modified) {
      checkValidation(collection, outcome.doc, current, command);
      collection.replace(current, outcome.doc);
      counts.nModified++;
    }
  }
}

/** The one document a single-document write targets: the first in `sort` order, or natural order. */
export function firstMatch(collection: Collection, filter: Doc, sort: unknown, collation?: Doc): Doc[] {
  return collection.query(filter, { sort: isPlainObject(sort) ? sort : undefined, limit: 1, collation });
}

export function update(command: Doc, context: CommandContext): Doc {
  const collection = context.store.obtain(context.db, collectionName(command, 'update'));
  const counts: UpdateCounts = { n: 0, nModified: 0, upserted: [] };
  const errors = runBatch(context, command, statements(command, 'updates'), (statement, index) =>
    updateStatement(collection, statement, index, counts, command),
  );
  const fields: Doc = { n: counts.n, nModified: counts.nModified };
  if (counts.upserted.length > 0) fields.upserted = counts.upserted;
  return reply(fields, errors);
}

export function remove(command: Doc, context: CommandContext): Doc {
  const collection = context.store.get(context.db, collectionName(command, 'delete'));
  let n = 0;
  const errors = runBatch(context, command, statements(command, 'deletes'), (statement) => {
    if (!collection) return;
    const single = Number(statement.limit ?? 0) === 1;
    const collation = effectiveCollation(statement, collection.options);
    const targets = collection.match((statement.q ?? {}) as Doc, undefined, single ? 1 : undefined, collation);
    for (const doc of targets) collection.remove(doc);
    n += targets.length;
  });
  return reply({ n }, errors);
}

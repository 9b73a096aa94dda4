/**
 * Applying an update (operator document, replacement, or pipeline) to one document, and building
 * the document an upsert inserts. Never mutates its input.
 */
import { ObjectId } from 'bson';
import { canonicalKey } from './bsonOrder.js';
import { cloneDocument, isOperatorDocument, isPlainObject, type Doc } from './documents.js';
import { failedToParse, immutableField, type CommandError } from './errors.js';
import { aggregate } from './mql.js';
import { applySimpleModifier } from './simpleModifier.js';
import { applyModifier } from './update/modifier.js';

export type UpdateSpec = Doc | Doc[];

export interface UpdateOutcome {
  doc: Doc;
  modified: boolean;
}

function runModifier(doc: Doc, update: Doc, arrayFilters: Doc[] | undefined, filter: Doc, inserting: boolean): boolean {
  if (!inserting && arrayFilters === undefined) {
    const simple = applySimpleModifier(doc, update);
    if (simple !== undefined) return simple;
  }
  return applyModifier(doc, update, { filter, arrayFilters, inserting });
}

const changesId = (before: unknown, after: unknown): boolean => canonicalKey(before) !== canonicalKey(after);

function immutableId(): CommandError {
  return immutableField("Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** The updated copy of `current`; an update that changes `_id` is refused (same value is fine). */
export function applyUpdate(current: Doc, update: UpdateSpec, arrayFilters: Doc[] | undefined, filter: Doc, inserting = false): UpdateOutcome {
  if (Array.isArray(update)) {
    const [doc] = aggregate([cloneDocument(current)], update);
    const next = { _id: current._id, ...(doc ?? {}) };
    return { doc: next, modified: canonicalKey(next) !== canonicalKey(current) };
  }
  if (!isOperatorDocument(update)) {
    if (Object.keys(update).some((key) => key.startsWith('$'))) {
      throw failedToParse('Unknown modifier: replacement documents cannot contain $ fields');
    }
    const next = { _id: current._id, ...cloneDocument(update) };
    return { doc: next, modified: canonicalKey(next) !== canonicalKey(current) };
  }
  const doc = cloneDocument(current);
  const modified = runModifier(doc, update, arrayFilters, filter, inserting);
  if (changesId(doc._id, current._id)) throw immutableId();
  return { doc, modified };
}

/** Equality fields of a filter, which an upsert copies into the new document. */
function equalityFields(filter: Doc, out: Doc = {}): Doc {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition) if (isPlainObject(clause)) equalityFields(clause, out);
    } else if (!field.startsWith('$')) {
      if (isPlainObject(condition) && isOperatorDocument(condition)) {
        if ('$eq' in condition) out[field] = condition.$eq;
      } else if (!(condition instanceof RegExp)) out[field] = condition;
    }
  }
  return out;
}

/** `_id` first, as MongoDB stores it; a new ObjectId when nothing supplied one. */
function withIdFirst(doc: Doc): Doc {
  const { _id: id, ...fields } = doc;
  return { _id: id === undefined ? new ObjectId() : id, ...fields };
}

/**
 * The document an upsert inserts when nothing matched: the filter's equality fields (including
 * `_id`), then the update applied with `$setOnInsert`. An `_id` from the filter may be restated by
 * the update but not changed; without one, `$setOnInsert`/`$set` may supply it.
 */
export function upsertDocument(filter: Doc, update: UpdateSpec, arrayFilters: Doc[] | undefined): Doc {
  const seed: Doc = {};
  const fields = equalityFields(filter);
  if (Object.keys(fields).length > 0) applyModifier(seed, { $set: fields }, { filter, inserting: true });
  const seededId = seed._id;
  let doc: Doc;
  if (Array.isArray(update)) {
    doc = aggregate([seed], update)[0] ?? {};
  } else if (!isOperatorDocument(update)) {
    doc = applyUpdate(seed, update, arrayFilters, filter).doc;
  } else {
    doc = cloneDocument(seed);
    runModifier(doc, update, arrayFilters, filter, true);
  }
  if (seededId !== undefined && changesId(doc._id, seededId)) throw immutableId();
  return withIdFirst(doc);
}

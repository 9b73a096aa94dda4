/**
 * Applying an update (operator document, replacement, or pipeline) to one document with mingo's
 * updater, and building the document an upsert inserts. Never mutates its input.
 */
import { ObjectId } from 'bson';
import { canonicalKey } from './bsonOrder.js';
import { cloneDocument, isOperatorDocument, isPlainObject, type Doc } from './documents.js';
import { CommandError, failedToParse } from './errors.js';
import { aggregate, update as applyModifier } from './mql.js';

export type UpdateSpec = Doc | Doc[];

export interface UpdateOutcome {
  doc: Doc;
  modified: boolean;
}

function modifierOf(update: Doc, inserting: boolean): Doc {
  const { $setOnInsert: onInsert, ...rest } = update;
  if (!inserting || onInsert === undefined) return rest;
  return { ...rest, $set: { ...(rest.$set as Doc | undefined), ...(onInsert as Doc) } };
}

function runModifier(doc: Doc, modifier: Doc, arrayFilters: Doc[] | undefined, filter: Doc): boolean {
  if (Object.keys(modifier).length === 0) return false;
  // The filter only matters to the positional `$` operator; skipping it saves re-running the query.
  const positional = Object.values(modifier).some(
    (fields) => isPlainObject(fields) && Object.keys(fields).some((path) => /(^|\.)\$(\.|$)/.test(path)),
  );
  try {
    return applyModifier(doc, modifier, arrayFilters, positional ? filter : undefined).length > 0;
  } catch (error) {
    throw failedToParse((error as Error).message);
  }
}

/** The updated copy of `current`; `_id` changes are refused by the collection. */
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
  const modified = runModifier(doc, modifierOf(update, inserting), arrayFilters, filter);
  if (canonicalKey(doc._id) !== canonicalKey(current._id)) {
    throw new CommandError(66, 'ImmutableField', "Performing an update on the path '_id' would modify the immutable field '_id'");
  }
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

/** The document an upsert inserts when nothing matched. */
export function upsertDocument(filter: Doc, update: UpdateSpec, arrayFilters: Doc[] | undefined): Doc {
  const seed: Doc = {};
  const fields = equalityFields(filter);
  if (Object.keys(fields).length > 0) applyModifier(seed, { $set: cloneDocument(fields) });
  const base = { _id: seed._id ?? new ObjectId(), ...seed };
  if (!Array.isArray(update) && !isOperatorDocument(update)) {
    return { _id: base._id, ...cloneDocument(update) };
  }
  return applyUpdate(base, update, arrayFilters, filter, true).doc;
}

/**
 * Query operators whose MongoDB meaning mingo's differ from: equality, membership and ranges in
 * BSON terms (binary data, ObjectIds and numbers of any type compare by value; a range only
 * matches values of the bound's type class), `$all` on a scalar field, `$type` by BSON type, and
 * the DBRef fields `$ref`/`$id`/`$db`, which MongoDB takes as field names, not operators.
 * Each is a mingo query operator: (path, argument) → test of a document.
 */
import { DBRef } from 'bson';
import { bsonType, canonicalKey, typeRank } from './bsonOrder.js';
import { collatorFor, compareCollated, type StringCompare } from './collation.js';
import { isPlainObject, type Doc } from './documents.js';
import { matcher } from './matcher.js';
import type { AnyObject, Options } from 'mingo/types';

type Test = (doc: AnyObject) => boolean;
/** mingo's signature; its options are not needed here. */
type QueryOperator = (path: string, argument: unknown, _options?: Options) => Test;

/** A field of a document as a query sees it: own properties only, and a DBRef's `$` fields. */
function field(value: unknown, name: string): unknown {
  if (value instanceof DBRef) {
    if (name === '$ref') return value.collection;
    if (name === '$id') return value.oid;
    if (name === '$db') return value.db;
    return value.fields[name];
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  return Object.hasOwn(value, name) ? (value as Doc)[name] : undefined;
}

/**
 * Every value a path reaches, as MongoDB matches them: arrays on the way are traversed, an array
 * at the end is a value itself and so is each of its elements, a missing field is `undefined`.
 */
export function queryValues(doc: unknown, parts: string[], depth = 0, out: unknown[] = []): unknown[] {
  if (depth === parts.length) {
    out.push(doc);
    if (Array.isArray(doc)) out.push(...doc);
    return out;
  }
  const part = parts[depth] as string;
  if (Array.isArray(doc)) {
    if (/^\d+$/.test(part)) queryValues(doc[Number(part)], parts, depth + 1, out);
    for (const item of doc) if (isPlainObject(item) || item instanceof DBRef) queryValues(item, parts, depth, out);
    return out;
  }
  return queryValues(field(doc, part), parts, depth + 1, out);
}

type ValueTest = (value: unknown, argument: unknown, compareStrings: StringCompare | undefined) => boolean;

/** An operator testing each value the path reaches; strings compare by the query's collation. */
function onValues(matches: ValueTest): QueryOperator {
  return (path, argument, options) => {
    const parts = path.split('.');
    const compareStrings = collatorFor(options?.collation);
    return (doc) => queryValues(doc, parts).some((value) => matches(value, argument, compareStrings));
  };
}

function negated(operator: QueryOperator): QueryOperator {
  return (path, argument, options) => {
    const test = operator(path, argument, options);
    return (doc) => !test(doc);
  };
}

const equals: ValueTest = (value, argument, compareStrings) => {
  if (compareStrings && typeof value === 'string' && typeof argument === 'string') return compareStrings(value, argument) === 0;
  return canonicalKey(value) === canonicalKey(argument);
};

const isIn: ValueTest = (value, list, compareStrings) => {
  if (!Array.isArray(list)) throw new Error('$in needs an array');
  return list.some((item) => (item instanceof RegExp ? typeof value === 'string' && item.test(value) : equals(value, item, compareStrings)));
};

function range(test: (order: number) => boolean): QueryOperator {
  return onValues((value, bound, compareStrings) => {
    if (typeRank(value) !== typeRank(bound)) return false;
    return test(compareCollated(value === undefined ? null : value, bound, compareStrings));
  });
}

/** `$all`: every listed value (or `$elemMatch`) is among the field's values. */
const $all: QueryOperator = (path, argument, options) => {
  if (!Array.isArray(argument)) throw new Error('$all needs an array');
  const parts = path.split('.');
  const compareStrings = collatorFor(options?.collation);
  const tests = argument.map((item): ((values: unknown[], doc: AnyObject) => boolean) => {
    if (isPlainObject(item) && isPlainObject(item.$elemMatch)) {
      const test = matcher({ [path]: item });
      return (_values, doc) => test(doc);
    }
    if (item instanceof RegExp) return (values) => values.some((value) => typeof value === 'string' && item.test(value));
    return (values) => values.some((value) => equals(value, item, compareStrings));
  });
  return (doc) => {
    if (argument.length === 0) return false;
    const values = queryValues(doc, parts);
    return tests.every((test) => test(values, doc));
  };
};

const TYPE_NUMBERS: Record<string, number> = {
  double: 1, string: 2, object: 3, array: 4, binData: 5, undefined: 6, objectId: 7, bool: 8, date: 9, null: 10,
  regex: 11, javascript: 13, int: 16, timestamp: 17, long: 18, decimal: 19, minKey: -1, maxKey: 127,
};

function typeMatches(value: unknown, wanted: unknown): boolean {
  const type = bsonType(value);
  if (type === undefined) return false;
  if (wanted === 'number') return type === 1 || type === 16 || type === 18 || type === 19;
  const number = typeof wanted === 'string' ? TYPE_NUMBERS[wanted] : Number(wanted);
  if (number === undefined || Number.isNaN(number)) throw new Error(`Unknown type name alias: ${String(wanted)}`);
  return type === number;
}

const $type: QueryOperator = (path, argument) => {
  const wanted = Array.isArray(argument) ? argument : [argument];
  const parts = path.split('.');
  return (doc) => queryValues(doc, parts).some((value) => wanted.some((type) => typeMatches(value, type)));
};

/** `{ref: {$ref: 'users', $id: id}}`: the DBRef's fields compared, not operators applied. */
function dbRefField(name: '$ref' | '$id' | '$db'): QueryOperator {
  return onValues((value, argument, compareStrings) => (isPlainObject(value) || value instanceof DBRef) && equals(field(value, name), argument, compareStrings));
}

const $eq = onValues(equals);

/**
 * `$in`: without a collation, membership is a lookup of the value's canonical key in the list's,
 * computed once per query — an update by `_id: {$in: ids}` tests each of its documents against
 * every id, which compared one by one grew with the square of the batch.
 */
const $in: QueryOperator = (path, argument, options) => {
  const compareStrings = collatorFor(options?.collation);
  if (!Array.isArray(argument) || compareStrings) return onValues(isIn)(path, argument, options);
  const parts = path.split('.');
  const patterns = argument.filter((item): item is RegExp => item instanceof RegExp);
  const keys = new Set(argument.filter((item) => !(item instanceof RegExp)).map((item) => canonicalKey(item)));
  return (doc) => queryValues(doc, parts).some((value) => keys.has(canonicalKey(value)) || (typeof value === 'string' && patterns.some((pattern) => pattern.test(value))));
};

export const queryOperators = {
  $eq,
  $ne: negated($eq),
  $in,
  $nin: negated($in),
  $gt: range((order) => order > 0),
  $gte: range((order) => order >= 0),
  $lt: range((order) => order < 0),
  $lte: range((order) => order <= 0),
  $all,
  $type,
  $ref: dbRefField('$ref'),
  $id: dbRefField('$id'),
  $db: dbRefField('$db'),
};

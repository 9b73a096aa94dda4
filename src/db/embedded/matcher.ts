/**
 * Compiled filters. Most filters the product sends are equalities on top-level fields with a
 * string, number or boolean value (`{_id}`, `{status: 'queued'}`, `{_id, status}`); those are
 * tested directly. Everything else is compiled by mingo once per distinct filter and reused.
 */
import { DBRef, ObjectId } from 'bson';
import type { Doc } from './documents.js';
import { badValue, type CommandError } from './errors.js';
import { Query } from './mql.js';

export type Matcher = (doc: Doc) => boolean;

const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const CACHE_LIMIT = 500;
const cache = new Map<string, Query>();

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * A cache key that tells apart every value type a filter may hold, or undefined when the filter
 * holds a value this key cannot render faithfully (then the query is compiled afresh).
 */
function cacheKey(value: unknown): string | undefined {
  if (value === null) return 'N';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'boolean') return value ? 'T' : 'F';
  if (typeof value === 'number') return Object.is(value, -0) ? 'n-0' : `n${value}`;
  if (value instanceof Date) return `d${value.getTime()}`;
  if (value instanceof ObjectId) return `o${value.toHexString()}`;
  if (value instanceof RegExp) return `r${JSON.stringify([value.source, value.flags])}`;
  if (Array.isArray(value)) {
    const items = value.map(cacheKey);
    return items.includes(undefined) ? undefined : `[${items.join(',')}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries: string[] = [];
    for (const [key, item] of Object.entries(value as Doc)) {
      const rendered = cacheKey(item);
      if (rendered === undefined) return undefined;
      entries.push(`${JSON.stringify(key)}:${rendered}`);
    }
    return `{${entries.join(',')}}`;
  }
  return undefined;
}

/**
 * The driver decodes `{$ref, $id}` as a DBRef object; as the argument of `$elemMatch` it is a
 * condition on those two fields, so it is given back as the plain document it was.
 */
function withElemMatchDbRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withElemMatchDbRefs);
  if (value === null || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return value;
  const out: Doc = {};
  for (const [key, item] of Object.entries(value as Doc)) {
    out[key] = key === '$elemMatch' && item instanceof DBRef ? item.toJSON() : withElemMatchDbRefs(item);
  }
  return out;
}

/** mingo's refusals of a filter, in MongoDB's words (code 2, BadValue). */
function mongoRefusal(error: unknown): CommandError | undefined {
  const message = error instanceof Error ? error.message : '';
  const topLevel = /^unknown top level operator: (\$\w+)/.exec(message);
  if (topLevel) {
    return badValue(`unknown top level operator: ${topLevel[1]}. If you have a field name that starts with a '$' symbol, consider using $getField or $setField.`);
  }
  const operator = /^unknown query operator (\$\w+)/.exec(message);
  if (operator) return badValue(`unknown operator: ${operator[1]}`);
  // What mongod started with --noscripting answers.
  if (message.startsWith('$where operator requires')) return badValue('no globalScriptEngine in $where parsing');
  return undefined;
}

function compile(filter: Doc, collation: Doc | undefined): Query {
  try {
    return new Query(withElemMatchDbRefs(filter) as Doc, collation);
  } catch (error) {
    throw mongoRefusal(error) ?? error;
  }
}

function compiled(filter: Doc, collation?: Doc): Query {
  const filterKey = cacheKey(filter);
  const collationKey = collation === undefined ? '' : cacheKey(collation);
  // $$NOW is fixed the first time a compiled query reads it, so time-dependent filters are not kept.
  if (filterKey === undefined || collationKey === undefined || filterKey.includes('$$') || filterKey.includes('"$expr"')) return compile(filter, collation);
  const key = collationKey + filterKey;
  let query = cache.get(key);
  if (query) return query;
  query = compile(filter, collation);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(key, query);
  return query;
}

/** Equality of a top-level field to a scalar, as MongoDB matches it (arrays match by element). */
function equalsScalar(doc: Doc, field: string, expected: string | number | boolean, fallback: () => boolean): boolean {
  const actual = doc[field];
  if (actual === expected) return true;
  if (actual === undefined || actual === null || typeof actual !== 'object') return false;
  if (Array.isArray(actual) && actual.every((item) => item === null || typeof item !== 'object')) return actual.includes(expected);
  return fallback();
}

/** The test for `filter`; with a collation, strings compare by it. */
export function matcher(filter: Doc, collation?: Doc): Matcher {
  const entries = Object.entries(filter);
  if (entries.length === 0) return () => true;
  if (collation) {
    const query = compiled(filter, collation);
    return (doc) => query.test(doc);
  }
  if (entries.every(([field, value]) => PLAIN_FIELD.test(field) && isScalar(value))) {
    let query: Query | undefined;
    const fallback = (doc: Doc) => (query ??= compiled(filter)).test(doc);
    const pairs = entries as Array<[string, string | number | boolean]>;
    return (doc) => pairs.every(([field, value]) => equalsScalar(doc, field, value, () => fallback(doc)));
  }
  const query = compiled(filter);
  return (doc) => query.test(doc);
}

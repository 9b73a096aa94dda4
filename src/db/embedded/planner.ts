/**
 * Chooses an index for a filter: equality / $in on a prefix of an index's fields, optionally
 * followed by one range ($gt/$gte/$lt/$lte) on the next field. The chosen index only narrows the
 * candidates; the full filter is still applied to each candidate, so a plan never changes results.
 * Only a count may skip that (`covers`): it then needs no document at all.
 */
import { ObjectId } from 'bson';
import { canonicalKey, typeRank } from './bsonOrder.js';
import { isPlainObject, type Doc } from './documents.js';
import { badValue } from './errors.js';
import type { KeyRange, SortedIndex } from './sortedIndex.js';

interface FieldPredicate {
  equals?: unknown[];
  low?: { value: unknown; inclusive: boolean };
  high?: { value: unknown; inclusive: boolean };
}

export interface IndexPlan {
  index: SortedIndex;
  ranges: KeyRange[];
  /** Scan the index backwards (for a descending sort). */
  reverse: boolean;
  /** The scan yields documents already in the requested sort order. */
  sorted: boolean;
  /** The index ranges select exactly the documents the filter matches, so a count can use the keys alone. */
  covers: boolean;
}

export type SortSpec = Record<string, unknown>;

const MAX_RANGES = 1000;

/** An equality value an index can look up (arrays and regexes need a scan). */
function isIndexable(value: unknown): boolean {
  if (Array.isArray(value) || value instanceof RegExp || value === undefined) return false;
  return !(isPlainObject(value) && Object.keys(value).some((key) => key.startsWith('$')));
}

function predicateFor(condition: unknown): FieldPredicate | undefined {
  if (!isPlainObject(condition) || !Object.keys(condition).some((key) => key.startsWith('$'))) {
    return isIndexable(condition) ? { equals: [condition] } : undefined;
  }
  const predicate: FieldPredicate = {};
  for (const [operator, operand] of Object.entries(condition)) {
    if (operator === '$eq' && isIndexable(operand)) predicate.equals = [operand];
    else if (operator === '$in' && Array.isArray(operand) && operand.every(isIndexable)) predicate.equals = operand;
    else if ((operator === '$gt' || operator === '$gte') && isIndexable(operand) && operand !== null)
      predicate.low = { value: operand, inclusive: operator === '$gte' };
    else if ((operator === '$lt' || operator === '$lte') && isIndexable(operand) && operand !== null)
      predicate.high = { value: operand, inclusive: operator === '$lte' };
  }
  if (predicate.low && predicate.high && typeRank(predicate.low.value) !== typeRank(predicate.high.value)) {
    delete predicate.high;
  }
  return predicate.equals || predicate.low || predicate.high ? predicate : undefined;
}

/** Top-level field predicates of a filter, looking through $and. */
export function fieldPredicates(filter: Doc, out = new Map<string, FieldPredicate>()): Map<string, FieldPredicate> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition) if (isPlainObject(clause)) fieldPredicates(clause, out);
      continue;
    }
    if (field.startsWith('$') || out.has(field)) continue;
    const predicate = predicateFor(condition);
    if (predicate) out.set(field, predicate);
  }
  return out;
}

function usable(index: SortedIndex, predicates: Map<string, FieldPredicate>): { equalities: number; range: boolean } {
  if (index.spec.partialFilterExpression) return { equalities: 0, range: false };
  let equalities = 0;
  for (const field of index.fields) {
    const predicate = predicates.get(field);
    if (!predicate) break;
    if (predicate.equals) {
      if (index.spec.sparse && predicate.equals.some((value) => value === null)) break;
      equalities++;
      continue;
    }
    return { equalities, range: true };
  }
  return { equalities, range: false };
}

function cartesian(lists: unknown[][]): unknown[][] {
  let tuples: unknown[][] = [[]];
  for (const list of lists) {
    tuples = tuples.flatMap((tuple) => list.map((value) => [...tuple, value]));
    if (tuples.length > MAX_RANGES) return [];
  }
  return tuples;
}

function rangesFor(index: SortedIndex, predicates: Map<string, FieldPredicate>, equalities: number, range: boolean): KeyRange[] {
  const lists = index.fields.slice(0, equalities).map((field) => predicates.get(field)?.equals ?? []);
  const tuples = cartesian(lists);
  const rangePredicate = range ? predicates.get(index.fields[equalities] as string) : undefined;
  return tuples.map((tuple) => {
    if (!rangePredicate) return { low: { values: tuple, inclusive: true }, high: { values: tuple, inclusive: true } };
    const { low, high } = rangePredicate;
    const rank = typeRank(low?.value ?? high?.value);
    return {
      low: low ? { values: [...tuple, low.value], inclusive: low.inclusive } : { values: tuple, inclusive: true },
      high: high ? { values: [...tuple, high.value], inclusive: high.inclusive } : { values: tuple, inclusive: true },
      bracket: { field: equalities, rank },
    };
  });
}

/**
 * Whether scanning `index` after `equalities` equality fields yields `sort` order: the sort fields
 * must be the next index fields, all ascending (forward scan) or all descending (reverse scan).
 */
function sortDirection(index: SortedIndex, equalities: number, sort: SortSpec | undefined): 'forward' | 'reverse' | undefined {
  if (!sort || index.multikey) return undefined;
  const entries = Object.entries(sort);
  if (entries.length === 0) return undefined;
  const directions = new Set(entries.map(([, direction]) => Number(direction)));
  if (directions.size !== 1) return undefined;
  const matches = entries.every(([field], i) => index.fields[equalities + i] === field);
  if (!matches) return undefined;
  return directions.has(1) ? 'forward' : directions.has(-1) ? 'reverse' : undefined;
}

/** The best index plan for a filter (and sort), or undefined when only a collection scan will do. */
export function planQuery(filter: Doc, indexes: Iterable<SortedIndex>, sort?: SortSpec): IndexPlan | undefined {
  const predicates = fieldPredicates(filter);
  let best: { index: SortedIndex; equalities: number; range: boolean; score: number } | undefined;
  let sortOnly: SortedIndex | undefined;
  for (const index of indexes) {
    if (index.spec.hidden) continue;
    const { equalities, range } = usable(index, predicates);
    const score = equalities * 2 + (range ? 1 : 0);
    if (score > 0 && (!best || score > best.score)) best = { index, equalities, range, score };
    if (!sortOnly && !index.spec.partialFilterExpression && !index.spec.sparse && sortDirection(index, 0, sort)) sortOnly = index;
  }
  if (!best) {
    if (!sortOnly) return undefined;
    return { index: sortOnly, ranges: [{}], reverse: sortDirection(sortOnly, 0, sort) === 'reverse', sorted: true, covers: false };
  }
  const ranges = rangesFor(best.index, predicates, best.equalities, best.range);
  if (ranges.length === 0) return undefined;
  const direction = ranges.length === 1 ? sortDirection(best.index, best.equalities, sort) : undefined;
  const covers = covered(filter, best.index, best.equalities, best.range);
  return { index: best.index, ranges, reverse: direction === 'reverse', sorted: direction !== undefined, covers };
}

/** A value whose equality and order in an index are exactly the filter's (no null, array, document or regex). */
function isPlainScalar(value: unknown): boolean {
  return (
    typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && !Number.isNaN(value)) || value instanceof Date || value instanceof ObjectId
  );
}

const EQUALITY_OPERATORS = new Set(['$eq', '$in']);
const RANGE_OPERATORS = new Set(['$gt', '$gte', '$lt', '$lte']);

/** Whether a field's condition is nothing but what the plan's ranges apply to that field. */
function capturedBy(condition: unknown, asRange: boolean): boolean {
  if (!isPlainObject(condition)) return !asRange && isPlainScalar(condition);
  const entries = Object.entries(condition);
  if (entries.length === 0) return false;
  const allowed = asRange ? RANGE_OPERATORS : EQUALITY_OPERATORS;
  if (!entries.every(([operator, operand]) => allowed.has(operator) && (operator === '$in' ? Array.isArray(operand) && operand.length > 0 && operand.every(isPlainScalar) : isPlainScalar(operand)))) {
    return false;
  }
  if (!asRange) return entries.length === 1;
  // One bound of each side at most, of one BSON type class (a planner drops a mismatched upper bound).
  const lows = entries.filter(([operator]) => operator === '$gt' || operator === '$gte');
  const highs = entries.filter(([operator]) => operator === '$lt' || operator === '$lte');
  if (lows.length > 1 || highs.length > 1) return false;
  return new Set(entries.map(([, operand]) => typeRank(operand))).size === 1;
}

/**
 * True when the filter is exactly the plan: only top-level fields, each one the plan uses, each
 * condition an equality or $in of plain scalars (prefix fields) or bounds of one type (the range
 * field), over an index holding one entry per document (not multikey).
 */
function covered(filter: Doc, index: SortedIndex, equalities: number, range: boolean): boolean {
  if (index.multikey) return false;
  const used = index.fields.slice(0, equalities + (range ? 1 : 0));
  const fields = Object.keys(filter);
  if (fields.length !== used.length) return false;
  return fields.every((field) => {
    const position = used.indexOf(field);
    return position >= 0 && capturedBy(filter[field], position === equalities);
  });
}

/**
 * The plan a `hint` forces: the named (or key-pattern) index scanned whole, in key order, or
 * `{$natural: 1 | -1}` for the collection's natural order either way. The filter is still applied
 * to every document, so a hint changes order and speed, never which documents match (except that
 * a sparse or partial index holds only some documents, as in MongoDB).
 */
export function hintedPlan(hint: unknown, indexes: Iterable<SortedIndex>): IndexPlan | { natural: 1 | -1 } {
  if (isPlainObject(hint) && Object.keys(hint).length === 1 && '$natural' in hint) return { natural: Number(hint.$natural) < 0 ? -1 : 1 };
  const wanted = typeof hint === 'string' ? undefined : canonicalKey(hint);
  for (const index of indexes) {
    if (typeof hint === 'string' ? index.spec.name === hint : canonicalKey(index.spec.key) === wanted) {
      return { index, ranges: [{}], reverse: false, sorted: false, covers: false };
    }
  }
  throw badValue('error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
}

/** _id values when the filter is a plain equality or $in on _id. */
export function idLookup(filter: Doc): unknown[] | undefined {
  const condition = filter._id;
  if (condition === undefined) return undefined;
  if (condition === null || typeof condition !== 'object' || !isOperatorCondition(condition)) {
    return Array.isArray(condition) ? undefined : [condition];
  }
  const operators = condition as Doc;
  const keys = Object.keys(operators);
  if (keys.length === 1 && keys[0] === '$eq') return [operators.$eq];
  if (keys.length === 1 && keys[0] === '$in' && Array.isArray(operators.$in)) {
    return operators.$in.some((value) => value instanceof RegExp) ? undefined : operators.$in;
  }
  return undefined;
}

function isOperatorCondition(value: object): boolean {
  if (value instanceof RegExp) return true;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(value).some((key) => key.startsWith('$'));
}

/**
 * The ids a plan's index ranges yield, each once: the ranges of an $in with repeated (or equal)
 * values overlap, and a multikey index holds a document once per element.
 */
export function* planIds(plan: IndexPlan, stats?: { keysExamined: number }): Generator<string> {
  const counter = { keys: 0 };
  const dedupe = plan.index.multikey || plan.ranges.length > 1 ? new Set<string>() : undefined;
  try {
    for (const range of plan.ranges) {
      for (const id of plan.index.scan(range, plan.reverse, counter)) {
        if (dedupe) {
          if (dedupe.has(id)) continue;
          dedupe.add(id);
        }
        yield id;
      }
    }
  } finally {
    if (stats) stats.keysExamined = counter.keys;
  }
}

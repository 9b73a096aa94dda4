/**
 * One index: (key tuple, document id) entries kept sorted in BSON order, each entry a row of
 * slots [...key values, id] in chunked flat arrays (chunkedRows.ts). Lookups are binary
 * searches; inserts and removals splice within one chunk. A document with an array value gets
 * one entry per element (a multikey index).
 */
import { canonicalKey, compareValues, typeRank } from './bsonOrder.js';
import { ChunkedRows, type Position } from './chunkedRows.js';
import { valuesAtPath, valueAtPath, type Doc } from './documents.js';
import { Query } from './mql.js';

export interface IndexSpec {
  name: string;
  key: Record<string, 1 | -1 | string>;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  /** Kept up to date but not used to answer queries (collMod), like MongoDB's hidden indexes. */
  hidden?: boolean;
  [option: string]: unknown;
}

/** Inclusive/exclusive bound on the first `values.length` key fields. */
export interface KeyBound {
  values: unknown[];
  inclusive: boolean;
}

export interface KeyRange {
  low?: KeyBound;
  high?: KeyBound;
  /** Range operators only match one BSON type class: key field `field` must have rank `rank`. */
  bracket?: { field: number; rank: number };
}

function compareTuples(a: readonly unknown[], b: readonly unknown[], length: number): number {
  return compareRowTo(a, 0, b, length);
}

/** Compares the first `length` key values of the row at `slots[base]` with `tuple`. */
function compareRowTo(slots: readonly unknown[], base: number, tuple: readonly unknown[], length: number): number {
  for (let i = 0; i < length; i++) {
    const order = compareValues(slots[base + i], tuple[i]);
    if (order !== 0) return order;
  }
  return 0;
}

export class SortedIndex {
  readonly fields: string[];
  /** Rows of [...key values, id]. */
  private entries: ChunkedRows;
  /** Some document has an array value here: index order is then not a sort order. */
  multikey = false;
  private readonly partial: Query | undefined;
  /** The top-level fields the keys are read from. */
  private readonly roots: string[];

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.roots = [...new Set(this.fields.map((field) => field.split('.')[0] as string))];
    this.entries = new ChunkedRows(this.fields.length + 1);
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression) : undefined;
  }

  get size(): number {
    return this.entries.length;
  }

  /** The key tuples a document contributes, or [] when sparse/partial rules leave it out. */
  keysOf(doc: Doc): unknown[][] {
    if (this.partial && !this.partial.test(doc)) return [];
    const perField = this.fields.map((field) => valuesAtPath(doc, field));
    if (this.spec.sparse && perField.every((values) => values.every((value) => value === undefined))) return [];
    let tuples: unknown[][] = [[]];
    for (const values of perField) {
      const unique = dedupe(values);
      tuples = tuples.flatMap((tuple) => unique.map((value) => [...tuple, value === undefined ? null : value]));
    }
    return tuples;
  }

  /** The id of another document holding one of these keys, if this is a unique index. */
  findConflict(doc: Doc, id: string): { keyValue: Doc } | undefined {
    if (!this.spec.unique) return undefined;
    for (const tuple of this.keysOf(doc)) {
      const start = this.lowerBound(tuple, this.fields.length, true);
      for (const { slots, base } of this.entries.range(start, this.entries.end)) {
        if (compareRowTo(slots, base, tuple, this.fields.length) !== 0) break;
        if (this.idOf(slots, base) !== id) return { keyValue: this.keyValue(doc) };
      }
    }
    return undefined;
  }

  keyValue(doc: Doc): Doc {
    const out: Doc = {};
    for (const field of this.fields) {
      const value = valueAtPath(doc, field);
      out[field] = value === undefined ? null : value;
    }
    return out;
  }

  add(doc: Doc, id: string): void {
    this.addKeys(this.keysOf(doc), id);
  }

  private addKeys(keys: unknown[][], id: string): void {
    if (keys.length > 1) this.multikey = true;
    for (const values of keys) {
      const row = [...values, id];
      this.entries.insert(this.position(row), row);
    }
  }

  remove(doc: Doc, id: string): void {
    this.removeKeys(this.keysOf(doc), id);
  }

  private removeKeys(keys: unknown[][], id: string): void {
    for (const values of keys) {
      const row = [...values, id];
      const position = this.position(row);
      const found = this.entries.at(position);
      if (found && this.compareRows(found, 0, row) === 0) this.entries.remove(position);
    }
  }

  /** Moves a document's entries when its keys changed; a no-op when they did not. */
  update(previous: Doc, next: Doc, id: string): void {
    // Most updates leave most indexes' fields alone (a status moved; the index is on other
    // fields): seen at a glance, without computing the keys.
    if (!this.partial && this.roots.every((root) => plainlySame(previous[root], next[root]))) return;
    const before = this.keysOf(previous);
    const after = this.keysOf(next);
    const same =
      before.length === after.length &&
      before.every((tuple, i) => compareTuples(tuple, after[i] as unknown[], this.fields.length) === 0);
    if (same) return;
    this.removeKeys(before, id);
    this.addKeys(after, id);
  }

  /** After a bulk build: the ids of two different documents sharing a key, for unique indexes. */
  firstDuplicate(): { id: string } | undefined {
    let previous: unknown[] | undefined;
    for (const { slots, base } of this.entries.range({ chunk: 0, offset: 0 }, this.entries.end)) {
      const id = this.idOf(slots, base);
      if (previous && id !== this.idOf(previous, 0) && compareRowTo(slots, base, previous, this.fields.length) === 0) {
        return { id };
      }
      previous = slots.slice(base, base + this.entries.width);
    }
    return undefined;
  }

  /** Bulk build (load time, new index): one sort instead of n splices. */
  rebuild(docs: Iterable<[string, Doc]>): void {
    SortedIndex.rebuildAll([this], docs);
  }

  /** Bulk builds several indexes in one pass over the documents (each document is read once). */
  static rebuildAll(indexes: SortedIndex[], docs: Iterable<[string, Doc]>): void {
    const rows = indexes.map((): unknown[][] => []);
    for (const [id, doc] of docs) {
      indexes.forEach((index, i) => {
        const keys = index.keysOf(doc);
        if (keys.length > 1) index.multikey = true;
        for (const values of keys) rows[i]?.push([...values, id]);
      });
    }
    indexes.forEach((index, i) => {
      const sorted = (rows[i] ?? []).sort((a, b) => index.compareRows(a, 0, b));
      index.entries = new ChunkedRows(index.entries.width, sorted);
    });
  }

  /**
   * Ids of entries within the range, in key order (or reverse key order); `counter.keys` counts
   * the index keys read.
   */
  *scan(range: KeyRange, reverse: boolean, counter: { keys: number }): Generator<string> {
    const { low, high, bracket } = range;
    const start = low ? this.lowerBound(low.values, low.values.length, low.inclusive) : { chunk: 0, offset: 0 };
    const end = high ? this.lowerBound(high.values, high.values.length, !high.inclusive) : this.entries.end;
    for (const { slots, base } of this.entries.range(start, end, reverse)) {
      counter.keys++;
      if (bracket) {
        const rank = typeRank(slots[base + bracket.field]);
        if (rank !== bracket.rank) {
          if (rank > bracket.rank !== reverse) break;
          continue;
        }
      }
      yield this.idOf(slots, base);
    }
  }

  private idOf(slots: readonly unknown[], base: number): string {
    return slots[base + this.fields.length] as string;
  }

  /** Orders the row at `slots[base]` against `row` (key values, then id). */
  private compareRows(slots: readonly unknown[], base: number, row: readonly unknown[]): number {
    const order = compareRowTo(slots, base, row, this.fields.length);
    if (order !== 0) return order;
    const a = this.idOf(slots, base);
    const b = this.idOf(row, 0);
    return a < b ? -1 : a > b ? 1 : 0;
  }

  private position(row: readonly unknown[]): Position {
    return this.entries.search((slots, base) => this.compareRows(slots, base, row) >= 0);
  }

  /** First position whose prefix is >= tuple (inclusive) or > tuple (exclusive). */
  private lowerBound(tuple: readonly unknown[], prefix: number, inclusive: boolean): Position {
    return this.entries.search((slots, base) => {
      const order = compareRowTo(slots, base, tuple, prefix);
      return inclusive ? order >= 0 : order > 0;
    });
  }
}

/** The same string, number, boolean, null, absence or moment; anything else is compared by its keys. */
function plainlySame(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== 'object' || a === null;
  return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
}

function dedupe(values: unknown[]): unknown[] {
  if (values.length < 2) return values;
  const seen = new Map<string, unknown>();
  for (const value of values) seen.set(canonicalKey(value), value);
  return [...seen.values()];
}

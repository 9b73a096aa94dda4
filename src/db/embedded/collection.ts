/**
 * One collection's working set: documents by canonical _id in natural order, its secondary
 * indexes, and write-through to storage.
 *
 * Each document is held as the BSON bytes written to storage and read back into a fresh object
 * on every read. Held as objects, every document was dozens of heap objects that the garbage
 * collector copied and marked again and again, so its pauses grew with the data; as bytes it is
 * a typed array over memory outside the heap. A read therefore never shares an object with the
 * store or with another read, and a write replaces the bytes, so open cursors keep their snapshot.
 */
import { deserialize, ObjectId } from 'bson';
import { decodeDocument, encodeDocument, MAX_BSON_SIZE, MAX_STORED_DEPTH, nestsDeeperThan } from './bsonValues.js';
import { canonicalKey } from './bsonOrder.js';
import type { Doc } from './documents.js';
import { duplicateKeyError } from './duplicateKey.js';
import { badValue, CommandError, immutableField } from './errors.js';
import { hintedPlan, idLookup, planIds, planQuery, type IndexPlan, type SortSpec } from './planner.js';
import { SortedIndex, type IndexSpec } from './sortedIndex.js';
import type { Storage } from './storage.js';
import { matcher } from './matcher.js';
import { collatorFor } from './collation.js';
import { sortDocuments } from './sort.js';

export interface ScanStats {
  stage: 'IDHACK' | 'IXSCAN' | 'COLLSCAN';
  indexName?: string;
  keysExamined: number;
  docsExamined: number;
}

export const ID_INDEX: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export class Collection {
  private readonly docs = new Map<string, Uint8Array>();
  /** Secondary indexes by name (the _id index is `idIndex`). */
  readonly indexes = new Map<string, SortedIndex>();
  /** The _id index in key order, for _id ranges and sorts; equality lookups use the Map. */
  private readonly idIndex = new SortedIndex(ID_INDEX);

  constructor(
    public db: string,
    public name: string,
    private readonly storage: Storage,
    readonly options: Doc = {},
  ) {}

  /** Takes a new namespace (storage rows are moved by the caller). */
  renameTo(db: string, name: string): void {
    this.db = db;
    this.name = name;
  }

  get ns(): string {
    return `${this.db}.${this.name}`;
  }

  get count(): number {
    return this.docs.size;
  }

  /** The BSON bytes of every document: what the collection holds and what storage rows hold. */
  get dataSize(): number {
    let bytes = 0;
    for (const body of this.docs.values()) bytes += body.length;
    return bytes;
  }

  /**
   * Load-time restore, bypassing checks: each stored document is read once, to key it by its
   * canonical _id and to build every index. A document stored under an older key format is
   * moved to its current key (the caller runs this in a storage transaction).
   */
  restore(documents: Iterable<[string, Uint8Array]>, specs: IndexSpec[]): void {
    for (const spec of specs) this.indexes.set(spec.name, new SortedIndex(spec));
    const docs = this.docs;
    const storage = this.storage;
    const ns = this.ns;
    let repeated = false;
    function* keyed(): Generator<[string, Doc]> {
      for (const [storedId, body] of documents) {
        // Keys and index entries compare numbers by value, so bson's faster default decoding does here.
        const doc = deserialize(body);
        const id = canonicalKey(doc._id);
        const moved = id !== storedId;
        // Two rows under keys of different formats for one _id: the later one stands, on disk too.
        const replaces = docs.has(id);
        if (replaces) repeated = true;
        if (moved) storage.deleteDocument(ns, storedId);
        if (moved || replaces) storage.putDocument(ns, id, body);
        docs.set(id, body);
        yield [id, doc];
      }
    }
    SortedIndex.rebuildAll([...this.everyIndex()], keyed());
    // The indexes were also given the row that was replaced: build them again from what stands.
    if (repeated) SortedIndex.rebuildAll([...this.everyIndex()], this.entries());
  }

  *all(): Generator<Doc> {
    for (const body of this.docs.values()) yield decodeDocument(body);
  }

  get(id: unknown): Doc | undefined {
    return this.read(canonicalKey(id));
  }

  private read(id: string): Doc | undefined {
    const body = this.docs.get(id);
    return body === undefined ? undefined : decodeDocument(body);
  }

  private *entries(): Generator<[string, Doc]> {
    for (const [id, body] of this.docs) yield [id, decodeDocument(body)];
  }

  /**
   * How many documents match. When an index plan is exactly the filter, its keys are counted and
   * no document is read (a queue depth over a large backlog would otherwise read every one).
   */
  countMatching(filter: Doc, collation?: Doc): number {
    if (Object.keys(filter).length === 0) return this.docs.size;
    if (collation) return this.match(filter, undefined, undefined, collation).length;
    const plan = idLookup(filter) ? undefined : planQuery(filter, this.everyIndex());
    if (!plan?.covers) return this.match(filter).length;
    const ids = planIds(plan);
    let n = 0;
    while (!ids.next().done) n++;
    return n;
  }

  /**
   * Documents matching the filter in natural (or index) order, using an index when one applies.
   * Under a collation every document is tested: index keys are in binary string order.
   */
  match(filter: Doc, stats?: ScanStats, limit = Number.POSITIVE_INFINITY, collation?: Doc): Doc[] {
    const candidates = collation ? this.scanAll(stats) : this.candidates(filter, undefined, stats);
    return this.collect(filter, candidates, stats, limit, collation);
  }

  private scanAll(stats?: ScanStats): Iterable<Doc> {
    if (stats) stats.stage = 'COLLSCAN';
    return this.all();
  }

  /**
   * Matching documents in `sort` order, at most `limit` of them. When an index yields the sort
   * order the scan stops after `limit` matches; otherwise all matches are sorted in memory.
   */
  query(filter: Doc, options: { sort?: SortSpec; limit?: number; stats?: ScanStats; hint?: unknown; collation?: Doc }): Doc[] {
    const { stats, hint, collation } = options;
    let sort = options.sort;
    const limit = options.limit && options.limit > 0 ? options.limit : Number.POSITIVE_INFINITY;
    const plan = { sorted: false };
    let candidates: Iterable<Doc>;
    if (collation && hint === undefined) candidates = this.scanAll(stats);
    else if (hint === undefined) candidates = this.candidates(filter, sort && Object.keys(sort).length > 0 ? sort : undefined, stats, plan);
    else {
      const hinted = this.hinted(hint, stats);
      candidates = hinted.candidates;
      // Index entries are kept ascending; a hinted scan returns them in the key pattern's directions.
      if ((!sort || Object.keys(sort).length === 0) && hinted.keyOrder) sort = hinted.keyOrder;
    }
    if (!sort || Object.keys(sort).length === 0 || plan.sorted) return this.collect(filter, candidates, stats, limit, collation);
    const all = this.collect(filter, candidates, stats, Number.POSITIVE_INFINITY, collation);
    const sorted = sortDocuments(all, sort, collatorFor(collation));
    return Number.isFinite(limit) ? sorted.slice(0, limit) : sorted;
  }

  private collect(filter: Doc, candidates: Iterable<Doc>, stats: ScanStats | undefined, limit: number, collation?: Doc): Doc[] {
    const test = matcher(filter, collation);
    const out: Doc[] = [];
    for (const doc of candidates) {
      if (stats) stats.docsExamined++;
      if (test(doc) && out.push(doc) >= limit) break;
    }
    return out;
  }

  private candidates(filter: Doc, sort: SortSpec | undefined, stats?: ScanStats, plan?: { sorted: boolean }): Iterable<Doc> {
    const ids = idLookup(filter);
    if (ids) {
      const keys = new Set(ids.map(canonicalKey));
      if (stats) Object.assign(stats, { stage: 'IDHACK', keysExamined: keys.size });
      return [...keys].flatMap((key): Doc[] => {
        const doc = this.read(key);
        return doc ? [doc] : [];
      });
    }
    const chosen = planQuery(filter, this.everyIndex(), sort);
    if (!chosen) {
      if (stats) stats.stage = 'COLLSCAN';
      return this.all();
    }
    if (plan) plan.sorted = chosen.sorted;
    if (stats) Object.assign(stats, { stage: 'IXSCAN', indexName: chosen.index.spec.name });
    return this.fetch(chosen, stats);
  }

  /** The candidates a hint names, in its order (see planner's hintedPlan). */
  private hinted(hint: unknown, stats?: ScanStats): { candidates: Iterable<Doc>; keyOrder?: SortSpec } {
    const plan = hintedPlan(hint, this.everyIndex());
    if ('natural' in plan) {
      if (stats) stats.stage = 'COLLSCAN';
      return { candidates: plan.natural > 0 ? this.all() : [...this.all()].reverse() };
    }
    if (stats) Object.assign(stats, { stage: 'IXSCAN', indexName: plan.index.spec.name });
    const keyOrder = Object.fromEntries(Object.entries(plan.index.spec.key).map(([field, direction]) => [field, direction === -1 ? -1 : 1]));
    return { candidates: this.fetch(plan, stats), keyOrder };
  }

  private *fetch(plan: IndexPlan, stats?: ScanStats): Generator<Doc> {
    for (const id of planIds(plan, stats)) {
      const doc = this.read(id);
      if (doc) yield doc;
    }
  }

  insert(doc: Doc): Doc {
    // Like MongoDB, _id is stored as the first field.
    const { _id: given, ...fields } = doc;
    doc = { _id: given === undefined ? new ObjectId() : given, ...fields };
    if (Array.isArray(doc._id)) throw badValue("can't use an array for _id");
    const id = canonicalKey(doc._id);
    if (this.docs.has(id)) throw duplicateKeyError(this.ns, '_id_', { _id: 1 }, { _id: doc._id });
    refuseDeepNesting(doc, 'insert');
    this.checkUnique(doc, id);
    const body = encodeDocument(doc, (size) => new CommandError(10334, 'BSONObjectTooLarge', `object to insert too large. size in bytes: ${size}, max size: ${MAX_BSON_SIZE}`));
    this.storage.putDocument(this.ns, id, body);
    this.docs.set(id, body);
    for (const index of this.everyIndex()) index.add(doc, id);
    return doc;
  }

  replace(previous: Doc, next: Doc): void {
    const id = canonicalKey(previous._id);
    if (next._id === undefined) next = { _id: previous._id, ...next };
    if (canonicalKey(next._id) !== id) {
      throw immutableField(
        "Performing an update on the path '_id' would modify the immutable field '_id'",
      );
    }
    refuseDeepNesting(next, 'update');
    this.checkUnique(next, id);
    const body = encodeDocument(next, () => new CommandError(17419, 'Location17419', `Resulting document after update is larger than ${MAX_BSON_SIZE}`));
    this.storage.putDocument(this.ns, id, body);
    this.docs.set(id, body);
    for (const index of this.indexes.values()) index.update(previous, next, id);
  }

  remove(doc: Doc): void {
    const id = canonicalKey(doc._id);
    this.storage.deleteDocument(this.ns, id);
    this.docs.delete(id);
    for (const index of this.everyIndex()) index.remove(doc, id);
  }

  private checkUnique(doc: Doc, id: string): void {
    for (const index of this.indexes.values()) {
      const conflict = index.findConflict(doc, id);
      if (conflict) throw duplicateKeyError(this.ns, index.spec.name, index.spec.key, conflict.keyValue);
    }
  }

  /** Builds a new index over the existing documents; fails without side effects on a duplicate. */
  addIndex(spec: IndexSpec): void {
    const index = new SortedIndex(spec);
    index.rebuild(this.entries());
    const duplicate = spec.unique ? index.firstDuplicate() : undefined;
    const duplicateDoc = duplicate && this.read(duplicate.id);
    if (duplicateDoc) throw duplicateKeyError(this.ns, spec.name, spec.key, index.keyValue(duplicateDoc));
    this.storage.putIndex(this.ns, spec);
    this.indexes.set(spec.name, index);
  }

  /** Persists a changed index spec (collMod: hidden, expireAfterSeconds). */
  saveIndexSpec(spec: IndexSpec): void {
    this.storage.putIndex(this.ns, spec);
  }

  dropIndex(name: string): void {
    this.storage.deleteIndex(this.ns, name);
    this.indexes.delete(name);
  }

  private *everyIndex(): Generator<SortedIndex> {
    yield this.idIndex;
    yield* this.indexes.values();
  }

  indexSpecs(): IndexSpec[] {
    return [ID_INDEX, ...[...this.indexes.values()].map((index) => index.spec)];
  }
}

/** MongoDB's refusal, code 15 Overflow, of a document nested deeper than it stores. */
function refuseDeepNesting(doc: Doc, operation: 'insert' | 'update'): void {
  if (!nestsDeeperThan(doc, MAX_STORED_DEPTH)) return;
  throw new CommandError(15, 'Overflow', `cannot ${operation} document because it exceeds ${MAX_STORED_DEPTH} levels of nesting`);
}

/**
 * Sparse vectors and a compressed inverted index (feature → postings), the data structures the
 * scorers share. natural's TfIdf and classifiers keep documents as objects and scan every
 * document (or the whole vocabulary) per query; with ~1,000 items that is far too slow, so the
 * index here is a pair of typed arrays per posting list and a query only touches its own features.
 */

/**
 * A vector of one document, message or label. A message's and a label's are plain arrays: small
 * typed arrays would each take a separately allocated backing store, which fragments native
 * memory. The documents' vectors are views into one pair of typed arrays (`packRows`).
 */
export interface SparseVector {
  ids: number[] | Int32Array;
  values: number[] | Float32Array;
}

/** A vector built element by element (a message's, a label's sum). */
export interface ArrayVector extends SparseVector {
  ids: number[];
  values: number[];
}

/** A document's vector: views into the typed arrays of packRows. */
export interface PackedVector extends SparseVector {
  ids: Int32Array;
  values: Float32Array;
}

/**
 * The vectors of `count` documents, each copied from `vectorOf` into one pair of typed arrays and
 * viewed there. As plain arrays the 32,000 documents of 2,000 items took two arrays each, with
 * 8-byte values, plus the garbage of every stage of weighting them: the largest part of the
 * memory a model build peaks at. `vectorOf` is called twice per row: once to size the arrays
 * exactly (a document's tokens repeat characters, so their number overshoots by a quarter).
 */
export function packRows(count: number, vectorOf: (row: number) => ArrayVector): PackedVector[] {
  let capacity = 0;
  for (let row = 0; row < count; row++) capacity += vectorOf(row).ids.length;
  const ids = new Int32Array(capacity);
  const values = new Float32Array(capacity);
  const rows: PackedVector[] = [];
  let at = 0;
  for (let row = 0; row < count; row++) {
    const vector = vectorOf(row);
    const end = at + vector.ids.length;
    ids.set(vector.ids, at);
    values.set(vector.values, at);
    rows.push({ ids: ids.subarray(at, end), values: values.subarray(at, end) });
    at = end;
  }
  return rows;
}

export function l2Normalize<V extends SparseVector>(vector: V): V {
  let sum = 0;
  for (const value of vector.values) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < vector.values.length; i++) vector.values[i] = (vector.values[i] ?? 0) / norm;
  return vector;
}

/** Postings in CSR layout: for feature f, rows[offsets[f] .. offsets[f+1]) with their values. */
export interface InvertedIndex {
  offsets: Int32Array;
  rows: Int32Array;
  values: Float32Array;
}

/** Builds the feature → (row, value) index of `vectors` (row = position in the array). */
export function invert(vectors: readonly SparseVector[], featureCount: number): InvertedIndex {
  const counts = new Int32Array(featureCount + 1);
  for (const vector of vectors) for (const id of vector.ids) counts[id + 1] = (counts[id + 1] ?? 0) + 1;
  const offsets = new Int32Array(featureCount + 1);
  for (let f = 0; f < featureCount; f++) offsets[f + 1] = (offsets[f] ?? 0) + (counts[f + 1] ?? 0);
  const total = offsets[featureCount] ?? 0;
  const rows = new Int32Array(total);
  const values = new Float32Array(total);
  const cursor = offsets.slice(0, featureCount);
  vectors.forEach((vector, row) => {
    for (let i = 0; i < vector.ids.length; i++) {
      const feature = vector.ids[i] ?? 0;
      const at = cursor[feature] ?? 0;
      rows[at] = row;
      values[at] = vector.values[i] ?? 0;
      cursor[feature] = at + 1;
    }
  });
  return { offsets, rows, values };
}

/** Accumulates the dot product of `query` with every indexed row into `out` (which it does not clear). */
export function accumulate(index: InvertedIndex, query: SparseVector, out: Float32Array): void {
  for (let i = 0; i < query.ids.length; i++) {
    const feature = query.ids[i] ?? 0;
    const weight = query.values[i] ?? 0;
    const end = index.offsets[feature + 1] ?? 0;
    for (let p = index.offsets[feature] ?? 0; p < end; p++) {
      const row = index.rows[p] ?? 0;
      out[row] = (out[row] ?? 0) + weight * (index.values[p] ?? 0);
    }
  }
}

/**
 * As `accumulate` into a cleared `out`, also listing in `touched` each row written (once: `seen`
 * marks them); returns how many. The caller reads and clears just those rows — at 2,000 items a
 * message touches a few hundred of 30,000 documents, and clearing or scanning them all cost more
 * than the scoring. Its loop repeats `accumulate`'s on purpose: these are the innermost loops of
 * classifying, and one loop for both would test whether to track rows at every posting.
 */
export function accumulateTouched(index: InvertedIndex, query: SparseVector, out: Float32Array, seen: Uint8Array, touched: Int32Array): number {
  let count = 0;
  for (let i = 0; i < query.ids.length; i++) {
    const feature = query.ids[i] ?? 0;
    const weight = query.values[i] ?? 0;
    const end = index.offsets[feature + 1] ?? 0;
    for (let p = index.offsets[feature] ?? 0; p < end; p++) {
      const row = index.rows[p] ?? 0;
      if (seen[row] === 0) {
        seen[row] = 1;
        touched[count++] = row;
      }
      out[row] = (out[row] ?? 0) + weight * (index.values[p] ?? 0);
    }
  }
  return count;
}

/**
 * Sums the vectors of each label (rows grouped by `labels`) with a dense scratch array, so that
 * no per-label hash map is built: at 1,000 labels those maps would hold millions of entries. The
 * sums are packed as the documents' vectors are (`packRows`): as plain arrays they were, with
 * the copies made from them, a fifth of the memory a model build peaks at.
 */
export function sumByLabel(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  labelCount: number,
  featureCount: number,
  /** Features marked 1 here are left out of the sums. */
  skip?: Uint8Array,
): PackedVector[] {
  const byLabel: number[][] = Array.from({ length: labelCount }, () => []);
  labels.forEach((label, row) => byLabel[label]?.push(row));
  const sums = new Float64Array(featureCount);
  const seen = new Uint8Array(featureCount);
  return packRows(labelCount, (label) => {
    const touched: number[] = [];
    for (const row of byLabel[label] ?? []) {
      const vector = vectors[row];
      if (vector === undefined) continue;
      for (let i = 0; i < vector.ids.length; i++) {
        const id = vector.ids[i] ?? 0;
        if (skip?.[id] === 1) continue;
        if (seen[id] === 0) {
          seen[id] = 1;
          touched.push(id);
        }
        sums[id] = (sums[id] ?? 0) + (vector.values[i] ?? 0);
      }
    }
    touched.sort((a, b) => a - b);
    const result = { ids: touched, values: touched.map((id) => sums[id] ?? 0) };
    for (const id of touched) {
      sums[id] = 0;
      seen[id] = 0;
    }
    return result;
  });
}

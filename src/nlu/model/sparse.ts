/**
 * Sparse vectors and a compressed inverted index (feature → postings), the data structures the
 * scorers share. natural's TfIdf and classifiers keep documents as objects and scan every
 * document (or the whole vocabulary) per query; with ~1,000 items that is far too slow, so the
 * index here is a pair of typed arrays per posting list and a query only touches its own features.
 */

/**
 * A vector of one document, message or label. Plain arrays on purpose: at 1,000 items there are
 * hundreds of thousands of short-lived vectors, and small typed arrays each take a separately
 * allocated backing store that fragments native memory; the long-lived data are the typed arrays
 * of the inverted indexes.
 */
export interface SparseVector {
  ids: number[];
  values: number[];
}

export function l2Normalize(vector: SparseVector): SparseVector {
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
 * no per-label hash map is built: at 1,000 labels those maps would hold millions of entries.
 */
export function sumByLabel(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  labelCount: number,
  featureCount: number,
  /** Features marked 1 here are left out of the sums. */
  skip?: Uint8Array,
): SparseVector[] {
  const byLabel: number[][] = Array.from({ length: labelCount }, () => []);
  labels.forEach((label, row) => byLabel[label]?.push(row));
  const sums = new Float64Array(featureCount);
  const seen = new Uint8Array(featureCount);
  return byLabel.map((rows) => {
    const touched: number[] = [];
    for (const row of rows) {
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

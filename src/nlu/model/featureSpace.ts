/**
 * The features of one set of training documents and their TF-IDF weighting. The weighting follows
 * natural's TfIdf (term frequency × inverse document frequency), with sublinear tf and a weight
 * per feature kind, but is computed once into arrays instead of per query over every document.
 * Features are the vocabulary's token ids seen in these documents, renumbered densely.
 */
import type { FeatureKind } from '../tokenize.js';
import { l2Normalize, type ArrayVector, type PackedVector, type SparseVector } from './sparse.js';
import type { Vocabulary } from './vocabulary.js';

/** How much each feature kind counts. */
export type KindWeights = Record<FeatureKind, number>;

/** Cross-validation showed little sensitivity to these; words and bigrams carry most weight. */
export const DEFAULT_KIND_WEIGHTS: KindWeights = { w: 1, c1: 0.5, c2: 1, c3: 0.8 };

/**
 * Features found in more than this share of documents (办, 要, 怎么, 吗 …) are "common": they
 * carry almost no weight after IDF yet have the longest posting lists, so the per-document and
 * per-label indexes skip them. This keeps a query's cost flat as the catalog grows to ~1,000 items.
 */
export const COMMON_DOCUMENT_SHARE = 0.05;

export class FeatureSpace {
  /** Vocabulary id → feature id, or -1. */
  private readonly featureOf: Int32Array;
  private readonly weights: Float32Array;
  /** 1 for common features (see COMMON_DOCUMENT_SHARE). */
  readonly common: Uint8Array;

  /** Learns which tokens occur and their document frequencies. */
  constructor(documents: ReadonlyArray<readonly number[]>, vocabulary: Vocabulary, kindWeights: KindWeights) {
    this.featureOf = new Int32Array(vocabulary.size).fill(-1);
    const frequency: number[] = [];
    const tokenOf: number[] = [];
    const lastSeen = new Int32Array(vocabulary.size).fill(-1);
    documents.forEach((tokens, doc) => {
      for (const token of tokens) {
        if (lastSeen[token] === doc) continue;
        lastSeen[token] = doc;
        let feature = this.featureOf[token] ?? -1;
        if (feature < 0) {
          feature = tokenOf.length;
          this.featureOf[token] = feature;
          tokenOf.push(token);
          frequency.push(0);
        }
        frequency[feature] = (frequency[feature] ?? 0) + 1;
      }
    });
    const n = documents.length;
    const idf = frequency.map((df) => Math.log((n + 1) / (df + 1)) + 1);
    this.weights = Float32Array.from(idf, (value, feature) => value * kindWeights[vocabulary.kinds[tokenOf[feature] ?? 0] ?? 'w']);
    const commonIdf = Math.log((n + 1) / (COMMON_DOCUMENT_SHARE * n + 1)) + 1;
    this.common = Uint8Array.from(idf, (value) => (value < commonIdf ? 1 : 0));
  }

  get size(): number {
    return this.weights.length;
  }

  /** Raw counts of the features among `tokens` (vocabulary ids), as a sparse vector. */
  counts(tokens: readonly number[]): ArrayVector {
    const ids: number[] = [];
    const counts: number[] = [];
    // A linear search beats a hash map for the few dozen features of a message; long texts use one.
    const positions = tokens.length > 64 ? new Map<number, number>() : undefined;
    for (const token of tokens) {
      const feature = this.featureOf[token] ?? -1;
      if (feature < 0) continue;
      const at = positions === undefined ? ids.indexOf(feature) : (positions.get(feature) ?? -1);
      positions?.set(feature, at >= 0 ? at : ids.length);
      if (at >= 0) counts[at] = (counts[at] ?? 0) + 1;
      else {
        ids.push(feature);
        counts.push(1);
      }
    }
    return { ids, values: counts };
  }

  /** L2-normalised TF-IDF vector (sublinear tf). */
  vectorize(tokens: readonly number[]): ArrayVector {
    return this.vectorizeCounts(this.counts(tokens));
  }

  vectorizeCounts(counts: ArrayVector): ArrayVector {
    return this.weigh({ ids: counts.ids, values: counts.values.slice() });
  }

  /** In place: raw counts → L2-normalised TF-IDF. */
  weigh<V extends SparseVector>(vector: V): V {
    const { ids, values } = vector;
    for (let i = 0; i < values.length; i++) values[i] = (1 + Math.log(values[i] ?? 1)) * (this.weights[ids[i] ?? 0] ?? 0);
    return l2Normalize(vector);
  }

  /** The vector without its common features (values kept as they are). */
  informative(vector: ArrayVector): ArrayVector {
    const keep: number[] = [];
    for (let i = 0; i < vector.ids.length; i++) if (this.common[vector.ids[i] ?? 0] === 0) keep.push(i);
    return { ids: keep.map((i) => vector.ids[i] ?? 0), values: keep.map((i) => vector.values[i] ?? 0) };
  }

  /** The same for a document's vector, in place: its views shortened to what is kept. */
  keepInformative(vector: PackedVector): PackedVector {
    const { ids, values } = vector;
    let kept = 0;
    for (let i = 0; i < ids.length; i++) {
      if (this.common[ids[i] ?? 0] === 1) continue;
      ids[kept] = ids[i] ?? 0;
      values[kept++] = values[i] ?? 0;
    }
    return { ids: ids.subarray(0, kept), values: values.subarray(0, kept) };
  }
}

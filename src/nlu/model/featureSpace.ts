/**
 * The vocabulary (token → id) and its TF-IDF weighting. The weighting follows natural's TfIdf
 * (term frequency × inverse document frequency) with sublinear tf and a per-kind weight, but is
 * computed once into arrays instead of per query over every document.
 */
import { kindOf, type FeatureKind } from '../tokenize.js';
import { fromMap, l2Normalize, type SparseVector } from './sparse.js';

/** How much each feature kind counts; chosen by cross-validation on the phrase files. */
export type KindWeights = Record<FeatureKind, number>;

export const DEFAULT_KIND_WEIGHTS: KindWeights = { w: 1, c1: 0.5, c2: 1, c3: 0.8 };

export interface FeatureSpaceState {
  tokens: string[];
  idf: number[];
  kindWeights: KindWeights;
}

export class FeatureSpace {
  private readonly ids = new Map<string, number>();
  private readonly weights: Float32Array;

  private constructor(readonly state: FeatureSpaceState) {
    state.tokens.forEach((token, id) => this.ids.set(token, id));
    this.weights = Float32Array.from(state.tokens, (token, id) => (state.idf[id] ?? 0) * state.kindWeights[kindOf(token)]);
  }

  /** Learns the vocabulary and document frequencies from tokenized documents. */
  static fit(documents: readonly string[][], kindWeights: KindWeights): FeatureSpace {
    const frequency = new Map<string, number>();
    for (const tokens of documents) for (const token of new Set(tokens)) frequency.set(token, (frequency.get(token) ?? 0) + 1);
    const tokens = [...frequency.keys()].sort();
    const n = documents.length;
    const idf = tokens.map((token) => Math.log((n + 1) / ((frequency.get(token) ?? 0) + 1)) + 1);
    return new FeatureSpace({ tokens, idf, kindWeights });
  }

  static restore(state: FeatureSpaceState): FeatureSpace {
    return new FeatureSpace(state);
  }

  get size(): number {
    return this.state.tokens.length;
  }

  idOf(token: string): number | undefined {
    return this.ids.get(token);
  }

  /** Raw term counts of the known tokens. */
  counts(tokens: readonly string[]): Map<number, number> {
    const counts = new Map<number, number>();
    for (const token of tokens) {
      const id = this.ids.get(token);
      if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    return counts;
  }

  /** L2-normalised TF-IDF vector (sublinear tf); unknown tokens are ignored. */
  vectorize(tokens: readonly string[]): SparseVector {
    const weighted = new Map<number, number>();
    for (const [id, count] of this.counts(tokens)) weighted.set(id, (1 + Math.log(count)) * (this.weights[id] ?? 0));
    return l2Normalize(fromMap(weighted));
  }
}

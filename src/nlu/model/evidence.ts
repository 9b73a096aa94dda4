/**
 * The evidence computed for every label of a message: several similarity signals, each cheap
 * through an inverted index. A small calibrated model (combiner.ts) weighs them into a probability.
 *
 * Signals per label:
 *  - nearest phrase: the best and second-best cosine between the message and a training phrase
 *  - centroid: cosine with the label's mean phrase vector
 *  - logistic: a sparse multinomial logistic regression (sparseSoftmax.ts) log-probability
 *  - naive Bayes: multinomial NB log-posterior over the raw counts (natural's BayesClassifier
 *    computes the same quantity, but by looping over the whole vocabulary for every label and
 *    every message — O(vocabulary × labels) — which is too slow here, so it is indexed instead)
 *  - alias containment and, for short messages, Jaro-Winkler similarity to an alias
 *  - indicator columns for conversational intents and the out-of-scope label (learned biases)
 */
import { FeatureSpace, type KindWeights } from './featureSpace.js';
import { AliasMatcher } from './aliasMatcher.js';
import { SparseSoftmax } from './sparseSoftmax.js';
import { accumulate, fromMap, invert, l2Normalize, type InvertedIndex, type SparseVector } from './sparse.js';

export const SIGNALS = ['nearest', 'secondNearest', 'centroid', 'bayes', 'aliasContained', 'aliasFuzzy', 'isIntent', 'isNone', 'logistic'] as const;
export const SIGNAL_COUNT = SIGNALS.length;

export type LabelKind = 'item' | 'intent' | 'none';

export interface TrainingDocument {
  label: number;
  tokens: string[];
}

const BAYES_ALPHA = 0.1;
const BAYES_FLOOR = -30;

export class EvidenceIndex {
  readonly features: FeatureSpace;
  private readonly docLabels: Int32Array;
  private readonly phrases: InvertedIndex;
  private readonly centroids: InvertedIndex;
  private readonly bayes: InvertedIndex;
  private readonly bayesDefault: Float64Array;
  private readonly aliasMatcher: AliasMatcher;
  private readonly logistic: SparseSoftmax;
  // Scratch buffers reused by every query: classify() allocates little, so garbage collection
  // pauses stay out of the latency tail.
  private readonly docScores: Float32Array;
  private readonly column: Float32Array;
  private readonly fuzzy: Float32Array;
  private readonly bayesLogits: Float64Array;

  constructor(
    documents: readonly TrainingDocument[],
    readonly labelKinds: readonly LabelKind[],
    aliasesByLabel: readonly string[][],
    kindWeights: KindWeights,
  ) {
    const labelCount = labelKinds.length;
    this.features = FeatureSpace.fit(documents.map((doc) => doc.tokens), kindWeights);
    const vectors = documents.map((doc) => this.features.vectorize(doc.tokens));
    this.docLabels = Int32Array.from(documents, (doc) => doc.label);
    this.phrases = invert(vectors, this.features.size);
    this.docScores = new Float32Array(documents.length);
    this.column = new Float32Array(labelCount);
    this.fuzzy = new Float32Array(labelCount);
    this.bayesLogits = new Float64Array(labelCount);
    this.centroids = invert(centroidsOf(vectors, this.docLabels, labelCount), this.features.size);
    const { index, defaults } = this.bayesTables(documents, labelCount);
    this.bayes = index;
    this.bayesDefault = defaults;
    this.aliasMatcher = new AliasMatcher(aliasesByLabel);
    this.logistic = SparseSoftmax.train(vectors, this.docLabels, labelCount, this.features.size);
  }

  get labelCount(): number {
    return this.labelKinds.length;
  }

  /** Per-label multinomial NB: log((n_lt + α) / α) per present feature plus a per-label default. */
  private bayesTables(documents: readonly TrainingDocument[], labelCount: number): { index: InvertedIndex; defaults: Float64Array } {
    const counts = Array.from({ length: labelCount }, () => new Map<number, number>());
    const totals = new Float64Array(labelCount);
    for (const doc of documents) {
      const labelCounts = counts[doc.label];
      if (labelCounts === undefined) continue;
      for (const [id, count] of this.features.counts(doc.tokens)) {
        labelCounts.set(id, (labelCounts.get(id) ?? 0) + count);
        totals[doc.label] = (totals[doc.label] ?? 0) + count;
      }
    }
    const vocabulary = this.features.size;
    const defaults = Float64Array.from(totals, (total) => Math.log(BAYES_ALPHA / (total + BAYES_ALPHA * vocabulary)));
    const rows: SparseVector[] = counts.map((labelCounts) => {
      const deltas = new Map<number, number>();
      for (const [id, count] of labelCounts) deltas.set(id, Math.log((count + BAYES_ALPHA) / BAYES_ALPHA));
      return fromMap(deltas);
    });
    return { index: invert(rows, vocabulary), defaults };
  }

  /** Fills `out` (labelCount × SIGNAL_COUNT, row-major by label) with the evidence for `tokens`. */
  evidence(normalized: string, tokens: readonly string[], out: Float32Array): void {
    const labels = this.labelCount;
    out.fill(0);
    const query = this.features.vectorize(tokens);
    this.nearestPhrases(query, out);
    const column = this.column;
    column.fill(0);
    accumulate(this.centroids, query, column);
    for (let label = 0; label < labels; label++) out[label * SIGNAL_COUNT + 2] = column[label] ?? 0;
    this.bayesPosterior(tokens, out);
    const contained = this.column;
    const fuzzy = this.fuzzy;
    contained.fill(0);
    fuzzy.fill(0);
    this.aliasMatcher.match(normalized, contained, fuzzy);
    for (let label = 0; label < labels; label++) {
      const row = label * SIGNAL_COUNT;
      out[row + 4] = contained[label] ?? 0;
      out[row + 5] = fuzzy[label] ?? 0;
      out[row + 6] = this.labelKinds[label] === 'intent' ? 1 : 0;
      out[row + 7] = this.labelKinds[label] === 'none' ? 1 : 0;
    }
    const logProbabilities = this.bayesLogits;
    this.logistic.logProbabilities(query, logProbabilities);
    for (let label = 0; label < labels; label++) out[label * SIGNAL_COUNT + 8] = Math.max(BAYES_FLOOR, logProbabilities[label] ?? 0) / -BAYES_FLOOR;
  }

  private nearestPhrases(query: SparseVector, out: Float32Array): void {
    const scores = this.docScores;
    scores.fill(0);
    accumulate(this.phrases, query, scores);
    for (let doc = 0; doc < scores.length; doc++) {
      const score = scores[doc] ?? 0;
      if (score <= 0) continue;
      const row = (this.docLabels[doc] ?? 0) * SIGNAL_COUNT;
      const best = out[row] ?? 0;
      if (score > best) {
        out[row + 1] = best;
        out[row] = score;
      } else if (score > (out[row + 1] ?? 0)) {
        out[row + 1] = score;
      }
    }
  }

  private bayesPosterior(tokens: readonly string[], out: Float32Array): void {
    const labels = this.labelCount;
    const counts = this.features.counts(tokens);
    let known = 0;
    for (const count of counts.values()) known += count;
    const logits = this.bayesLogits;
    for (let label = 0; label < labels; label++) logits[label] = known * (this.bayesDefault[label] ?? 0);
    const query = fromMap(counts);
    const deltas = this.column;
    deltas.fill(0);
    accumulate(this.bayes, query, deltas);
    let max = -Infinity;
    for (let label = 0; label < labels; label++) {
      logits[label] = (logits[label] ?? 0) + (deltas[label] ?? 0);
      max = Math.max(max, logits[label] ?? 0);
    }
    let sum = 0;
    for (let label = 0; label < labels; label++) sum += Math.exp((logits[label] ?? 0) - max);
    const logSum = max + Math.log(sum);
    for (let label = 0; label < labels; label++) {
      out[label * SIGNAL_COUNT + 3] = known === 0 ? BAYES_FLOOR / 2 : Math.max(BAYES_FLOOR, (logits[label] ?? 0) - logSum) / -BAYES_FLOOR;
    }
  }
}

function centroidsOf(vectors: readonly SparseVector[], docLabels: Int32Array, labelCount: number): SparseVector[] {
  const sums = Array.from({ length: labelCount }, () => new Map<number, number>());
  vectors.forEach((vector, doc) => {
    const sum = sums[docLabels[doc] ?? 0];
    if (sum === undefined) return;
    for (let i = 0; i < vector.ids.length; i++) {
      const id = vector.ids[i] ?? 0;
      sum.set(id, (sum.get(id) ?? 0) + (vector.values[i] ?? 0));
    }
  });
  return sums.map((sum) => l2Normalize(fromMap(sum)));
}

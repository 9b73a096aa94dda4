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
 *  - alias containment (best share of an alias's n-grams found; and whether one is whole) and, for short messages, Jaro-Winkler similarity to an alias
 *  - name characters: cosine with the characters of the label's names, each weighted by how few
 *    labels' names hold it (续 tells 居住证签注（续期） from its siblings), the same for every item
 *    whether it has phrasings or not
 *  - catalog text, one signal per kind of source: the best cosine with a sentence of the item's
 *    description or legal basis, with one of its conditions or materials, and with its theme or
 *    department — each weighed by the combiner for what it is (a description says what the item
 *    is for; a material is shared by many items; a theme by a whole group)
 *  - indicator columns for conversational intents, the out-of-scope label and items without
 *    phrasings (learned biases: an item known only from the catalog scores lower on the phrase
 *    signals for the same message, and this lets the combiner make up for it)
 */
import { FeatureSpace, type KindWeights } from './featureSpace.js';
import type { Vocabulary } from './vocabulary.js';
import { AliasMatcher } from './aliasMatcher.js';
import { SparseSoftmax } from './sparseSoftmax.js';
import { accumulate, accumulateTouched, invert, l2Normalize, packRows, sumByLabel, type ArrayVector, type InvertedIndex, type SparseVector } from './sparse.js';

export const SIGNALS = [
  'nearest',
  'secondNearest',
  'centroid',
  'bayes',
  'aliasContained',
  'aliasFuzzy',
  'isIntent',
  'isNone',
  'logistic',
  'aliasWhole',
  'describedNearest',
  'requiredNearest',
  'groupedNearest',
  'withoutPhrases',
  // Four of the signals again, of items known only from the catalog (see `regimes`).
  'nearestAlone',
  'centroidAlone',
  'bayesAlone',
  'logisticAlone',
  'nameCharacters',
] as const;
export const SIGNAL_COUNT = SIGNALS.length;
const DESCRIBED = 10;
const REQUIRED = 11;
const GROUPED = 12;
const WITHOUT_PHRASES = 13;
const NAME_CHARACTERS = SIGNALS.indexOf('nameCharacters');
/**
 * The signals that items without phrases also have in columns of their own, and those columns.
 * Moving every item signal into a block of its own was tried: held-out items gained nothing and
 * items with phrases lost a point of accuracy@1 on the dev set.
 */
export const REGIME_SOURCES = [0, 2, 3, 8];
export const REGIME_COLUMNS = REGIME_SOURCES.map((_, i) => WITHOUT_PHRASES + 1 + i);

export type LabelKind = 'item' | 'intent' | 'none';

/** Where a document comes from: a citizen's phrasing, a name or alias, or the catalog's text (see content/catalog.ts). */
export const DOCUMENT_SOURCES = ['phrase', 'name', 'described', 'required', 'grouped'] as const;
export type DocumentSource = (typeof DOCUMENT_SOURCES)[number];
/** The evidence column a document's best cosine goes to (phrases and names share `nearest`). */
const COLUMN_OF_SOURCE: Record<DocumentSource, number> = { phrase: 0, name: 0, described: DESCRIBED, required: REQUIRED, grouped: GROUPED };

export interface TrainingDocument {
  label: number;
  /** Vocabulary ids of the document's tokens. */
  tokens: readonly number[];
  source: DocumentSource;
}

const BAYES_ALPHA = 0.1;
const BAYES_FLOOR = -30;

export class EvidenceIndex {
  readonly features: FeatureSpace;
  private readonly docLabels: Int32Array;
  /** Evidence column of each document's cosine (COLUMN_OF_SOURCE). */
  private readonly docColumns: Uint8Array;
  /** 1 for items with no phrase among the documents. */
  private readonly withoutPhrases: Uint8Array;
  private readonly phrases: InvertedIndex;
  private readonly centroids: InvertedIndex;
  private readonly bayes: InvertedIndex;
  private readonly bayesDefault: Float64Array;
  private readonly aliasMatcher: AliasMatcher;
  private readonly logistic: SparseSoftmax;
  // Scratch buffers reused by every query: classify() allocates little, so garbage collection
  // pauses stay out of the latency tail.
  private readonly docScores: Float32Array;
  private readonly docSeen: Uint8Array;
  private readonly docTouched: Int32Array;
  private readonly column: Float32Array;
  private readonly fuzzy: Float32Array;
  private readonly nameScores: Float32Array;
  private readonly bayesLogits: Float64Array;

  constructor(
    documents: readonly TrainingDocument[],
    readonly labelKinds: readonly LabelKind[],
    aliasesByLabel: readonly string[][],
    vocabulary: Vocabulary,
    kindWeights: KindWeights,
    /** Logistic-regression weights from a previous identical build (the cache); trained when absent. */
    logisticWeights?: Float32Array,
  ) {
    const labelCount = labelKinds.length;
    this.features = new FeatureSpace(documents.map((doc) => doc.tokens), vocabulary, kindWeights);
    this.docLabels = Int32Array.from(documents, (doc) => doc.label);
    this.docColumns = Uint8Array.from(documents, (doc) => COLUMN_OF_SOURCE[doc.source]);
    this.withoutPhrases = Uint8Array.from(labelKinds, (kind) => (kind === 'item' ? 1 : 0));
    for (const doc of documents) if (doc.source === 'phrase') this.withoutPhrases[doc.label] = 0;
    this.docScores = new Float32Array(documents.length);
    this.docSeen = new Uint8Array(documents.length);
    this.docTouched = new Int32Array(documents.length);
    this.column = new Float32Array(labelCount);
    this.fuzzy = new Float32Array(labelCount);
    this.nameScores = new Float32Array(labelCount);
    this.bayesLogits = new Float64Array(labelCount);
    // One vector per document, packed (sparse.ts packRows), goes through every stage in place
    // (counts → naive Bayes table; TF-IDF → centroids; informative part → phrase index and
    // logistic regression), so that only one set of document vectors is ever alive.
    const vectors = packRows(documents.length, (doc) => this.features.counts(documents[doc]?.tokens ?? []));
    const { index, defaults } = this.bayesTables(vectors, labelCount);
    this.bayes = index;
    this.bayesDefault = defaults;
    for (const vector of vectors) this.features.weigh(vector);
    // The centroid is of what citizens type (phrases, names, aliases); catalog prose has its own signals.
    const centroidLabels = Int32Array.from(documents, (doc) => (COLUMN_OF_SOURCE[doc.source] === 0 ? doc.label : -1));
    const centroids = sumByLabel(vectors, centroidLabels, labelCount, this.features.size).map(l2Normalize);
    this.centroids = invert(centroids, this.features.size);
    vectors.forEach((vector, doc) => (vectors[doc] = this.features.keepInformative(vector)));
    this.phrases = invert(vectors, this.features.size);
    this.aliasMatcher = new AliasMatcher(aliasesByLabel);
    this.logistic = SparseSoftmax.train(vectors, this.docLabels, labelCount, this.features.size, logisticWeights);
  }

  get logisticWeights(): Float32Array {
    return this.logistic.weights;
  }

  get labelCount(): number {
    return this.labelKinds.length;
  }

  /** An item with no phrase among the documents: known from the catalog alone. */
  catalogOnly(label: number): boolean {
    return this.withoutPhrases[label] === 1;
  }

  /** Per-label multinomial NB: log((n_lt + α) / α) per present feature plus a per-label default. */
  private bayesTables(counts: readonly SparseVector[], labelCount: number): { index: InvertedIndex; defaults: Float64Array } {
    const sums = sumByLabel(counts, this.docLabels, labelCount, this.features.size, this.features.common);
    const vocabulary = this.features.size;
    const defaults = Float64Array.from(sums, (sum) => Math.log(BAYES_ALPHA / (sum.values.reduce((a, b) => a + b, 0) + BAYES_ALPHA * vocabulary)));
    for (const sum of sums) for (let i = 0; i < sum.values.length; i++) sum.values[i] = Math.log(((sum.values[i] ?? 0) + BAYES_ALPHA) / BAYES_ALPHA);
    return { index: invert(sums, vocabulary), defaults };
  }

  /** Fills `out` (labelCount × SIGNAL_COUNT, row-major by label) with the evidence for `tokens`. */
  evidence(normalized: string, tokens: readonly number[], out: Float32Array): void {
    const labels = this.labelCount;
    out.fill(0);
    const counts = this.features.counts(tokens);
    const query = this.features.vectorizeCounts(counts);
    const informative = this.features.informative(query);
    this.nearestPhrases(informative, out);
    const column = this.column;
    column.fill(0);
    accumulate(this.centroids, query, column);
    for (let label = 0; label < labels; label++) out[label * SIGNAL_COUNT + 2] = column[label] ?? 0;
    this.bayesPosterior(counts, out);
    const contained = this.column;
    const fuzzy = this.fuzzy;
    contained.fill(0);
    fuzzy.fill(0);
    this.aliasMatcher.match(normalized, contained, fuzzy);
    const names = this.nameScores;
    names.fill(0);
    this.aliasMatcher.nameCharacters(normalized, names);
    for (let label = 0; label < labels; label++) {
      const row = label * SIGNAL_COUNT;
      out[row + 4] = contained[label] ?? 0;
      out[row + 9] = (contained[label] ?? 0) >= 1 ? 1 : 0;
      out[row + 5] = fuzzy[label] ?? 0;
      out[row + 6] = this.labelKinds[label] === 'intent' ? 1 : 0;
      out[row + 7] = this.labelKinds[label] === 'none' ? 1 : 0;
      out[row + WITHOUT_PHRASES] = this.withoutPhrases[label] ?? 0;
      out[row + NAME_CHARACTERS] = names[label] ?? 0;
    }
    const logProbabilities = this.bayesLogits;
    this.logistic.logProbabilities(informative, logProbabilities);
    for (let label = 0; label < labels; label++) out[label * SIGNAL_COUNT + 8] = Math.max(BAYES_FLOOR, logProbabilities[label] ?? 0) / -BAYES_FLOOR;
    this.regimes(out);
  }

  /**
   * The phrase-based signals of an item known only from the catalog are computed from its names
   * and catalog text, and mean something else than the same signals of an item with 30
   * phrasings: copied into columns of their own, they get weights of their own on top.
   */
  private regimes(out: Float32Array): void {
    for (let label = 0; label < this.labelCount; label++) {
      if (this.withoutPhrases[label] !== 1) continue;
      const row = label * SIGNAL_COUNT;
      REGIME_SOURCES.forEach((source, i) => {
        out[row + (REGIME_COLUMNS[i] ?? 0)] = out[row + source] ?? 0;
      });
    }
  }

  /** Labels one of whose names contains the whole short message (see AliasMatcher.labelsNaming). */
  labelsNaming(normalized: string, out: Set<number>): void {
    this.aliasMatcher.labelsNaming(normalized, out);
  }

  private nearestPhrases(query: SparseVector, out: Float32Array): void {
    const scores = this.docScores;
    const touched = accumulateTouched(this.phrases, query, scores, this.docSeen, this.docTouched);
    for (let t = 0; t < touched; t++) {
      const doc = this.docTouched[t] ?? 0;
      const score = scores[doc] ?? 0;
      scores[doc] = 0;
      this.docSeen[doc] = 0;
      if (score <= 0) continue;
      const row = (this.docLabels[doc] ?? 0) * SIGNAL_COUNT;
      const column = this.docColumns[doc] ?? 0;
      if (column !== 0) {
        if (score > (out[row + column] ?? 0)) out[row + column] = score;
        continue;
      }
      const best = out[row] ?? 0;
      if (score > best) {
        out[row + 1] = best;
        out[row] = score;
      } else if (score > (out[row + 1] ?? 0)) {
        out[row + 1] = score;
      }
    }
  }

  /** `counts` are the message's raw feature counts; common features are left out, as in training. */
  private bayesPosterior(counts: ArrayVector, out: Float32Array): void {
    const labels = this.labelCount;
    const query = this.features.informative(counts);
    let known = 0;
    for (const count of query.values) known += count;
    const logits = this.bayesLogits;
    for (let label = 0; label < labels; label++) logits[label] = known * (this.bayesDefault[label] ?? 0);
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

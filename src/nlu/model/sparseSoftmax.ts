/**
 * A multinomial logistic regression over sparse TF-IDF vectors whose weights exist only for
 * (feature, label) pairs seen together in training — the discriminative counterpart of the
 * naive Bayes table. natural's LogisticRegressionClassifier keeps a dense weight per feature
 * and label and runs batch gradient descent over dense vectors of the whole vocabulary: on ~1,000
 * labels that is hours and gigabytes; this one trains by SGD in seconds and stays as small as
 * the naive Bayes table.
 *
 * Labels a message shares no feature with all get logit 0; their share of the softmax is
 * accounted exactly without visiting them, so an update costs only the postings the message touches.
 */
import { invert, sumByLabel, type InvertedIndex, type SparseVector } from './sparse.js';
import { seededRandom } from '../../util/seededRandom.js';

export interface SoftmaxOptions {
  epochs: number;
  learningRate: number;
  /** Weight decay per update of a touched weight. */
  l2: number;
  seed: number;
}

export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxOptions = { epochs: 8, learningRate: 5, l2: 1e-4, seed: 7 };

/** Features in more labels than max(MIN_LABEL_CAP, LABEL_SHARE_CAP × labels) get no weights. */
const MIN_LABEL_CAP = 10;
const LABEL_SHARE_CAP = 0.02;

export class SparseSoftmax {
  private readonly index: InvertedIndex;
  private readonly logits: Float64Array;
  private readonly touched: Int32Array;
  private readonly mark: Uint8Array;

  private constructor(
    supports: readonly SparseVector[],
    featureCount: number,
    private readonly labelCount: number,
  ) {
    this.index = invert(supports, featureCount);
    this.index.values.fill(0);
    this.logits = new Float64Array(labelCount);
    this.touched = new Int32Array(labelCount);
    this.mark = new Uint8Array(labelCount);
  }

  /**
   * Trains on the document vectors — or, given `weights` saved from an identical training set
   * (see `weights`), only rebuilds the layout and takes them, which is what a cached start does.
   */
  static train(
    vectors: readonly SparseVector[],
    labels: Int32Array,
    labelCount: number,
    featureCount: number,
    weights?: Float32Array,
    options = DEFAULT_SOFTMAX_OPTIONS,
  ): SparseSoftmax {
    const supports = sumByLabel(vectors, labels, labelCount, featureCount);
    // A feature shared by many labels discriminates little but costs a posting per label in
    // every update; above the cap it is left to the other signals.
    const labelFrequency = new Int32Array(featureCount);
    for (const support of supports) for (const id of support.ids) labelFrequency[id] = (labelFrequency[id] ?? 0) + 1;
    const cap = Math.max(MIN_LABEL_CAP, LABEL_SHARE_CAP * labelCount);
    // In place: a label's support keeps the features under the cap (values are set by the model).
    const capped = supports.map(({ ids, values }) => {
      let kept = 0;
      for (const id of ids) if ((labelFrequency[id] ?? 0) <= cap) ids[kept++] = id;
      return { ids: ids.subarray(0, kept), values: values.subarray(0, kept) };
    });
    const model = new SparseSoftmax(capped, featureCount, labelCount);
    if (weights !== undefined && weights.length === model.index.values.length) {
      model.index.values.set(weights);
      return model;
    }
    const order = Array.from(vectors.keys());
    const next = seededRandom(options.seed);
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
      }
      const rate = options.learningRate / (1 + epoch);
      for (const doc of order) {
        const vector = vectors[doc];
        if (vector !== undefined) model.step(vector, labels[doc] ?? 0, rate, options.l2);
      }
    }
    return model;
  }

  /** Computes logits of the labels the vector touches; returns how many (listed in `touched`). */
  private forward(vector: SparseVector): number {
    const { offsets, rows, values } = this.index;
    let count = 0;
    for (let i = 0; i < vector.ids.length; i++) {
      const feature = vector.ids[i] ?? 0;
      const x = vector.values[i] ?? 0;
      const end = offsets[feature + 1] ?? 0;
      for (let p = offsets[feature] ?? 0; p < end; p++) {
        const label = rows[p] ?? 0;
        if (this.mark[label] === 0) {
          this.mark[label] = 1;
          this.logits[label] = 0;
          this.touched[count++] = label;
        }
        this.logits[label] = (this.logits[label] ?? 0) + x * (values[p] ?? 0);
      }
    }
    return count;
  }

  /** log Σ exp(logit) over all labels, untouched ones contributing exp(0) each. */
  private logPartition(count: number): number {
    let max = 0;
    for (let t = 0; t < count; t++) max = Math.max(max, this.logits[this.touched[t] ?? 0] ?? 0);
    let sum = (this.labelCount - count) * Math.exp(-max);
    for (let t = 0; t < count; t++) sum += Math.exp((this.logits[this.touched[t] ?? 0] ?? 0) - max);
    return max + Math.log(sum);
  }

  private step(vector: SparseVector, gold: number, rate: number, l2: number): void {
    const count = this.forward(vector);
    const logZ = this.logPartition(count);
    // logits now hold residuals (probability − target) of the touched labels.
    for (let t = 0; t < count; t++) {
      const label = this.touched[t] ?? 0;
      this.logits[label] = Math.exp((this.logits[label] ?? 0) - logZ) - (label === gold ? 1 : 0);
    }
    const { offsets, rows, values } = this.index;
    for (let i = 0; i < vector.ids.length; i++) {
      const feature = vector.ids[i] ?? 0;
      const x = vector.values[i] ?? 0;
      const end = offsets[feature + 1] ?? 0;
      for (let p = offsets[feature] ?? 0; p < end; p++) {
        const label = rows[p] ?? 0;
        const residual = this.logits[label] ?? 0;
        values[p] = (values[p] ?? 0) * (1 - rate * l2) - rate * residual * x;
      }
    }
    for (let t = 0; t < count; t++) this.mark[this.touched[t] ?? 0] = 0;
  }

  /** The learned weights, in posting order (what `train` accepts back). */
  get weights(): Float32Array {
    return this.index.values;
  }

  /** Log-probability of every label for `vector`, into `out`. */
  logProbabilities(vector: SparseVector, out: Float32Array | Float64Array): void {
    const count = this.forward(vector);
    const logZ = this.logPartition(count);
    out.fill(-logZ);
    for (let t = 0; t < count; t++) {
      const label = this.touched[t] ?? 0;
      out[label] = (this.logits[label] ?? 0) - logZ;
      this.mark[label] = 0;
    }
  }
}

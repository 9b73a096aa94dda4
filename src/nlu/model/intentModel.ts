/** A trained model: the evidence indexes over the content plus the fitted signal weights. */
import { tokenize } from '../tokenize.js';
import { candidateLabels, topLabels } from './candidates.js';
import { logits, softmax } from './combiner.js';
import { EvidenceIndex, SIGNAL_COUNT } from './evidence.js';
import type { KindWeights } from './featureSpace.js';
import type { Label, TrainingData } from './trainingData.js';
import type { Vocabulary } from './vocabulary.js';

/** What is learned, cached and restored: everything else is rebuilt from content. */
export interface ModelParameters {
  /** Combiner weights, one per evidence signal. */
  weights: number[];
  kindWeights: KindWeights;
  /** Logistic-regression weights of the final index; absent until that index is built. */
  logistic?: Float32Array;
}

/** Only the start of a very long message is read: service requests are short, and cost stays bounded. */
export const MAX_MESSAGE_LENGTH = 500;

export interface RankedLabel {
  label: Label;
  probability: number;
  /** The whole message is part of one of this label's names (a bare 居住证 for 居住证续签). */
  namedByMessage?: boolean;
  /** An item without phrasings, known from its catalog text alone. */
  catalogOnly?: boolean;
}

export class IntentModel {
  private readonly index: EvidenceIndex;
  private readonly evidence: Float32Array;
  private readonly strength: Float64Array;
  private readonly noneLabel: number;
  private readonly named = new Set<number>();

  private readonly vocabulary: Vocabulary;
  private readonly normalize: (text: string) => string;
  readonly labels: readonly Label[];

  readonly parameters: Required<ModelParameters>;

  /** Builds the indexes; the training documents themselves are not kept. */
  constructor(data: TrainingData, parameters: ModelParameters) {
    this.labels = data.labels;
    this.vocabulary = data.vocabulary;
    this.normalize = data.normalize;
    this.index = new EvidenceIndex(data.documents, data.kinds, data.aliases, data.vocabulary, parameters.kindWeights, parameters.logistic);
    this.parameters = { ...parameters, logistic: this.index.logisticWeights };
    this.evidence = new Float32Array(data.labels.length * SIGNAL_COUNT);
    this.strength = new Float64Array(data.labels.length);
    this.noneLabel = data.labels.length - 1;
  }

  /**
   * Probabilities for `text`, best first (only the first `limit`), spread over its candidate
   * labels as in training (candidates.ts); every other label has probability 0.
   */
  rank(text: string, limit: number): RankedLabel[] {
    const normalized = this.normalize(text.slice(0, MAX_MESSAGE_LENGTH));
    this.index.evidence(normalized, this.vocabulary.encode(tokenize(normalized)), this.evidence);
    const candidates = candidateLabels(this.evidence, this.strength, [this.noneLabel]);
    const rows = new Float32Array(candidates.length * SIGNAL_COUNT);
    candidates.forEach((label, c) => rows.set(this.evidence.subarray(label * SIGNAL_COUNT, (label + 1) * SIGNAL_COUNT), c * SIGNAL_COUNT));
    const scores = new Float64Array(candidates.length);
    logits(rows, this.parameters.weights, scores);
    softmax(scores);
    this.index.labelsNaming(normalized, this.named);
    return topLabels(scores, limit).map((c) => {
      const label = candidates[c] ?? this.noneLabel;
      const ranked: RankedLabel = { label: this.labels[label] ?? { type: 'none' }, probability: scores[c] ?? 0, namedByMessage: this.named.has(label) };
      return this.index.catalogOnly(label) ? { ...ranked, catalogOnly: true } : ranked;
    });
  }
}

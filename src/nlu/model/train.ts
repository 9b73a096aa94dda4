/**
 * Training: cross-validated evidence for held-out phrases, then the signal weights fitted on it.
 * The indexes themselves need no optimisation (they are counts and vectors), so "training" is
 * k index builds (and the logistic regression's few epochs) plus a few hundred gradient steps over
 * 18 weights — about 20 s of CPU at 2,000 items (npm run bench:nlu).
 */
import { fitCombiner, type CombinerExample } from './combiner.js';
import { EvidenceIndex, REGIME_SOURCES, SIGNAL_COUNT } from './evidence.js';
import { DEFAULT_KIND_WEIGHTS, type KindWeights } from './featureSpace.js';
import { candidateLabels } from './candidates.js';
import { IntentModel, type ModelParameters } from './intentModel.js';
import type { TrainingData } from './trainingData.js';

/** Starting weights, in the order of SIGNALS (evidence.ts); the columns of items without phrases and name characters start at 0. */
const BASE_WEIGHTS = [8, 2, 4, 2, 2, 1, 0, 0, 2, 1, 2, 1, 0.5, 0];
export const INITIAL_WEIGHTS = [...BASE_WEIGHTS, ...REGIME_SOURCES.map(() => 0), 0];
/**
 * Share of the items with phrases that training treats as known from the catalog alone, so that
 * the combiner learns how far to trust catalog text for the items that really have nothing else.
 * Measured with `npm run eval -- --held-out-items 0.5 --repeat 3` (held-out items' phrases
 * accuracy@1 / silent errors; kept items' dev accuracy@1): 0.5 → 78.4 % / 5.4 %, 94.6 %;
 * 0.65 → 79.6 % / 4.6 %, 94.2 %; 0.8 (before withholding the phrase files' aliases too) lost two
 * points on the kept items.
 */
const WITHHELD_ITEMS = 0.65;

/**
 * The cross-validation whose held-out evidence the combiner is fitted on. Choosing thresholds
 * (crossValidation.ts) fits its weights the same way, so that it sees probabilities calibrated
 * as the deployed model's are.
 */
export const COMBINER_CROSS_VALIDATION: CrossValidationOptions = { folds: 5, limit: 2000, withheldItems: WITHHELD_ITEMS };

export interface HeldOutPrediction {
  /** Index of the document in TrainingData.documents. */
  document: number;
  fold: number;
  gold: number;
  /** Full evidence (labels × SIGNAL_COUNT); a buffer reused for the next prediction. */
  evidence: Float32Array;
}

export interface CrossValidationOptions {
  folds: number;
  kindWeights?: KindWeights;
  /**
   * Score about this many held-out phrases, evenly spread, and run only as many folds as that
   * needs (a dozen weights need a few thousand examples, not 40,000). Unset: every phrase, every fold.
   */
  limit?: number;
  /**
   * Share of the items with phrases whose phrases are all held out together, in one fold: that
   * fold's indexes know those items from the catalog alone, as a deployment knows most of its
   * items. Default 0: every phrase is held out on its own, stratified by label.
   */
  withheldItems?: number;
}

/**
 * Assigns each phrase to a fold. A withheld item's phrases all go to one fold (its label modulo
 * the folds), and so do the aliases of its phrase file, so that fold knows it as the catalog
 * describes it; the other items' phrases are spread over all folds, stratified by label.
 */
function foldOf(data: TrainingData, folds: number, withheldShare: number): Int32Array {
  const seen = new Map<number, number>();
  const itemsWithPhrases = [...new Set(data.documents.filter((doc) => doc.phrase && data.kinds[doc.label] === 'item').map((doc) => doc.label))];
  // Evenly spread over the catalog order (every second item at 0.5), and fixed for a content.
  const withheld = new Set(itemsWithPhrases.filter((_, i) => Math.floor((i + 1) * withheldShare) > Math.floor(i * withheldShare)));
  return Int32Array.from(data.documents, (doc) => {
    if (withheld.has(doc.label) && (doc.phrase || doc.fromPhraseFile === true)) return doc.label % folds;
    if (!doc.phrase) return -1;
    const position = seen.get(doc.label) ?? 0;
    seen.set(doc.label, position + 1);
    return (position + doc.label) % folds;
  });
}

/** Calls `visit` with the evidence for held-out phrases, each computed by indexes that did not see it. */
export function crossValidate(data: TrainingData, options: CrossValidationOptions, visit: (prediction: HeldOutPrediction) => void): void {
  const folds = foldOf(data, options.folds, options.withheldItems ?? 0);
  const kindWeights = options.kindWeights ?? DEFAULT_KIND_WEIGHTS;
  const phraseCount = data.documents.filter((doc) => doc.phrase).length;
  const perFold = phraseCount / options.folds;
  const foldsRun = options.limit === undefined ? options.folds : Math.min(options.folds, Math.ceil(options.limit / Math.max(perFold, 1)));
  const stride = options.limit === undefined ? 1 : Math.max(1, Math.floor((perFold * foldsRun) / options.limit));
  const evidence = new Float32Array(data.labels.length * SIGNAL_COUNT);
  let heldOut = 0;
  for (let fold = 0; fold < foldsRun; fold++) {
    const training = data.documents.filter((_, i) => folds[i] !== fold);
    // An item whose phrase-file aliases are held out in this fold is matched on its catalog names only.
    const withheldHere = new Set(data.documents.filter((doc, i) => folds[i] === fold && doc.fromPhraseFile === true).map((doc) => doc.label));
    const aliases = data.aliases.map((names, label) => (withheldHere.has(label) ? (data.catalogAliases[label] ?? []) : names));
    const index = new EvidenceIndex(training, data.kinds, aliases, data.vocabulary, kindWeights);
    data.documents.forEach((doc, i) => {
      if (folds[i] !== fold || !doc.phrase || heldOut++ % stride !== 0) return;
      index.evidence(doc.text, doc.tokens, evidence);
      visit({ document: i, fold, gold: doc.label, evidence });
    });
  }
}

/** Restricts a prediction to its candidates (candidates.ts) so fitting stays small at 2,000 labels. */
export function toExample(prediction: HeldOutPrediction, noneLabel: number): CombinerExample {
  const labels = prediction.evidence.length / SIGNAL_COUNT;
  const ordered = candidateLabels(prediction.evidence, new Float64Array(labels), [prediction.gold, noneLabel]);
  const rows = new Float32Array(ordered.length * SIGNAL_COUNT);
  ordered.forEach((label, c) => rows.set(prediction.evidence.subarray(label * SIGNAL_COUNT, (label + 1) * SIGNAL_COUNT), c * SIGNAL_COUNT));
  return { rows, labels: ordered, gold: ordered.indexOf(prediction.gold) };
}

export interface TrainingReport {
  heldOut: number;
  loss: number;
  millis: number;
}

/** Fits the weights on cross-validated evidence and builds the final model on all documents. */
export function train(data: TrainingData, kindWeights: KindWeights = DEFAULT_KIND_WEIGHTS): { model: IntentModel; report: TrainingReport } {
  const started = performance.now();
  const noneLabel = data.labels.length - 1;
  const examples: CombinerExample[] = [];
  crossValidate(data, { ...COMBINER_CROSS_VALIDATION, kindWeights }, (prediction) => examples.push(toExample(prediction, noneLabel)));
  const { weights, loss } = examples.length === 0 ? { weights: INITIAL_WEIGHTS, loss: NaN } : fitCombiner(examples, INITIAL_WEIGHTS);
  const parameters: ModelParameters = { weights, kindWeights };
  const model = new IntentModel(data, parameters);
  return { model, report: { heldOut: examples.length, loss, millis: performance.now() - started } };
}

/**
 * k-fold cross-validation on the intents/ phrases: every phrase is classified by a model whose
 * indexes never saw it, with signal weights fitted on the other folds' held-out evidence (so
 * the figures are not flattered by fitting on the fold being scored).
 */
import type { Content } from './content/load.js';
import { decide } from './decide.js';
import { logits, softmax, fitCombiner, type CombinerExample } from './model/combiner.js';
import { topLabels } from './model/intentModel.js';
import { crossValidate, INITIAL_WEIGHTS, toExample } from './model/train.js';
import { prepareTrainingData, type Label } from './model/trainingData.js';
import type { Thresholds } from './types.js';

export interface LabelReport {
  label: string;
  phrases: number;
  accuracy: number;
  /** Most frequent wrong first choice, if any. */
  confusedWith?: string;
}

export interface CrossValidationReport {
  folds: number;
  phrases: number;
  accuracyAt1: number;
  accuracyAt3: number;
  /** For out-of-scope phrases: share decided `none`; for in-scope: share decided `none`. */
  outOfScopeRecall: number;
  falseRejectRate: number;
  perLabel: LabelReport[];
}

function labelName(label: Label | undefined): string {
  if (label === undefined || label.type === 'none') return 'none';
  return label.type === 'item' ? `item:${label.code}` : `intent:${label.name}`;
}

export function crossValidationReport(content: Content, folds: number, thresholds: Thresholds): CrossValidationReport {
  const data = prepareTrainingData(content);
  const noneLabel = data.labels.length - 1;
  const examples: Array<CombinerExample & { fold: number }> = [];
  crossValidate(data, { folds }, (prediction) => examples.push({ ...toExample(prediction, noneLabel), fold: prediction.fold }));
  // Weights for scoring fold f are fitted on the other folds' examples only.
  const weightsByFold = Array.from({ length: folds }, (_, fold) => fitCombiner(examples.filter((example) => example.fold !== fold), INITIAL_WEIGHTS).weights);
  const stats = new Map<number, { phrases: number; right: number; wrong: Map<string, number> }>();
  let at1 = 0, at3 = 0, inScope = 0, rejected = 0, oos = 0, oosCaught = 0;
  examples.forEach((example) => {
    const weights = weightsByFold[example.fold] ?? INITIAL_WEIGHTS;
    const scores = new Float64Array(example.labels.length);
    logits(example.rows, weights, scores);
    softmax(scores);
    const ranked = topLabels(scores, 6).map((c) => ({ label: data.labels[example.labels[c] ?? noneLabel] ?? { type: 'none' as const }, probability: scores[c] ?? 0 }));
    const result = decide(ranked, thresholds);
    const goldLabel = example.labels[example.gold] ?? noneLabel;
    const decision = result.decision;
    const first = decision.type === 'none' ? 'none' : labelName(decision.type === 'ambiguous' ? decision.candidates[0] : decision);
    const gold = labelName(data.labels[goldLabel]);
    const entry = stats.get(goldLabel) ?? { phrases: 0, right: 0, wrong: new Map<string, number>() };
    entry.phrases++;
    if (first === gold) entry.right++;
    else entry.wrong.set(first, (entry.wrong.get(first) ?? 0) + 1);
    stats.set(goldLabel, entry);
    if (goldLabel === noneLabel) {
      oos++;
      if (first === 'none') oosCaught++;
      return;
    }
    inScope++;
    if (first === gold) at1++;
    if (first === 'none') rejected++;
    if (result.top.slice(0, 3).some((t) => labelName(t) === gold)) at3++;
  });
  const perLabel = [...stats].map(([label, { phrases, right, wrong }]): LabelReport => {
    const confusedWith = [...wrong].sort((a, b) => b[1] - a[1])[0]?.[0];
    return { label: labelName(data.labels[label]), phrases, accuracy: right / phrases, ...(confusedWith === undefined ? {} : { confusedWith }) };
  });
  return {
    folds,
    phrases: examples.length,
    accuracyAt1: inScope === 0 ? 0 : at1 / inScope,
    accuracyAt3: inScope === 0 ? 0 : at3 / inScope,
    outOfScopeRecall: oos === 0 ? 0 : oosCaught / oos,
    falseRejectRate: inScope === 0 ? 0 : rejected / inScope,
    perLabel: perLabel.sort((a, b) => a.accuracy - b.accuracy),
  };
}

export function formatCrossValidation(report: CrossValidationReport): string {
  const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;
  return [
    `${report.folds}-fold cross-validation over ${report.phrases} phrases`,
    `accuracy@1 (in-scope)        ${pct(report.accuracyAt1)}`,
    `accuracy@3 (in-scope)        ${pct(report.accuracyAt3)}`,
    `out-of-scope recall          ${pct(report.outOfScopeRecall)}`,
    `in-scope false-reject rate   ${pct(report.falseRejectRate)}`,
    'per label (worst first): accuracy@1, phrases, most frequent confusion',
    ...report.perLabel.map((l) => `  ${l.label.padEnd(44)} ${pct(l.accuracy).padStart(7)}  ${String(l.phrases).padStart(3)}  ${l.confusedWith ?? ''}`),
  ].join('\n');
}

/**
 * k-fold cross-validation on the intents/ phrases: every phrase is classified by a model whose
 * indexes never saw it, with signal weights fitted on the other folds' held-out evidence (so
 * the figures are not flattered by fitting on the fold being scored). The rankings are computed
 * once; decisions under any thresholds are then cheap, which is how the thresholds are chosen
 * (`thresholdSweep`) — on messages the model did not learn from, not on the dev set. Besides the
 * phrases of items with phrasings, the sweep scores phrases of items the ranking model knew from
 * the catalog alone (`catalogOnly`), as a deployment knows most of its items.
 */
import type { Content } from './content/load.js';
import { decide } from './decide.js';
import { logits, softmax, fitCombiner, type CombinerExample } from './model/combiner.js';
import { topLabels } from './model/candidates.js';
import type { RankedLabel } from './model/intentModel.js';
import { COMBINER_CROSS_VALIDATION, crossValidate, INITIAL_WEIGHTS, toExample, train } from './model/train.js';
import { prepareTrainingData, type Label } from './model/trainingData.js';
import type { Thresholds } from './types.js';

export interface LabelReport {
  label: string;
  phrases: number;
  accuracy: number;
  /** Most frequent wrong first choice, if any. */
  confusedWith?: string;
}

export interface DecisionFigures {
  accuracyAt1: number;
  accuracyAt3: number;
  /** Out-of-scope phrases decided `none`. */
  outOfScopeRecall: number;
  /** In-scope phrases decided `none`. */
  falseRejectRate: number;
  /** In-scope phrases decided as their own label without asking back. */
  decidedRight: number;
  /** All phrases decided as another item or intent without asking back. */
  silentErrors: number;
}

export interface CrossValidationReport extends DecisionFigures {
  folds: number;
  phrases: number;
  perLabel: LabelReport[];
}

/** One held-out phrase: its label and the labels ranked by the fold's model (best first). */
export interface HeldOutRanking {
  gold: Label;
  ranked: RankedLabel[];
  /** A phrase of an item the ranking model knew from the catalog alone, as a deployment knows most of its items. */
  catalogOnly?: boolean;
}

function labelName(label: Label | undefined): string {
  if (label === undefined || label.type === 'none') return 'none';
  return label.type === 'item' ? `item:${label.code}` : `intent:${label.name}`;
}

/** Ranks every phrase of intents/ with a model that did not see it. */
export function crossValidatedRankings(content: Content, folds: number): HeldOutRanking[] {
  const data = prepareTrainingData(content);
  const noneLabel = data.labels.length - 1;
  const examples: Array<CombinerExample & { fold: number }> = [];
  const foldOfDocument = new Map<number, number>();
  crossValidate(data, { folds }, (prediction) => {
    examples.push({ ...toExample(prediction, noneLabel), fold: prediction.fold });
    foldOfDocument.set(prediction.document, prediction.fold);
  });
  // The weights are fitted as training fits them (withheld items, COMBINER_CROSS_VALIDATION), so
  // the probabilities the thresholds are chosen on are calibrated as the deployed model's: fitted
  // on evidence where every phrase counts, they were more confident than the deployed model's, and
  // the accept threshold chosen on them asked back about clear answers. Weights for scoring fold f
  // are fitted on examples of phrases outside fold f only.
  const fitting: Array<CombinerExample & { document: number }> = [];
  crossValidate(data, COMBINER_CROSS_VALIDATION, (prediction) => fitting.push({ ...toExample(prediction, noneLabel), document: prediction.document }));
  const weightsByFold = Array.from(
    { length: folds },
    (_, fold) => fitCombiner(fitting.filter((example) => foldOfDocument.get(example.document) !== fold), INITIAL_WEIGHTS).weights,
  );
  const rank = (example: CombinerExample, weights: readonly number[]): HeldOutRanking => {
    const scores = new Float64Array(example.labels.length);
    logits(example.rows, weights, scores);
    softmax(scores);
    const ranked = topLabels(scores, 6).map((c) => ({ label: data.labels[example.labels[c] ?? noneLabel] ?? { type: 'none' as const }, probability: scores[c] ?? 0 }));
    return { gold: data.labels[example.labels[example.gold] ?? noneLabel] ?? { type: 'none' }, ranked };
  };
  return [...examples.map((example) => rank(example, weightsByFold[example.fold] ?? INITIAL_WEIGHTS)), ...catalogOnlyRankings(content)];
}

/**
 * The phrases of items known from the catalog alone, as a new deployment meets them: the phrase
 * files of every second item are removed, the model trained on the rest, and those files'
 * phrases ranked; then the same with the other half. Thresholds chosen on phrases of items with
 * phrasings alone decided too eagerly about the others (silent errors on held-out items 2.0 → 3.9 %).
 */
function catalogOnlyRankings(content: Content): HeldOutRanking[] {
  return [0, 1].flatMap((half) => {
    const removed = new Set(content.items.filter((_, i) => i % 2 === half).map((item) => item.code));
    const { model } = train(prepareTrainingData({ ...content, items: content.items.filter((item) => !removed.has(item.code)) }));
    return content.items
      .filter((item) => removed.has(item.code))
      .flatMap((item) => item.phrases.map((phrase): HeldOutRanking => ({ gold: { type: 'item', code: item.code }, ranked: model.rank(phrase, 6), catalogOnly: true })));
  });
}

/** The figures of the decisions `thresholds` make on the rankings, and per-label accuracy. */
export function decisionFigures(rankings: readonly HeldOutRanking[], thresholds: Thresholds): DecisionFigures & { perLabel: LabelReport[] } {
  const stats = new Map<string, { phrases: number; right: number; wrong: Map<string, number> }>();
  let at1 = 0, at3 = 0, inScope = 0, rejected = 0, oos = 0, oosCaught = 0, decidedRight = 0, silent = 0;
  for (const { gold: goldLabel, ranked } of rankings) {
    const result = decide(ranked, thresholds);
    const decision = result.decision;
    const first = decision.type === 'none' ? 'none' : labelName(decision.type === 'ambiguous' ? decision.candidates[0] : decision);
    const gold = labelName(goldLabel);
    const outright = decision.type === 'item' || decision.type === 'intent';
    if (outright && first !== gold) silent++;
    const entry = stats.get(gold) ?? { phrases: 0, right: 0, wrong: new Map<string, number>() };
    entry.phrases++;
    if (first === gold) entry.right++;
    else entry.wrong.set(first, (entry.wrong.get(first) ?? 0) + 1);
    stats.set(gold, entry);
    if (goldLabel.type === 'none') {
      oos++;
      if (first === 'none') oosCaught++;
      continue;
    }
    inScope++;
    if (first === gold) at1++;
    if (outright && first === gold) decidedRight++;
    if (first === 'none') rejected++;
    if (result.top.slice(0, 3).some((t) => labelName(t) === gold)) at3++;
  }
  const perLabel = [...stats].map(([label, { phrases, right, wrong }]): LabelReport => {
    const confusedWith = [...wrong].sort((a, b) => b[1] - a[1])[0]?.[0];
    return { label, phrases, accuracy: right / phrases, ...(confusedWith === undefined ? {} : { confusedWith }) };
  });
  const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
  return {
    accuracyAt1: share(at1, inScope),
    accuracyAt3: share(at3, inScope),
    outOfScopeRecall: share(oosCaught, oos),
    falseRejectRate: share(rejected, inScope),
    decidedRight: share(decidedRight, inScope),
    silentErrors: share(silent, rankings.length),
    perLabel: perLabel.sort((a, b) => a.accuracy - b.accuracy),
  };
}

/** The report of `--cv k`: the phrases of items with phrasings (the catalog-only rankings serve the sweep). */
export function knownItemsReport(rankings: readonly HeldOutRanking[], folds: number, thresholds: Thresholds): CrossValidationReport {
  const known = rankings.filter((ranking) => ranking.catalogOnly !== true);
  return { folds, phrases: known.length, ...decisionFigures(known, thresholds) };
}

const REJECTS = [0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6];
const ACCEPTS = [0.3, 0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8];
/** 0.1 first: the margin hardly changes anything with calibrated probabilities, and ties keep the first. */
const MARGINS = [0.1, 0.05, 0.15];
/** 1 first: no lead rule (a lead of a whole probability cannot happen), which ties keep. */
const LEADS = [1, 0.5, 0.45, 0.4, 0.35, 0.3, 0.25, 0.2];

export interface SweepRow extends DecisionFigures {
  thresholds: Thresholds;
}

/** Every combination of the grid's thresholds, scored on the same cross-validated rankings. */
export function thresholdSweep(rankings: readonly HeldOutRanking[]): SweepRow[] {
  const rows: SweepRow[] = [];
  for (const reject of REJECTS) {
    for (const accept of ACCEPTS) {
      for (const ambiguousMargin of MARGINS) {
        for (const lead of LEADS) {
          const thresholds = { accept, ambiguousMargin, reject, lead };
          const { perLabel: _perLabel, ...figures } = decisionFigures(rankings, thresholds);
          rows.push({ thresholds, ...figures });
        }
      }
    }
  }
  return rows;
}

/**
 * What a silent error costs against a question back: a citizen answered about the wrong item
 * reads the card, finds it wrong and asks again (about three exchanges), where a question back
 * costs one tap on a chip.
 */
export const SILENT_ERROR_COST = 3;

/**
 * The rule the defaults are chosen by: out-of-scope recall at least `minRecall`; among those, the
 * most in-scope phrases decided right, less SILENT_ERROR_COST × the silent errors, less the false
 * rejects (a citizen who gets the help card for a clear question starts over); ties go to the
 * higher out-of-scope recall, then the fewer false rejects. Undefined when no row qualifies.
 */
export function chooseThresholds(rows: readonly SweepRow[], minRecall: number): SweepRow | undefined {
  const value = (row: SweepRow): number => row.decidedRight - SILENT_ERROR_COST * row.silentErrors - row.falseRejectRate;
  const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-9;
  return rows
    .filter((row) => row.outOfScopeRecall >= minRecall)
    .sort((a, b) =>
      !close(value(a), value(b)) ? value(b) - value(a) : !close(a.outOfScopeRecall, b.outOfScopeRecall) ? b.outOfScopeRecall - a.outOfScopeRecall : a.falseRejectRate - b.falseRejectRate,
    )[0];
}

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

export function formatSweep(rows: readonly SweepRow[], chosen: SweepRow | undefined): string {
  const line = (row: SweepRow): string =>
    [row.thresholds.reject, row.thresholds.accept, row.thresholds.ambiguousMargin, row.thresholds.lead].map((v) => v.toFixed(2).padStart(6)).join('') +
    [row.accuracyAt1, row.decidedRight, row.silentErrors, row.outOfScopeRecall, row.falseRejectRate].map((v) => pct(v).padStart(9)).join('');
  return [
    `${'reject'.padStart(6)}${'accept'.padStart(6)}${'margin'.padStart(6)}${'lead'.padStart(6)}${'@1'.padStart(9)}${'decided'.padStart(9)}${'silent'.padStart(9)}${'oosRec'.padStart(9)}${'falseRej'.padStart(9)}`,
    ...rows.map(line),
    chosen === undefined ? 'no thresholds meet the rule' : `chosen by the rule: ${line(chosen)}`,
  ].join('\n');
}

export function formatCrossValidation(report: CrossValidationReport): string {
  return [
    `${report.folds}-fold cross-validation over ${report.phrases} phrases`,
    `accuracy@1 (in-scope)        ${pct(report.accuracyAt1)}`,
    `accuracy@3 (in-scope)        ${pct(report.accuracyAt3)}`,
    `out-of-scope recall          ${pct(report.outOfScopeRecall)}`,
    `in-scope false-reject rate   ${pct(report.falseRejectRate)}`,
    `decided right (in-scope)     ${pct(report.decidedRight)}`,
    `silent errors (all phrases)  ${pct(report.silentErrors)}`,
    'per label (worst first): accuracy@1, phrases, most frequent confusion',
    ...report.perLabel.map((l) => `  ${l.label.padEnd(44)} ${pct(l.accuracy).padStart(7)}  ${String(l.phrases).padStart(3)}  ${l.confusedWith ?? ''}`),
  ].join('\n');
}

/**
 * How a new deployment meets the classifier: most catalog items have no phrase file. The protocol
 * (`npm run eval -- --held-out-items 0.5 --repeat 5`): remove the phrase files of a random share
 * of the items that have one, keep their catalog entries, train, and score
 *  - held-out items: the labelled queries (the dev set) about those items, and apart from them
 *    the citizen questions of the removed files (their `phrases`) — none of which the model saw;
 *  - kept items: the labelled queries about the items that kept their file.
 * Each repeat draws another random share (seeded, so runs are reproducible).
 */
import type { Content } from './content/load.js';
import { createClassifier } from './classifier.js';
import { evaluate, type LabelledQuery } from './evaluate.js';
import { train } from './model/train.js';
import { prepareTrainingData } from './model/trainingData.js';
import type { Thresholds } from './types.js';
import { seededRandom } from '../util/seededRandom.js';

export interface HeldOutFigures {
  questions: number;
  accuracyAt1: number;
  accuracyAt3: number;
  decidedRight: number;
  silentErrors: number;
}

export interface HeldOutRun {
  heldOutItems: string[];
  /** The removed files' own phrases: many questions, written by the content team. */
  heldOutPhrases: HeldOutFigures;
  /** The labelled queries about held-out items: fewer, written apart from intents/. */
  heldOutQueries: HeldOutFigures;
  kept: HeldOutFigures;
  trainingMillis: number;
}

export interface HeldOutOptions {
  /** Share of the items with a phrase file whose file is removed (0 < share < 1). */
  share: number;
  repeats: number;
  thresholds: Thresholds;
  seed?: number;
}

/** `count` distinct elements of `values`, drawn with `random` (a partial Fisher-Yates shuffle). */
function sample<T>(values: readonly T[], count: number, random: () => number): T[] {
  const pool = [...values];
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as T, pool[i] as T];
  }
  return pool.slice(0, count);
}

function figures(queries: readonly LabelledQuery[], classify: Parameters<typeof evaluate>[0]): HeldOutFigures {
  if (queries.length === 0) return { questions: 0, accuracyAt1: 0, accuracyAt3: 0, decidedRight: 0, silentErrors: 0 };
  const report = evaluate(classify, queries, 1);
  return { questions: queries.length, accuracyAt1: report.accuracyAt1, accuracyAt3: report.accuracyAt3, decidedRight: report.decidedRight, silentErrors: report.silentErrors };
}

/** One run of the protocol per repeat; `queries` are labelled queries such as the dev set. */
export function heldOutItemRuns(content: Content, queries: readonly LabelledQuery[], options: HeldOutOptions): HeldOutRun[] {
  const random = seededRandom(options.seed ?? 14);
  const withFiles = content.items.map((item) => item.code);
  const count = Math.round(withFiles.length * options.share);
  const runs: HeldOutRun[] = [];
  for (let repeat = 0; repeat < options.repeats; repeat++) {
    const removed = new Set(sample(withFiles, count, random));
    const reduced: Content = { ...content, items: content.items.filter((item) => !removed.has(item.code)) };
    const trained = train(prepareTrainingData(reduced));
    const classifier = createClassifier(trained.model, options.thresholds);
    const about = (query: LabelledQuery, codes: ReadonlySet<string>, want: boolean): boolean => query.expect.type === 'item' && codes.has(query.expect.code) === want;
    const phrases = content.items
      .filter((item) => removed.has(item.code))
      .flatMap((item) => item.phrases.map((text): LabelledQuery => ({ text, expect: { type: 'item', code: item.code }, tags: [] })));
    runs.push({
      heldOutItems: [...removed].sort(),
      heldOutPhrases: figures(phrases, classifier),
      heldOutQueries: figures(queries.filter((query) => about(query, removed, true)), classifier),
      kept: figures(queries.filter((query) => about(query, removed, false)), classifier),
      trainingMillis: trained.report.millis,
    });
  }
  return runs;
}

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

function range(values: readonly number[]): string {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(values.length, 1);
  return `${pct(mean)} (${pct(Math.min(...values))}–${pct(Math.max(...values))})`;
}

export function formatHeldOutRuns(runs: readonly HeldOutRun[], share: number): string {
  const block = (name: string, pick: (run: HeldOutRun) => HeldOutFigures): string[] => [
    `${name}: ${pick(runs[0] as HeldOutRun).questions} questions in the first run`,
    `  accuracy@1      ${range(runs.map((run) => pick(run).accuracyAt1))}`,
    `  accuracy@3      ${range(runs.map((run) => pick(run).accuracyAt3))}`,
    `  decided right   ${range(runs.map((run) => pick(run).decidedRight))}`,
    `  silent errors   ${range(runs.map((run) => pick(run).silentErrors))}`,
  ];
  return [
    `${runs.length} runs, phrase files of ${pct(share)} of the items removed in each (mean, min–max over the runs)`,
    ...block('held-out items (catalog text only), the queries file\'s lines about them', (run) => run.heldOutQueries),
    ...block('held-out items (catalog text only), the phrases of their removed files', (run) => run.heldOutPhrases),
    ...block('kept items, the queries file\'s lines about them', (run) => run.kept),
    'per run: held-out queries @1 / @3 / silent; held-out phrases @1 / @3 / silent; kept @1; training time',
    ...runs.map((run, i) => {
      const three = (f: HeldOutFigures): string => `${pct(f.accuracyAt1)} / ${pct(f.accuracyAt3)} / ${pct(f.silentErrors)}`;
      return `  ${i + 1}. ${three(run.heldOutQueries)}; ${three(run.heldOutPhrases)}; ${pct(run.kept.accuracyAt1)}; ${(run.trainingMillis / 1000).toFixed(1)} s`;
    }),
  ].join('\n');
}

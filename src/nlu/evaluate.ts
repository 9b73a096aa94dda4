/**
 * Evaluation on a labelled query set (test/fixtures/dev-queries.jsonl format). Definitions:
 *  - accuracy@1 (in-scope lines): the decision's first target equals the expected one — the
 *    item/intent decided, or for `ambiguous` its first candidate; `none` counts as wrong.
 *  - accuracy@3 (in-scope lines): the expected target is among the first 3 of `top` (which holds
 *    every ambiguous candidate, since they are the best ones) — a ranking measure; rejections are
 *    measured by the false-reject rate. "accuracy@3 unless rejected" also counts `none` as wrong.
 *  - out-of-scope recall: share of expect-none lines decided `none`.
 *  - out-of-scope precision: share of `none` decisions whose line expected none.
 *  - false-reject rate: share of in-scope lines decided `none`.
 *  - accuracy per tag: share of the tag's lines decided right by the @1 rule (`none` lines: decided none).
 *  - decided right (in-scope lines): the decision is the expected item/intent itself, without
 *    asking back (an `ambiguous` decision is not decided, however right its first candidate).
 *  - silent errors (all lines): the decision is an item/intent other than the expected one — the
 *    citizen is answered about the wrong thing without being asked (an out-of-scope line decided
 *    as an item counts too).
 */
import { z } from 'zod';
import { INTENT_NAMES, targetKey, type Classification, type Classifier, type Target } from './types.js';

const expectation = z.discriminatedUnion('type', [
  z.object({ type: z.literal('item'), code: z.string().min(1) }),
  z.object({ type: z.literal('intent'), name: z.enum(INTENT_NAMES) }),
  z.object({ type: z.literal('none') }),
]);
const queryLine = z.object({ text: z.string(), expect: expectation, tags: z.array(z.string()).default([]) });
export type LabelledQuery = z.infer<typeof queryLine>;
type Expectation = z.infer<typeof expectation>;

/** Parses JSON lines; throws naming the line number of the first bad one. */
export function parseQueries(source: string, file: string): LabelledQuery[] {
  return source.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const parsed = queryLine.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid line'}`);
    return [parsed.data];
  });
}

export interface EvaluationReport {
  lines: number;
  inScope: number;
  outOfScope: number;
  accuracyAt1: number;
  accuracyAt3: number;
  accuracyAt3UnlessRejected: number;
  outOfScopeRecall: number;
  outOfScopePrecision: number;
  falseRejectRate: number;
  ambiguousRate: number;
  decidedRight: number;
  silentErrors: number;
  perTag: Record<string, { lines: number; accuracy: number }>;
  worstConfusions: Array<{ expected: string; decided: string; count: number; example: string }>;
  latencyMs: { p50: number; p99: number; max: number };
}

function keyOf(target: Expectation | Target | undefined): string {
  return target === undefined || target.type === 'none' ? 'none' : targetKey(target);
}

/** The @1 reading of a decision: its target, the first ambiguous candidate, or none. */
export function firstChoice(result: Classification): string {
  const decision = result.decision;
  if (decision.type === 'none') return 'none';
  if (decision.type === 'ambiguous') return keyOf(decision.candidates[0]);
  return keyOf(decision);
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0;
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/** Classifies every query `rounds` times after a warm-up pass, timing each call. */
function classifyTimed(classifier: Classifier, queries: readonly LabelledQuery[], rounds: number): { results: Classification[]; timings: number[] } {
  for (const query of queries) classifier.classify(query.text);
  const timings: number[] = [];
  const results: Classification[] = [];
  for (let round = 0; round < rounds; round++) {
    queries.forEach((query, i) => {
      const started = performance.now();
      results[i] = classifier.classify(query.text);
      timings.push(performance.now() - started);
    });
  }
  return { results, timings };
}

/** Classifies every query (timing each call over `rounds` passes after a warm-up) and scores. */
export function evaluate(classifier: Classifier, queries: readonly LabelledQuery[], rounds = 5): EvaluationReport {
  const { results, timings } = classifyTimed(classifier, queries, rounds);
  let inScope = 0, at1 = 0, at3 = 0, at3Kept = 0, rejected = 0, ambiguous = 0, oos = 0, oosCaught = 0, noneDecisions = 0, decidedRight = 0, silent = 0;
  const tags = new Map<string, { lines: number; right: number }>();
  const confusions = new Map<string, { count: number; example: string }>();
  queries.forEach((query, i) => {
    const result = results[i];
    if (result === undefined) return;
    const expected = keyOf(query.expect);
    const decided = firstChoice(result);
    if (result.decision.type === 'none') noneDecisions++;
    if (result.decision.type === 'ambiguous') ambiguous++;
    const outright = result.decision.type === 'item' || result.decision.type === 'intent';
    if (outright && decided !== expected) silent++;
    if (outright && decided === expected) decidedRight++;
    if (query.expect.type === 'none') {
      oos++;
      if (decided === 'none') oosCaught++;
    } else {
      inScope++;
      if (decided === expected) at1++;
      const inTop3 = result.top.slice(0, 3).some((candidate) => keyOf(candidate) === expected);
      if (inTop3) at3++;
      if (decided === 'none') rejected++;
      else if (inTop3) at3Kept++;
    }
    for (const tag of query.tags) {
      const entry = tags.get(tag) ?? { lines: 0, right: 0 };
      entry.lines++;
      if (decided === expected) entry.right++;
      tags.set(tag, entry);
    }
    if (decided !== expected) {
      const key = `${expected}\t${decided}`;
      const entry = confusions.get(key) ?? { count: 0, example: query.text };
      entry.count++;
      confusions.set(key, entry);
    }
  });
  const sorted = [...timings].sort((a, b) => a - b);
  const worstConfusions = [...confusions]
    .map(([key, { count, example }]) => {
      const [expected = '', decided = ''] = key.split('\t');
      return { expected, decided, count, example };
    })
    .sort((a, b) => b.count - a.count)
    .slice(0, 10);
  return {
    lines: queries.length,
    inScope,
    outOfScope: oos,
    accuracyAt1: share(at1, inScope),
    accuracyAt3: share(at3, inScope),
    accuracyAt3UnlessRejected: share(at3Kept, inScope),
    outOfScopeRecall: share(oosCaught, oos),
    outOfScopePrecision: share(oosCaught, noneDecisions),
    falseRejectRate: share(rejected, inScope),
    ambiguousRate: share(ambiguous, queries.length),
    decidedRight: share(decidedRight, inScope),
    silentErrors: share(silent, queries.length),
    perTag: Object.fromEntries([...tags].sort().map(([tag, { lines, right }]) => [tag, { lines, accuracy: share(right, lines) }])),
    worstConfusions,
    latencyMs: { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? 0 },
  };
}

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

export function formatReport(report: EvaluationReport): string {
  const lines = [
    `lines ${report.lines} (in-scope ${report.inScope}, out-of-scope ${report.outOfScope})`,
    `accuracy@1 (in-scope)        ${pct(report.accuracyAt1)}`,
    `accuracy@3 (in-scope)        ${pct(report.accuracyAt3)}`,
    `accuracy@3 unless rejected   ${pct(report.accuracyAt3UnlessRejected)}`,
    `out-of-scope recall          ${pct(report.outOfScopeRecall)}`,
    `out-of-scope precision       ${pct(report.outOfScopePrecision)}`,
    `in-scope false-reject rate   ${pct(report.falseRejectRate)}`,
    `ambiguous decisions          ${pct(report.ambiguousRate)}`,
    `decided right (in-scope)     ${pct(report.decidedRight)}`,
    `silent errors (all lines)    ${pct(report.silentErrors)}`,
    `latency p50 ${report.latencyMs.p50.toFixed(3)} ms, p99 ${report.latencyMs.p99.toFixed(3)} ms, max ${report.latencyMs.max.toFixed(3)} ms`,
    'accuracy per tag:',
    ...Object.entries(report.perTag).map(([tag, { lines, accuracy }]) => `  ${tag.padEnd(12)} ${pct(accuracy).padStart(7)}  (${lines} lines)`),
    'worst confusions (expected → decided, count, example):',
    ...report.worstConfusions.map((c) => `  ${c.expected} → ${c.decided}  ×${c.count}  「${c.example}」`),
  ];
  return lines.join('\n');
}

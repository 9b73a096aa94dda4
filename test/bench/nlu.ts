/**
 * `npm run bench:nlu`: the classifier beside a baseline measured in the same run, and a scaling
 * run at 1,000 items.
 *  1. ours on intents/ → figures on test/fixtures/dev-queries.jsonl, training time
 *  2. baseline: natural's BayesClassifier on raw character unigrams, no normalisation, the
 *     out-of-scope phrases as one more class, top class decides (no thresholds)
 *  3. 1,000 synthetic items made by augmenting the catalog items (a qualifier put in front of
 *     names, aliases and phrases): training time, classify latency p50/p99, memory.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resolve } from 'node:path';
import { BayesClassifier } from 'natural/lib/natural/classifiers/index.js';
import { createClassifier, resolveThresholds } from '../../src/nlu/classifier.js';
import { loadContent, type Content, type ItemContent } from '../../src/nlu/content/load.js';
import { evaluate, formatReport, parseQueries, type EvaluationReport, type LabelledQuery } from '../../src/nlu/evaluate.js';
import { IntentModel } from '../../src/nlu/model/intentModel.js';
import { train } from '../../src/nlu/model/train.js';
import { prepareTrainingData } from '../../src/nlu/model/trainingData.js';
import { TOP_SIZE } from '../../src/nlu/decide.js';
import type { Classifier, ScoredTarget, Target } from '../../src/nlu/types.js';

const NONE = 'none';

/** A collector to measure live memory rather than garbage not yet collected. */
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

function baselineClassifier(content: Content): { classifier: Classifier; millis: number } {
  const started = performance.now();
  const bayes = new BayesClassifier();
  const chars = (text: string): string[] => Array.from(text);
  for (const item of content.items) for (const phrase of item.phrases) bayes.addDocument(chars(phrase), `item:${item.code}`);
  for (const intent of content.intents) for (const phrase of intent.phrases) bayes.addDocument(chars(phrase), `intent:${intent.name}`);
  for (const phrase of content.outOfScope) bayes.addDocument(chars(phrase), NONE);
  bayes.train();
  const millis = performance.now() - started;
  const toTarget = (label: string): Target | undefined => {
    const [type, value = ''] = label.split(':');
    if (type === 'item') return { type: 'item', code: value };
    if (type === 'intent') return { type: 'intent', name: value as Extract<Target, { type: 'intent' }>['name'] };
    return undefined;
  };
  const classifier: Classifier = {
    thresholds: resolveThresholds(),
    classify(text) {
      const classifications = bayes.getClassifications(chars(text));
      const total = classifications.reduce((sum, c) => sum + c.value, 0) || 1;
      const top: ScoredTarget[] = classifications
        .flatMap((c) => {
          const target = toTarget(c.label);
          return target === undefined ? [] : [{ ...target, score: c.value / total }];
        })
        .slice(0, TOP_SIZE);
      const best = classifications[0]?.label ?? NONE;
      const decided = toTarget(best);
      return { decision: decided ?? { type: 'none' }, top };
    },
  };
  return { classifier, millis };
}

/** 1,000 items: each catalog item again with a qualifier in front of its names and phrases. */
function syntheticContent(content: Content, target: number): Content {
  const qualifiers = ['企业', '个人', '港澳居民', '外籍人员', '退役军人', '残疾人', '老年人', '学生', '农民工', '新市民', '个体户'];
  const catalog = [...content.catalog];
  const items: ItemContent[] = [...content.items];
  for (let round = 0; catalog.length < target; round++) {
    const qualifier = qualifiers[round % qualifiers.length] ?? '';
    for (const item of content.items) {
      if (catalog.length >= target) break;
      const base = content.catalog.find((entry) => entry.code === item.code);
      if (base === undefined) continue;
      const code = `${item.code}-x${round}`;
      const prefix = (text: string): string => `${qualifier}${text}`;
      catalog.push({ ...base, code, name: prefix(base.name), aliases: base.aliases.map(prefix) });
      items.push({ code, name: prefix(item.name), aliases: item.aliases.map(prefix), phrases: item.phrases.map(prefix) });
    }
  }
  return { ...content, catalog, items };
}

function latency(classifier: Classifier, texts: readonly string[]): { p50: number; p99: number } {
  for (const text of texts) classifier.classify(text);
  const timings: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const text of texts) {
      const started = performance.now();
      classifier.classify(text);
      timings.push(performance.now() - started);
    }
  }
  timings.sort((a, b) => a - b);
  return { p50: timings[Math.floor(timings.length * 0.5)] ?? 0, p99: timings[Math.floor(timings.length * 0.99)] ?? 0 };
}

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

function row(name: string, ours: string, baseline: string): string {
  return `${name.padEnd(30)} ${ours.padStart(12)} ${baseline.padStart(12)}`;
}

function comparison(ours: EvaluationReport, baseline: EvaluationReport, trainMs: number, baselineMs: number): string {
  return [
    row('', 'ours', 'baseline'),
    row('accuracy@1 (in-scope)', pct(ours.accuracyAt1), pct(baseline.accuracyAt1)),
    row('accuracy@3 (in-scope)', pct(ours.accuracyAt3), pct(baseline.accuracyAt3)),
    row('out-of-scope recall', pct(ours.outOfScopeRecall), pct(baseline.outOfScopeRecall)),
    row('out-of-scope precision', pct(ours.outOfScopePrecision), pct(baseline.outOfScopePrecision)),
    row('in-scope false-reject rate', pct(ours.falseRejectRate), pct(baseline.falseRejectRate)),
    row('latency p50', `${ours.latencyMs.p50.toFixed(3)} ms`, `${baseline.latencyMs.p50.toFixed(3)} ms`),
    row('latency p99', `${ours.latencyMs.p99.toFixed(3)} ms`, `${baseline.latencyMs.p99.toFixed(3)} ms`),
    row('training', `${(trainMs / 1000).toFixed(2)} s`, `${(baselineMs / 1000).toFixed(2)} s`),
  ].join('\n');
}

async function main(): Promise<void> {
  const content = await loadContent(resolve('intents'));
  const queries: LabelledQuery[] = parseQueries(await readFile(resolve('test/fixtures/dev-queries.jsonl'), 'utf8'), 'dev-queries.jsonl');

  const trained = train(prepareTrainingData(content));
  collectGarbage();
  const ours = evaluate(createClassifier(trained.model, resolveThresholds()), queries);
  const baseline = baselineClassifier(content);
  collectGarbage();
  const baselineReport = evaluate(baseline.classifier, queries);
  console.log(`dev set (${queries.length} lines), ${content.catalog.length} items\n${comparison(ours, baselineReport, trained.report.millis, baseline.millis)}`);
  console.log(`\nours in detail:\n${formatReport(ours)}`);

  // The scaling run gets its own process with V8's heap capped, so that its memory figures are
  // those of a service holding the 1,000-item model, not the leftovers of the run above.
  const child = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', 'tsx', fileURLToPath(import.meta.url), '--scaling'], {
    stdio: 'inherit',
  });
  if (child.status !== 0) throw new Error(`scaling run failed with status ${String(child.status)}`);
}

const HEAP_LIMIT_MB = 192;

async function scaling(): Promise<void> {
  const content = await loadContent(resolve('intents'));
  const queries = parseQueries(await readFile(resolve('test/fixtures/dev-queries.jsonl'), 'utf8'), 'dev-queries.jsonl');
  const large = syntheticContent(content, 1000);
  collectGarbage();
  const heapBefore = process.memoryUsage().heapUsed;
  const largeData = prepareTrainingData(large);
  const largeTrained = train(largeData);
  const classifier = createClassifier(largeTrained.model, resolveThresholds());
  const phrases = large.items.slice(-200).flatMap((item) => item.phrases.slice(0, 2));
  collectGarbage();
  const timing = latency(classifier, [...queries.map((q) => q.text), ...phrases]);
  collectGarbage();
  const memory = process.memoryUsage();
  const peakRss = process.resourceUsage().maxRSS * 1024;
  const restartStarted = performance.now();
  const restarted = new IntentModel(prepareTrainingData(large), largeTrained.model.parameters);
  const restartMillis = performance.now() - restartStarted;
  console.log(
    [
      `\nscaling (separate process, V8 heap limit ${HEAP_LIMIT_MB} MB): ${large.catalog.length} items, ${largeData.documents.length} documents, ${largeData.labels.length} labels`,
      `  training (cross-validation + fit + final index)  ${(largeTrained.report.millis / 1000).toFixed(2)} s   (target <= 15 s)`,
      `  start from cached parameters (tokenize + index)   ${(restartMillis / 1000).toFixed(2)} s  (${restarted.labels.length} labels)`,
      `  classify latency p50 ${timing.p50.toFixed(3)} ms, p99 ${timing.p99.toFixed(3)} ms   (target p99 <= 5 ms)`,
      `  memory after GC: heap used ${mb(memory.heapUsed)} (of which the 1,000-item model and its content ${mb(memory.heapUsed - heapBefore)}), rss ${mb(memory.rss)}; peak rss during the run ${mb(peakRss)}   (target <= 300 MB)`,
    ].join('\n'),
  );
}

await (process.argv.includes('--scaling') ? scaling() : main());

/**
 * `npm run bench:nlu`: the classifier beside a baseline measured in the same run, and a scaling
 * run at 1,000 items.
 *  1. ours on intents/ → figures on test/fixtures/dev-queries.jsonl, training time
 *  2. baseline: natural's BayesClassifier on raw character unigrams, no normalisation, the
 *     out-of-scope phrases as one more class, top class decides (no thresholds)
 *  3. scaling: the real catalog (the baseline), then 530 and 2,000 items — the real ones plus
 *     generated ones without phrase files (test/support/catalog) — each trained in one process and
 *     started from its cache in a fresh one: training time, start time, classify p50/p99, memory.
 */
import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join, resolve } from 'node:path';
import { BayesClassifier } from 'natural/lib/natural/classifiers/index.js';
import { parseCatalog } from '../../src/catalog/catalog.js';
import { createClassifier, resolveThresholds } from '../../src/nlu/classifier.js';
import { loadContent, type Content } from '../../src/nlu/content/load.js';
import { evaluate, formatReport, parseQueries, type EvaluationReport, type LabelledQuery } from '../../src/nlu/evaluate.js';
import { train } from '../../src/nlu/model/train.js';
import { prepareTrainingData } from '../../src/nlu/model/trainingData.js';
import { TOP_SIZE } from '../../src/nlu/decide.js';
import type { Classifier, ScoredTarget, Target } from '../../src/nlu/types.js';
import { generateCatalog } from '../support/catalog/generate.js';

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
  console.log(`load average (1, 5, 15 min) at the start: ${loadavg().map((v) => v.toFixed(2)).join(', ')} on a machine with ${availableParallelism()} cores`);
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

  // Each scaling run gets its own processes with V8's heap capped, so that its memory figures are
  // those of a service holding that model, not the leftovers of the run above: one process trains
  // (and writes the cache), a fresh one starts from the cache as a restarted bot does.
  const rows: ScalingFigures[] = [];
  for (const items of SCALING_SIZES) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-nlu-'));
    try {
      await writeGeneratedIntents(dir, items);
      rows.push({ ...runChild(['--train', dir]), ...runChild(['--start', dir]) } as ScalingFigures);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  console.log(formatScaling(rows));
  console.log(`load average (1, 5, 15 min) at the end: ${loadavg().map((v) => v.toFixed(2)).join(', ')} on a machine with ${availableParallelism()} cores`);
}

/** Today's catalog (the baseline), a district's 530 items and a city's 2,000, generated past the real ones. */
const SCALING_SIZES = [92, 530, 2000];
const HEAP_LIMIT_MB = 192;
/** The heap cap of the old bench; the bot's own V8 flags are the defaults (training takes a thread of its own). */
const SERVICE_FLAGS = [`--max-old-space-size=${HEAP_LIMIT_MB}`];
const TARGETS = { trainingSeconds: 30, startSeconds: 3, p99Ms: 2, peakRssMb: 250 };

interface ScalingFigures {
  items: number;
  documents: number;
  trainingMs: number;
  trainingCpuMs: number;
  trainPeakRss: number;
  startMs: number;
  startCpuMs: number;
  p50: number;
  p99: number;
  cpuP99: number;
  rss: number;
  startPeakRss: number;
}

async function writeGeneratedIntents(dir: string, items: number): Promise<void> {
  const intents = join(dir, 'intents');
  await cp(resolve('intents'), intents, { recursive: true });
  const catalogPath = join(intents, 'catalog', 'services.json');
  const catalog = parseCatalog(await readFile(catalogPath, 'utf8')).data;
  const generated = generateCatalog({ count: Math.max(0, items - catalog.items.length), halls: catalog.halls });
  await writeFile(catalogPath, JSON.stringify({ ...catalog, items: [...catalog.items, ...generated.map((g) => g.item)] }));
  const questions = generated.flatMap((g) => g.questions.slice(0, 1));
  await writeFile(join(dir, 'questions.json'), JSON.stringify(questions));
}

function runChild(args: string[]): Partial<ScalingFigures> {
  const child = spawnSync(process.execPath, [...SERVICE_FLAGS, '--import', 'tsx', fileURLToPath(new URL('./nluScaling.ts', import.meta.url)), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`scaling run ${args.join(' ')} failed with status ${String(child.status)}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}') as Partial<ScalingFigures>;
}

function formatScaling(rows: readonly ScalingFigures[]): string {
  const seconds = (wall: number, cpu: number): string => `${(wall / 1000).toFixed(1)} s (${(cpu / 1000).toFixed(1)})`;
  const header = `${'items'.padStart(6)}${'documents'.padStart(11)}${'training'.padStart(16)}${'peak rss'.padStart(10)}${'start'.padStart(15)}${'p50'.padStart(8)}${'p99'.padStart(8)}${'cpu p99'.padStart(9)}${'rss'.padStart(8)}${'peak rss'.padStart(10)}`;
  const line = (r: ScalingFigures): string =>
    `${String(r.items).padStart(6)}${String(r.documents).padStart(11)}${seconds(r.trainingMs, r.trainingCpuMs).padStart(16)}${mb(r.trainPeakRss).padStart(10)}` +
    `${seconds(r.startMs, r.startCpuMs).padStart(15)}${r.p50.toFixed(3).padStart(8)}${r.p99.toFixed(3).padStart(8)}${r.cpuP99.toFixed(3).padStart(9)}${mb(r.rss).padStart(8)}${mb(r.startPeakRss).padStart(10)}`;
  return [
    `\nscaling: the real catalog, then generated items without phrase files (separate processes, node ${SERVICE_FLAGS.join(' ')})`,
    `times: wall clock (CPU time of the process); classify latency in ms, wall clock and the p99 of CPU time per call; the first row, today's catalog, is the baseline`,
    `${''.padStart(17)}${'— training process —'.padStart(26)}${'— start from cache, then classify —'.padStart(49)}`,
    header,
    ...rows.map(line),
    `targets at 2,000 items: training <= ${TARGETS.trainingSeconds} s, start from cache <= ${TARGETS.startSeconds} s, classify p99 <= ${TARGETS.p99Ms} ms, peak rss <= ${TARGETS.peakRssMb} MB`,
  ].join('\n');
}

await main();

/**
 * The processes of `npm run bench:nlu`'s scaling runs (test/bench/nlu.ts), apart so that they load
 * only what a bot loads for understanding:
 *   --train DIR   trains on DIR/intents and writes DIR/cache, as the first start after an edit
 *   --start DIR   starts from DIR/cache, as a restarted bot, then times classify
 * Each prints one JSON line of figures. Times are wall-clock and, beside them, this process's CPU
 * time, which other work on a shared machine disturbs less.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadNlu } from '../../src/nlu/classifier.js';
import { loadContent } from '../../src/nlu/content/load.js';
import { parseQueries } from '../../src/nlu/evaluate.js';
import { prepareTrainingData } from '../../src/nlu/model/trainingData.js';
import type { Classifier } from '../../src/nlu/types.js';

setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

const cpuMs = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};

/**
 * Wall-clock p50/p99 of classify, and the p99 of the process's CPU time per call: on a shared
 * machine a call preempted by other work takes long on the wall clock without costing more.
 */
function latency(classifier: Classifier, texts: readonly string[]): { p50: number; p99: number; cpuP99: number } {
  for (const text of texts) classifier.classify(text);
  const timings: number[] = [];
  const cpuTimings: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (const text of texts) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      classifier.classify(text);
      timings.push(performance.now() - started);
      cpuTimings.push(cpuMs(cpu));
    }
  }
  const p = (values: number[], share: number): number => values.sort((a, b) => a - b)[Math.floor(values.length * share)] ?? 0;
  return { p50: p(timings, 0.5), p99: p(timings, 0.99), cpuP99: p(cpuTimings, 0.99) };
}


const peakRss = (): number => process.resourceUsage().maxRSS * 1024;

/** Trains on the directory's intents/ and writes the cache, as the first start after an edit does. */
async function trainRun(dir: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  await loadNlu({ intentsDir: join(dir, 'intents'), cacheDir: join(dir, 'cache') });
  const trainingMs = performance.now() - started;
  const trainingCpuMs = cpuMs(cpu);
  // Read before counting the documents below: counting tokenizes every document again while the
  // model is held, which a bot never does, and it used to add 25–40 MB to this figure.
  const trainPeakRss = peakRss();
  const content = await loadContent(join(dir, 'intents'));
  const documents = prepareTrainingData(content).documents.length;
  console.log(JSON.stringify({ items: content.catalog.length, documents, trainingMs, trainingCpuMs, trainPeakRss }));
}

/** Starts from the cache in a fresh process, as a restarted bot does, then times classify. */
async function startRun(dir: string): Promise<void> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const nlu = await loadNlu({ intentsDir: join(dir, 'intents'), cacheDir: join(dir, 'cache') });
  const startMs = performance.now() - started;
  const startCpuMs = cpuMs(cpu);
  const queries = parseQueries(await readFile(resolve('test/fixtures/dev-queries.jsonl'), 'utf8'), 'dev-queries.jsonl');
  const generated = JSON.parse(await readFile(join(dir, 'questions.json'), 'utf8')) as string[];
  collectGarbage();
  const timing = latency(nlu.classifier, [...queries.map((q) => q.text), ...generated.slice(0, 400)]);
  collectGarbage();
  console.log(JSON.stringify({ startMs, startCpuMs, p50: timing.p50, p99: timing.p99, cpuP99: timing.cpuP99, rss: process.memoryUsage().rss, startPeakRss: peakRss() }));
}

const dir = process.argv[process.argv.length - 1] ?? '';
await (process.argv.includes('--train') ? trainRun(dir) : startRun(dir));

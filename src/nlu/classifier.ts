/**
 * The entry point the conversation layer uses:
 *   const classifier = await loadClassifier({ intentsDir, cacheDir, thresholds, log });
 *   classifier.classify('我想办个居住证')  // sync, well under a millisecond
 */
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { loadContent } from './content/load.js';
import { decide, DEFAULT_THRESHOLDS, TOP_SIZE } from './decide.js';
import { DEFAULT_KIND_WEIGHTS } from './model/featureSpace.js';
import { IntentModel } from './model/intentModel.js';
import { train, type TrainingReport } from './model/train.js';
import { prepareTrainingData } from './model/trainingData.js';
import { contentHash, readCachedModel, writeCachedModel } from './modelCache.js';
import type { Classification, Classifier, IntentName, Thresholds } from './types.js';
import { AspectDetector } from './aspects.js';
import { TextUnderstanding } from './understand.js';
import type { TrainThreadInput } from './trainThread.js';
import { startModuleWorker } from '../util/worker.js';

export interface LoadClassifierOptions {
  intentsDir: string;
  /** Where fitted parameters are cached; omit to always train. */
  cacheDir?: string;
  /** Any threshold left out takes its documented default. */
  thresholds?: Partial<Thresholds>;
  log?: Logger;
}

/** Ranks this many labels before dropping the out-of-scope one, so TOP_SIZE targets remain. */
const RANKED = TOP_SIZE + 1;

export function createClassifier(model: IntentModel, thresholds: Thresholds): Classifier {
  return {
    thresholds,
    classify(text: string): Classification {
      return decide(model.rank(text, RANKED), thresholds);
    },
  };
}

/** Thresholds from configuration, falling back to the defaults for unset values. */
export function resolveThresholds(partial: Partial<Thresholds> = {}): Thresholds {
  return {
    accept: partial.accept ?? DEFAULT_THRESHOLDS.accept,
    ambiguousMargin: partial.ambiguousMargin ?? DEFAULT_THRESHOLDS.ambiguousMargin,
    reject: partial.reject ?? DEFAULT_THRESHOLDS.reject,
    lead: partial.lead ?? DEFAULT_THRESHOLDS.lead,
  };
}

/** The thresholds the NLU_* variables set (unset ones stay undefined, for resolveThresholds). */
export function configuredThresholds(
  config: Pick<Config, 'NLU_ACCEPT_THRESHOLD' | 'NLU_AMBIGUOUS_MARGIN' | 'NLU_REJECT_THRESHOLD' | 'NLU_LEAD_THRESHOLD'>,
): Partial<Thresholds> {
  const { NLU_ACCEPT_THRESHOLD: accept, NLU_AMBIGUOUS_MARGIN: ambiguousMargin, NLU_REJECT_THRESHOLD: reject, NLU_LEAD_THRESHOLD: lead } = config;
  return { accept, ambiguousMargin, reject, lead };
}

/** Loads and validates intents/, reuses cached parameters when the content is unchanged, else trains. */
export async function loadClassifier(options: LoadClassifierOptions): Promise<Classifier> {
  return (await loadNlu(options)).classifier;
}

/** Everything understanding needs, from one read of intents/. */
export interface Nlu {
  classifier: Classifier;
  understanding: TextUnderstanding;
  aspects: AspectDetector;
  /** Button labels of the conversational intents (intents/conversational/*.yaml `label`). */
  intentLabels: ReadonlyMap<IntentName, string>;
}

/**
 * V8 young generation of the training thread. Training makes millions of short-lived strings and
 * arrays; with V8's default young generation the process's peak memory while training 2,000
 * catalog items is about 50 MB higher (npm run bench:nlu). The serving thread keeps the default,
 * which costs less CPU per turn than a small one.
 */
const TRAINING_YOUNG_GENERATION_MB = 6;

/** Trains in a thread of its own, which writes the model to the cache for this thread to read. */
function trainToCache(input: TrainThreadInput): Promise<TrainingReport> {
  const worker = startModuleWorker(import.meta.url, './trainThread', { workerData: input, resourceLimits: { maxYoungGenerationSizeMb: TRAINING_YOUNG_GENERATION_MB } });
  return new Promise((resolve, reject) => {
    let report: TrainingReport | undefined;
    worker.once('message', (message: TrainingReport) => (report = message));
    worker.once('error', reject);
    worker.once('exit', (code) => (report ? resolve(report) : reject(new Error(`the training thread ended with code ${code} and no model`))));
  });
}

export async function loadNlu(options: LoadClassifierOptions): Promise<Nlu> {
  const started = performance.now();
  const { cacheDir, log } = options;
  const hash = cacheDir === undefined ? undefined : await contentHash(options.intentsDir);
  let cached = cacheDir === undefined || hash === undefined ? undefined : await readCachedModel(cacheDir, hash);
  if (cached === undefined && cacheDir !== undefined && hash !== undefined) {
    try {
      const report = await trainToCache({ intentsDir: options.intentsDir, cacheDir, hash });
      log?.info({ heldOut: report.heldOut, loss: report.loss, millis: Math.round(report.millis) }, 'nlu model trained');
      cached = await readCachedModel(cacheDir, hash);
    } catch (error) {
      // Broken content is reported by the read below, with file and line; anything else trains here.
      log?.warn({ err: error }, 'nlu training thread failed');
    }
  }
  // Read after training, so that this thread holds none of it while the training thread peaks.
  const content = await loadContent(options.intentsDir);
  const data = prepareTrainingData(content, cached?.documents);
  let model: IntentModel;
  if (cached !== undefined) {
    model = new IntentModel(data, cached.parameters);
  } else {
    const trained = train(data, DEFAULT_KIND_WEIGHTS);
    model = trained.model;
    log?.info({ heldOut: trained.report.heldOut, loss: trained.report.loss, millis: Math.round(trained.report.millis) }, 'nlu model trained');
    if (cacheDir !== undefined && hash !== undefined) await writeCachedModel(cacheDir, hash, model.parameters, data);
  }
  log?.info({ labels: data.labels.length, documents: data.documents.length, millis: Math.round(performance.now() - started) }, 'nlu classifier ready');
  const classifier = createClassifier(model, resolveThresholds(options.thresholds));
  const itemNames = content.catalog.flatMap((item) => [item.name, ...item.aliases]);
  const aspects = new AspectDetector(content.aspects, itemNames, data.normalize);
  const intentLabels = new Map(content.intents.flatMap((intent) => (intent.label === undefined ? [] : [[intent.name, intent.label] as const])));
  return { classifier, aspects, understanding: new TextUnderstanding(classifier, aspects, data.normalize), intentLabels };
}

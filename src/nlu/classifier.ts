/**
 * The entry point the conversation layer uses:
 *   const classifier = await loadClassifier({ intentsDir, cacheDir, thresholds, log });
 *   classifier.classify('我想办个居住证')  // sync, well under a millisecond
 */
import type { Logger } from '../log.js';
import { loadContent } from './content/load.js';
import { decide, DEFAULT_THRESHOLDS, TOP_SIZE } from './decide.js';
import { DEFAULT_KIND_WEIGHTS } from './model/featureSpace.js';
import { IntentModel } from './model/intentModel.js';
import { train } from './model/train.js';
import { prepareTrainingData } from './model/trainingData.js';
import { contentHash, readCachedModel, writeCachedModel } from './modelCache.js';
import type { Classification, Classifier, IntentName, Thresholds } from './types.js';
import { AspectDetector } from './aspects.js';
import { TextUnderstanding } from './understand.js';

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
  };
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

export async function loadNlu(options: LoadClassifierOptions): Promise<Nlu> {
  const started = performance.now();
  const content = await loadContent(options.intentsDir);
  const hash = options.cacheDir === undefined ? undefined : await contentHash(options.intentsDir);
  const cached = options.cacheDir === undefined || hash === undefined ? undefined : await readCachedModel(options.cacheDir, hash);
  const data = prepareTrainingData(content, cached?.documents);
  let model: IntentModel;
  if (cached !== undefined) {
    model = new IntentModel(data, cached.parameters);
  } else {
    const trained = train(data, DEFAULT_KIND_WEIGHTS);
    model = trained.model;
    options.log?.info({ heldOut: trained.report.heldOut, loss: trained.report.loss, millis: Math.round(trained.report.millis) }, 'nlu model trained');
    if (options.cacheDir !== undefined && hash !== undefined) await writeCachedModel(options.cacheDir, hash, model.parameters, data);
  }
  options.log?.info({ labels: data.labels.length, documents: data.documents.length, cached: cached !== undefined, millis: Math.round(performance.now() - started) }, 'nlu classifier ready');
  const classifier = createClassifier(model, resolveThresholds(options.thresholds));
  const itemNames = content.catalog.flatMap((item) => [item.name, ...item.aliases]);
  const aspects = new AspectDetector(content.aspects, itemNames, data.normalize);
  const intentLabels = new Map(content.intents.flatMap((intent) => (intent.label === undefined ? [] : [[intent.name, intent.label] as const])));
  return { classifier, aspects, understanding: new TextUnderstanding(classifier, aspects, data.normalize), intentLabels };
}

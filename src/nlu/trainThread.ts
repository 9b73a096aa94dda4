/**
 * The training thread (see trainToCache in classifier.ts): reads intents/, trains the model and
 * writes it to the cache, then posts the training report. The thread that started it reads the
 * model back from the cache.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadContent } from './content/load.js';
import { DEFAULT_KIND_WEIGHTS } from './model/featureSpace.js';
import { train } from './model/train.js';
import { prepareTrainingData } from './model/trainingData.js';
import { writeCachedModel } from './modelCache.js';

export interface TrainThreadInput {
  intentsDir: string;
  cacheDir: string;
  hash: string;
}

const { intentsDir, cacheDir, hash } = workerData as TrainThreadInput;
const data = prepareTrainingData(await loadContent(intentsDir));
const { model, report } = train(data, DEFAULT_KIND_WEIGHTS);
await writeCachedModel(cacheDir, hash, model.parameters, data);
parentPort?.postMessage(report);

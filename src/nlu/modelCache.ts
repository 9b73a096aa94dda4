/**
 * The fitted parameters (combiner weights and the logistic regression's weights) are cached under
 * `<cacheDir>/<hash>.json`, where the hash covers every file under intents/ the classifier learns
 * from (all but aspects/) and MODEL_VERSION, so a changed phrase (or changed code) retrains and an
 * unchanged start skips all optimisation. The indexes are rebuilt from content at start:
 * tokenization plus counting.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { SIGNAL_COUNT } from './model/evidence.js';
import type { ModelParameters } from './model/intentModel.js';

/** Bump when features, signals or training change so that old caches are not reused. */
export const MODEL_VERSION = 'nlu-8';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Content the classifier does not learn from: editing it must not retrain. */
const NOT_TRAINED = /^aspects[\\/]/;

export async function contentHash(intentsDir: string): Promise<string> {
  const hash = createHash('sha256').update(MODEL_VERSION);
  for (const path of await filesUnder(intentsDir)) {
    if (NOT_TRAINED.test(relative(intentsDir, path))) continue;
    hash.update(`\0${relative(intentsDir, path)}\0`);
    hash.update(await readFile(path));
  }
  return hash.digest('hex').slice(0, 32);
}

const cachedModel = z.object({
  version: z.literal(MODEL_VERSION),
  parameters: z.object({
    weights: z.array(z.number()).length(SIGNAL_COUNT),
    kindWeights: z.object({ w: z.number(), c1: z.number(), c2: z.number(), c3: z.number() }),
    /** Float32 little-endian bytes, base64. */
    logistic: z.string(),
  }),
});

/** The cached parameters for `hash`, or undefined when absent or unreadable. */
export async function readCachedParameters(cacheDir: string, hash: string): Promise<ModelParameters | undefined> {
  try {
    const parsed = cachedModel.safeParse(JSON.parse(await readFile(join(cacheDir, `${hash}.json`), 'utf8')));
    if (!parsed.success) return undefined;
    const { logistic, ...rest } = parsed.data.parameters;
    const bytes = Buffer.from(logistic, 'base64');
    const weights = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4)).slice();
    return { ...rest, logistic: weights };
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file + rename) so concurrent starts never read half a file. */
export async function writeCachedParameters(cacheDir: string, hash: string, parameters: Required<ModelParameters>): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, `${hash}.json`);
  const temporary = `${path}.${process.pid}.tmp`;
  const logistic = Buffer.from(parameters.logistic.buffer, parameters.logistic.byteOffset, parameters.logistic.byteLength).toString('base64');
  await writeFile(temporary, JSON.stringify({ version: MODEL_VERSION, parameters: { ...parameters, logistic } }));
  await rename(temporary, path);
}

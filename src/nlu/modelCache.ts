/**
 * The fitted parameters (combiner weights and the logistic regression's weights) and the
 * tokenized documents are cached under `<cacheDir>/<hash>.json`, where the hash covers every file
 * under intents/ the classifier learns from (all but aspects/ and appointments/) and
 * MODEL_VERSION, so a changed phrase (or changed code) retrains and an unchanged start skips all
 * optimisation and all tokenization: the indexes are rebuilt from the cached token ids, which is
 * counting.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { DOCUMENT_SOURCES, SIGNAL_COUNT } from './model/evidence.js';
import type { ModelParameters } from './model/intentModel.js';
import type { LabelledDocument, TokenizedDocuments } from './model/trainingData.js';
import { Vocabulary } from './model/vocabulary.js';

/** Bump when features, signals or training change so that old caches are not reused. */
export const MODEL_VERSION = 'nlu-12';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Content the classifier does not learn from (aspect cues, hall capacity, policies, the directory's values): editing it must not retrain. */
const NOT_TRAINED = /^(aspects[\\/]|appointments[\\/]|policies[\\/]|enterprises\.yaml$)/;

export async function contentHash(intentsDir: string): Promise<string> {
  const hash = createHash('sha256').update(MODEL_VERSION);
  for (const path of await filesUnder(intentsDir)) {
    if (NOT_TRAINED.test(relative(intentsDir, path))) continue;
    hash.update(`\0${relative(intentsDir, path)}\0`);
    hash.update(await readFile(path));
  }
  return hash.digest('hex').slice(0, 32);
}

const base64 = z.string();
const cachedModel = z.object({
  version: z.literal(MODEL_VERSION),
  parameters: z.object({
    weights: z.array(z.number()).length(SIGNAL_COUNT),
    kindWeights: z.object({ w: z.number(), c1: z.number(), c2: z.number(), c3: z.number() }),
    /** Float32 little-endian bytes, base64. */
    logistic: base64,
  }),
  /** The tokenized documents: a start from the cache does not tokenize them again. */
  documents: z.object({
    tokens: z.array(z.string()),
    /** Int32 per document; Uint8 index into DOCUMENT_SOURCES; Int32 offsets (documents + 1) into Int32 ids. */
    labels: base64,
    sources: base64,
    offsets: base64,
    ids: base64,
  }),
});

export interface CachedModel {
  parameters: ModelParameters;
  documents: TokenizedDocuments;
}

function toBase64(array: Float32Array | Int32Array | Uint8Array): string {
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function int32s(text: string): Int32Array {
  const bytes = Buffer.from(text, 'base64');
  return new Int32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function restoreDocuments(cached: z.infer<typeof cachedModel>['documents']): TokenizedDocuments {
  const labels = int32s(cached.labels);
  const offsets = int32s(cached.offsets);
  const ids = int32s(cached.ids);
  const sources = Buffer.from(cached.sources, 'base64');
  const documents = Array.from(labels, (label, doc): LabelledDocument => {
    const source = DOCUMENT_SOURCES[sources[doc] ?? 0] ?? 'phrase';
    return { label, source, phrase: source === 'phrase', text: '', tokens: Array.from(ids.subarray(offsets[doc] ?? 0, offsets[doc + 1] ?? 0)) };
  });
  return { vocabulary: Vocabulary.fromTokens(cached.tokens), documents };
}

/** The cached parameters and documents for `hash`, or undefined when absent or unreadable. */
export async function readCachedModel(cacheDir: string, hash: string): Promise<CachedModel | undefined> {
  try {
    const parsed = cachedModel.safeParse(JSON.parse(await readFile(join(cacheDir, `${hash}.json`), 'utf8')));
    if (!parsed.success) return undefined;
    const { logistic, ...rest } = parsed.data.parameters;
    const bytes = Buffer.from(logistic, 'base64');
    const weights = new Float32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4)).slice();
    return { parameters: { ...rest, logistic: weights }, documents: restoreDocuments(parsed.data.documents) };
  } catch {
    return undefined;
  }
}

function documentsForCache(data: TokenizedDocuments): z.infer<typeof cachedModel>['documents'] {
  const offsets = new Int32Array(data.documents.length + 1);
  data.documents.forEach((doc, i) => (offsets[i + 1] = (offsets[i] ?? 0) + doc.tokens.length));
  const ids = new Int32Array(offsets[data.documents.length] ?? 0);
  data.documents.forEach((doc, i) => ids.set(doc.tokens, offsets[i] ?? 0));
  return {
    tokens: data.vocabulary.tokens,
    labels: toBase64(Int32Array.from(data.documents, (doc) => doc.label)),
    sources: toBase64(Uint8Array.from(data.documents, (doc) => DOCUMENT_SOURCES.indexOf(doc.source))),
    offsets: toBase64(offsets),
    ids: toBase64(ids),
  };
}

/** Writes atomically (temp file + rename) so concurrent starts never read half a file. */
export async function writeCachedModel(cacheDir: string, hash: string, parameters: Required<ModelParameters>, data: TokenizedDocuments): Promise<void> {
  await mkdir(cacheDir, { recursive: true });
  const path = join(cacheDir, `${hash}.json`);
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ version: MODEL_VERSION, parameters: { ...parameters, logistic: toBase64(parameters.logistic) }, documents: documentsForCache(data) }));
  await rename(temporary, path);
}

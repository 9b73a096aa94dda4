/**
 * Loads and validates everything under intents/: the catalog, phrase files for some catalog items
 * (an item without one is normal: it is learned from its catalog text),
 * the conversational intents, the out-of-scope examples and the normalisation table. Every
 * problem found is collected with its file and line, and all are thrown together.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ASPECT_NAMES, INTENT_NAMES, type AspectName, type IntentName } from '../types.js';
import { parseCatalog, type CatalogItem } from './catalog.js';
import { ContentError, type ContentProblem } from '../../content/problems.js';
import { readYamlFile, type FieldSpec, type Located } from '../../content/yamlFile.js';

export const MIN_PHRASES = 10;

export interface ItemContent {
  code: string;
  name: string;
  aliases: string[];
  phrases: string[];
}

export interface IntentContent {
  name: IntentName;
  /** What a button offering this intent says (e.g. in "did you mean …?" chips). */
  label?: string;
  phrases: string[];
}

/** An aspect of an item a question can ask about (materials, time limit …): see nlu/aspects.ts. */
export interface AspectContent {
  name: AspectName;
  label: string;
  cues: string[];
  weakCues: string[];
  /** Example questions, each of which must be understood as this aspect. */
  phrases: Located<string>[];
  file: string;
}

export interface Content {
  catalog: CatalogItem[];
  /** Phrase files of catalog items, in catalog order (items without a file are absent). */
  items: ItemContent[];
  intents: IntentContent[];
  aspects: AspectContent[];
  outOfScope: string[];
  /** Variant → canonical form (typos and synonyms together). */
  normalization: Map<string, string>;
}

const ITEM_SPEC: Record<string, FieldSpec> = {
  code: { kind: 'string', required: true },
  name: { kind: 'string', required: true },
  aliases: { kind: 'stringList', required: false },
  phrases: { kind: 'stringList', required: true },
};
const INTENT_SPEC: Record<string, FieldSpec> = {
  name: { kind: 'string', required: true },
  label: { kind: 'string', required: false },
  description: { kind: 'string', required: false },
  phrases: { kind: 'stringList', required: true },
};
const ASPECT_SPEC: Record<string, FieldSpec> = {
  name: { kind: 'string', required: true },
  label: { kind: 'string', required: true },
  description: { kind: 'string', required: false },
  cues: { kind: 'stringList', required: true },
  weakCues: { kind: 'stringList', required: false },
  phrases: { kind: 'stringList', required: true },
};
/** Aspect example questions: fewer than item phrasings, they are checks rather than training data. */
const MIN_ASPECT_PHRASES = 5;
const OUT_OF_SCOPE_SPEC: Record<string, FieldSpec> = {
  description: { kind: 'string', required: false },
  phrases: { kind: 'stringList', required: true },
};
const NORMALIZATION_SPEC: Record<string, FieldSpec> = {
  typos: { kind: 'stringMap', required: false },
  synonyms: { kind: 'stringMap', required: false },
};

async function yamlFilesIn(dir: string): Promise<string[]> {
  try {
    const names = await readdir(dir);
    return names.filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function readOptional(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Checks a phrase list: enough entries, no duplicates (compared ignoring width and case). */
function checkPhrases(file: string, phrases: Located<string>[] | undefined, problems: ContentProblem[], minimum: number): string[] {
  if (phrases === undefined) return [];
  const seen = new Map<string, number>();
  for (const phrase of phrases) {
    const key = phrase.value.normalize('NFKC').toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ file, line: phrase.line, column: phrase.column, message: `duplicate phrase "${phrase.value}" (first at line ${first})` });
    } else {
      seen.set(key, phrase.line);
    }
  }
  if (phrases.length < minimum) {
    const line = phrases[0]?.line ?? 1;
    problems.push({ file, line, column: 1, message: `"phrases" has ${phrases.length} entries, at least ${minimum} are required` });
  }
  return phrases.map((phrase) => phrase.value);
}

function baseName(fileName: string): string {
  return fileName.replace(/\.ya?ml$/, '');
}

async function loadItems(dir: string, root: string, catalog: CatalogItem[], problems: ContentProblem[]): Promise<ItemContent[]> {
  const codes = new Set(catalog.map((item) => item.code));
  const byCode = new Map<string, ItemContent>();
  for (const fileName of await yamlFilesIn(dir)) {
    const path = join(dir, fileName);
    const file = relative(root, path) || fileName;
    const fields = readYamlFile(file, await readFile(path, 'utf8'), ITEM_SPEC, problems);
    const code = fields.string.get('code');
    const name = fields.string.get('name');
    const phrases = checkPhrases(file, fields.stringList.get('phrases'), problems, MIN_PHRASES);
    if (code === undefined || name === undefined) continue;
    if (code.value !== baseName(fileName)) {
      problems.push({ file, line: code.line, column: code.column, message: `code "${code.value}" must equal the file name "${baseName(fileName)}"` });
    }
    if (!codes.has(code.value)) {
      problems.push({ file, line: code.line, column: code.column, message: `code "${code.value}" is not in the catalog` });
      continue;
    }
    const aliases = (fields.stringList.get('aliases') ?? []).map((alias) => alias.value);
    byCode.set(code.value, { code: code.value, name: name.value, aliases, phrases });
  }
  return catalog.flatMap((item) => byCode.get(item.code) ?? []);
}

async function loadIntents(dir: string, root: string, problems: ContentProblem[]): Promise<IntentContent[]> {
  const intents: IntentContent[] = [];
  for (const fileName of await yamlFilesIn(dir)) {
    const path = join(dir, fileName);
    const file = relative(root, path) || fileName;
    const fields = readYamlFile(file, await readFile(path, 'utf8'), INTENT_SPEC, problems);
    const name = fields.string.get('name');
    const phrases = checkPhrases(file, fields.stringList.get('phrases'), problems, MIN_PHRASES);
    if (name === undefined) continue;
    if (!(INTENT_NAMES as readonly string[]).includes(name.value)) {
      problems.push({ file, line: name.line, column: name.column, message: `unknown intent name "${name.value}" (known: ${INTENT_NAMES.join(', ')})` });
      continue;
    }
    if (name.value !== baseName(fileName)) {
      problems.push({ file, line: name.line, column: name.column, message: `name "${name.value}" must equal the file name "${baseName(fileName)}"` });
    }
    const label = fields.string.get('label')?.value;
    intents.push({ name: name.value as IntentName, ...(label === undefined ? {} : { label }), phrases });
  }
  return intents;
}

async function loadAspects(dir: string, root: string, problems: ContentProblem[]): Promise<AspectContent[]> {
  const aspects: AspectContent[] = [];
  for (const fileName of await yamlFilesIn(dir)) {
    const file = relative(root, join(dir, fileName)) || fileName;
    const fields = readYamlFile(file, await readFile(join(dir, fileName), 'utf8'), ASPECT_SPEC, problems);
    const name = fields.string.get('name');
    const label = fields.string.get('label');
    checkPhrases(file, fields.stringList.get('phrases'), problems, MIN_ASPECT_PHRASES);
    if (name === undefined || label === undefined) continue;
    if (!(ASPECT_NAMES as readonly string[]).includes(name.value) || name.value !== baseName(fileName)) {
      problems.push({ file, line: name.line, column: name.column, message: `aspect name "${name.value}" must be one of ${ASPECT_NAMES.join(', ')} and equal the file name` });
      continue;
    }
    const values = (key: string): string[] => (fields.stringList.get(key) ?? []).map((cue) => cue.value);
    aspects.push({ name: name.value as AspectName, label: label.value, cues: values('cues'), weakCues: values('weakCues'), phrases: fields.stringList.get('phrases') ?? [], file });
  }
  return aspects;
}

/** Loads intents/ from `intentsDir`; throws ContentError listing every problem with file and line. */
export async function loadContent(intentsDir: string): Promise<Content> {
  const problems: ContentProblem[] = [];
  const catalogPath = join(intentsDir, 'catalog', 'services.json');
  const catalog = parseCatalog('catalog/services.json', await readFile(catalogPath, 'utf8'));
  const items = await loadItems(join(intentsDir, 'items'), intentsDir, catalog, problems);
  const intents = await loadIntents(join(intentsDir, 'conversational'), intentsDir, problems);
  const aspects = await loadAspects(join(intentsDir, 'aspects'), intentsDir, problems);

  let outOfScope: string[] = [];
  const outOfScopeSource = await readOptional(join(intentsDir, 'out-of-scope.yaml'));
  if (outOfScopeSource !== undefined) {
    const fields = readYamlFile('out-of-scope.yaml', outOfScopeSource, OUT_OF_SCOPE_SPEC, problems);
    outOfScope = checkPhrases('out-of-scope.yaml', fields.stringList.get('phrases'), problems, MIN_PHRASES);
  }

  const normalization = new Map<string, string>();
  const normalizationSource = await readOptional(join(intentsDir, 'normalization.yaml'));
  if (normalizationSource !== undefined) {
    const fields = readYamlFile('normalization.yaml', normalizationSource, NORMALIZATION_SPEC, problems);
    for (const section of ['typos', 'synonyms']) {
      for (const { from, to } of fields.stringMap.get(section) ?? []) normalization.set(from.value, to.value);
    }
  }

  if (problems.length > 0) throw new ContentError(problems);
  return { catalog, items, intents, aspects, outOfScope, normalization };
}

/**
 * Turns validated content into labelled training documents. Labels are the catalog items (in
 * catalog order), the conversational intents that have phrases, and one out-of-scope label that
 * teaches the `none` decision. Item names and aliases are documents too (they are what citizens
 * type most often), and so is the catalog's own text about every item — its description, legal
 * basis, conditions, materials, theme and department — each marked with its source, so that the
 * evidence weighs a match on a description sentence apart from a match on a citizen's phrasing.
 * Only the phrases are held out in cross-validation: names and catalog text are always known to
 * the deployed model, so they must not count as new messages.
 */
import { catalogText } from '../content/catalog.js';
import type { Content } from '../content/load.js';
import { createNormalizer, Rewriter } from '../normalize.js';
import { tokenize } from '../tokenize.js';
import type { Target } from '../types.js';
import type { DocumentSource, LabelKind, TrainingDocument } from './evidence.js';
import { Vocabulary } from './vocabulary.js';

export type Label = Target | { type: 'none' };

export interface LabelledDocument extends TrainingDocument {
  /** True for phrases (held out in cross-validation), false for names, aliases and catalog text. */
  phrase: boolean;
  /** The normalised text; '' when restored from the cache (only cross-validation reads it). */
  text: string;
  /** A name from the item's phrase file, not from the catalog (withheld with the phrases in training's cross-validation). */
  fromPhraseFile?: boolean;
}

/** Documents already tokenized (by an earlier start, from the cache) and their vocabulary. */
export interface TokenizedDocuments {
  vocabulary: Vocabulary;
  documents: LabelledDocument[];
}

export interface TrainingData {
  labels: Label[];
  kinds: LabelKind[];
  documents: LabelledDocument[];
  /** Normalised names and aliases per label (empty for intents and out-of-scope). */
  aliases: string[][];
  /** The same from the catalog alone, without the aliases of phrase files. */
  catalogAliases: string[][];
  vocabulary: Vocabulary;
  normalize: (text: string) => string;
}

/**
 * Labels, aliases and documents of the content. With `restored` (the same content's documents,
 * from the cache) nothing is normalised or tokenized again but the names: tokenizing every
 * document is most of the work of a start at 2,000 items.
 */
export function prepareTrainingData(content: Content, restored?: TokenizedDocuments): TrainingData {
  const normalize = createNormalizer(new Rewriter(content.normalization));
  const labels: Label[] = [];
  const documents: LabelledDocument[] = restored?.documents ?? [];
  const aliases: string[][] = [];
  const vocabulary = restored?.vocabulary ?? new Vocabulary();
  const catalogAliases: string[][] = [];
  const add = (label: number, text: string, source: DocumentSource, fromPhraseFile = false): void => {
    if (restored !== undefined) return;
    const normalized = normalize(text);
    if (normalized === '') return;
    documents.push({ label, tokens: vocabulary.add(tokenize(normalized)), source, phrase: source === 'phrase', text: normalized, ...(fromPhraseFile ? { fromPhraseFile } : {}) });
  };

  const files = new Map(content.items.map((item) => [item.code, item]));
  for (const item of content.catalog) {
    const label = labels.length;
    labels.push({ type: 'item', code: item.code });
    const file = files.get(item.code);
    const fromCatalog = [...new Set([item.name, ...item.aliases].map(normalize))].filter((t) => t !== '');
    const names = [...new Set([...fromCatalog, ...(file?.aliases ?? []).map(normalize)])].filter((t) => t !== '');
    aliases.push(names);
    catalogAliases.push(fromCatalog);
    for (const name of names) add(label, name, 'name', !fromCatalog.includes(name));
    const text = catalogText(item);
    for (const sentence of text.described) add(label, sentence, 'described');
    for (const sentence of text.required) add(label, sentence, 'required');
    for (const group of text.grouped) add(label, group, 'grouped');
    for (const phrase of file?.phrases ?? []) add(label, phrase, 'phrase');
  }
  for (const intent of content.intents) {
    const label = labels.length;
    labels.push({ type: 'intent', name: intent.name });
    aliases.push([]);
    catalogAliases.push([]);
    for (const phrase of intent.phrases) add(label, phrase, 'phrase');
  }
  const none = labels.length;
  labels.push({ type: 'none' });
  aliases.push([]);
  catalogAliases.push([]);
  for (const phrase of content.outOfScope) add(none, phrase, 'phrase');

  const kinds = labels.map((label): LabelKind => label.type);
  return { labels, kinds, documents, aliases, catalogAliases, vocabulary, normalize };
}

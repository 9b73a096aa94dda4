/**
 * Evaluation texts that are also training texts. A labelled query set only measures how new
 * messages are understood if none of its lines is something the classifier learned from: a line
 * found in intents/ word for word, or after removing spaces and punctuation (工伤认定申请时限是多久
 * and 工伤认定申请时限是多久？), is answered from memory and flatters every figure.
 */
import type { Content } from './load.js';

/** Width- and case-folded, without white space, punctuation and the tilde of chat (88～); emoji and other symbols are kept. */
export function overlapKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{Z}\s~]/gu, '');
}

export interface TrainingText {
  text: string;
  /** Where it comes from, as a path under intents/ (and the item code for catalog text). */
  source: string;
}

/** Every text the classifier learns from: catalog text, names, aliases and phrases. */
export function trainingTexts(content: Content): TrainingText[] {
  const texts: TrainingText[] = [];
  for (const item of content.catalog) {
    for (const text of [item.name, ...item.aliases]) texts.push({ text, source: `catalog/services.json (${item.code})` });
  }
  for (const item of content.items) {
    for (const text of [item.name, ...item.aliases, ...item.phrases]) texts.push({ text, source: `items/${item.code}.yaml` });
  }
  for (const intent of content.intents) for (const text of intent.phrases) texts.push({ text, source: `conversational/${intent.name}.yaml` });
  for (const text of content.outOfScope) texts.push({ text, source: 'out-of-scope.yaml' });
  return texts;
}

export interface Overlap {
  query: string;
  /** 1-based line of the query in its file. */
  line: number;
  sources: string[];
}

/** The queries (with their line numbers) that are also training texts. */
export function findOverlaps(queries: ReadonlyArray<{ text: string; line: number }>, training: readonly TrainingText[]): Overlap[] {
  const byKey = new Map<string, string[]>();
  for (const { text, source } of training) {
    const key = overlapKey(text);
    if (key === '') continue;
    const sources = byKey.get(key) ?? [];
    if (!sources.includes(source)) sources.push(source);
    byKey.set(key, sources);
  }
  return queries.flatMap(({ text, line }) => {
    const sources = byKey.get(overlapKey(text));
    return sources === undefined ? [] : [{ query: text, line, sources }];
  });
}

/**
 * Chinese-aware tokenizer. natural's tokenizers split on \W and so drop every Chinese character,
 * and natural ships no Chinese segmenter; Node's ICU word segmenter (Intl.Segmenter 'zh') needs no
 * downloaded dictionary. Its segmentation is coarse on domain terms (居住证 → 居住|证), so
 * character unigrams, bigrams and trigrams of each Chinese run are added: they match partial
 * words, typos (居住正) and unseen compounds. Pinyin bigrams (used by the alias matcher) match
 * homophone typos.
 */
import { NGramsZH } from 'natural/lib/natural/ngrams/index.js';
import { PINYIN_TABLE } from './pinyinTable.js';

/** Feature kinds, used as token prefixes and as weight groups. */
export const FEATURE_KINDS = ['w', 'c1', 'c2', 'c3'] as const;
export type FeatureKind = (typeof FEATURE_KINDS)[number];

const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
const HAN_RUN = /\p{Script=Han}+/gu;

/** Word tokens from ICU, as written (already normalised), without punctuation or spaces. */
export function words(text: string): string[] {
  const result: string[] = [];
  for (const segment of segmenter.segment(text)) {
    if (segment.isWordLike === true) result.push(segment.segment);
  }
  return result;
}

/** Character n-grams of each run of Han characters (n-grams never span a space or a Latin word). */
export function hanNgrams(text: string, n: number): string[] {
  const result: string[] = [];
  for (const run of text.match(HAN_RUN) ?? []) {
    const chars = [...run];
    if (chars.length < n) continue;
    if (n === 1) {
      result.push(...chars);
      continue;
    }
    for (const gram of NGramsZH.ngrams(chars, n)) result.push(gram.join(''));
  }
  return result;
}

/** Han character → toneless pinyin (its most common reading), from the generated table. */
const SYLLABLES = new Map<string, string>();
for (const line of PINYIN_TABLE.split('\n')) {
  const [syllable = '', chars = ''] = line.split(' ');
  for (const char of chars) SYLLABLES.set(char, syllable);
}

/** A character outside the table (rare extensions) stands for itself. */
function syllableOf(char: string): string {
  return SYLLABLES.get(char) ?? char;
}

/**
 * Pinyin bigrams of each Han run. Citizens type with pinyin input methods, so most typos are
 * homophones (引近 for 引进, 退修 for 退休): the characters differ, the syllables do not.
 */
export function pinyinBigrams(text: string): string[] {
  const result: string[] = [];
  for (const run of text.match(HAN_RUN) ?? []) {
    const chars = [...run].map(syllableOf);
    for (let i = 1; i < chars.length; i++) result.push(`${chars[i - 1] ?? ''} ${chars[i] ?? ''}`);
  }
  return result;
}

/** All features of a normalised text, each prefixed with its kind (`w:居住`, `c2:住证`, …). */
export function tokenize(normalized: string): string[] {
  const tokens: string[] = [];
  for (const word of words(normalized)) tokens.push(`w:${word}`);
  for (const gram of hanNgrams(normalized, 1)) tokens.push(`c1:${gram}`);
  for (const gram of hanNgrams(normalized, 2)) tokens.push(`c2:${gram}`);
  for (const gram of hanNgrams(normalized, 3)) tokens.push(`c3:${gram}`);
  return tokens;
}

/** The kind of a prefixed token. */
export function kindOf(token: string): FeatureKind {
  const kind = token.slice(0, token.indexOf(':'));
  return (FEATURE_KINDS as readonly string[]).includes(kind) ? (kind as FeatureKind) : 'w';
}

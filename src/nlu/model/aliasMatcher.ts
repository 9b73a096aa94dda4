/**
 * Retrieval over item names and aliases. A message that contains an alias (公租房, 失业金) is
 * strong evidence even when the surrounding words are new; a short message with a typo (欠新投诉)
 * is close to an alias in Jaro-Winkler distance (natural's implementation) though it shares few
 * n-grams with it. Aliases are also keyed by pinyin bigrams: citizens type with pinyin input
 * methods, so most typos are homophones (人才引近落户, 退修申请), which still share the syllables
 * and so half of the alias's keys. Only names and aliases get pinyin keys, not every phrase:
 * that keeps the memory of a 1,000-item model as it was (pinyin features on all phrases cost
 * 25 MB more at peak for no gain in cross-validation). Single characters of the names, weighted
 * by how few labels hold them, tell siblings apart (`nameCharacters`).
 */
import { JaroWinklerDistance } from 'natural/lib/natural/distance/index.js';
import { hanNgrams, pinyinBigrams } from '../tokenize.js';

/** Messages up to this many characters are also compared to aliases by Jaro-Winkler. */
const SHORT_MESSAGE = 8;

interface Alias {
  label: number;
  /** The alias without spaces, as compared by Jaro-Winkler. */
  compact: string;
  /** Distinct characters. */
  charCount: number;
  /** Distinct keys (char and pinyin bigrams of Han text, or the whole Latin/digit word). */
  keyCount: number;
}

function keysOf(text: string): Set<string> {
  const keys = new Set<string>(hanNgrams(text, 2));
  for (const run of text.match(/\p{Script=Han}+/gu) ?? []) if ([...run].length === 1) keys.add(run);
  for (const word of text.match(/[a-z0-9]+/g) ?? []) keys.add(`#${word}`);
  for (const gram of pinyinBigrams(text)) keys.add(`~${gram}`);
  return keys;
}

/** The Han characters and Latin/digit words of a text, in order. */
function unitsOf(text: string): string[] {
  return text.match(/\p{Script=Han}|[a-z0-9]+/gu) ?? [];
}

function postingsOf(map: Map<string, number[]>, key: string): number[] {
  let list = map.get(key);
  if (list === undefined) {
    list = [];
    map.set(key, list);
  }
  return list;
}

export class AliasMatcher {
  private readonly aliases: Alias[] = [];
  private readonly byKey = new Map<string, number[]>();
  private readonly byChar = new Map<string, number[]>();
  private readonly hits: Int32Array;
  /** Per character (or Latin word) of any name: the labels whose names hold it, and its inverse label frequency. */
  private readonly unitLabels = new Map<string, number[]>();
  private readonly unitIdf = new Map<string, number>();
  /** Per label: the norm of its name characters' weights. */
  private readonly unitNorms: Float32Array;

  /** `aliasesByLabel[label]` are the normalised names and aliases of that label. */
  constructor(aliasesByLabel: readonly string[][]) {
    aliasesByLabel.forEach((texts, label) => {
      for (const text of new Set(texts)) {
        const keys = keysOf(text);
        if (keys.size === 0) continue;
        const index = this.aliases.length;
        const compact = text.replace(/ /g, '');
        this.aliases.push({ label, compact, charCount: new Set(compact).size, keyCount: keys.size });
        for (const key of keys) postingsOf(this.byKey, key).push(index);
        for (const char of new Set(compact)) postingsOf(this.byChar, char).push(index);
      }
    });
    this.hits = new Int32Array(this.aliases.length);
    aliasesByLabel.forEach((texts, label) => {
      for (const unit of new Set(texts.flatMap(unitsOf))) postingsOf(this.unitLabels, unit).push(label);
    });
    const named = aliasesByLabel.filter((texts) => texts.length > 0).length;
    this.unitNorms = new Float32Array(aliasesByLabel.length);
    for (const [unit, labels] of this.unitLabels) {
      const idf = Math.log((named + 1) / (labels.length + 1)) + 1;
      this.unitIdf.set(unit, idf);
      for (const label of labels) this.unitNorms[label] = (this.unitNorms[label] ?? 0) + idf * idf;
    }
    this.unitNorms.forEach((sum, label) => (this.unitNorms[label] = Math.sqrt(sum)));
  }

  /**
   * Per label: the cosine between the message's characters (and Latin words) and the set of those
   * in the label's names and aliases, each weighted by how few labels' names hold it. Siblings
   * share most of their name (居住证申领, 居住证签注（续期）, 居住证补领、换领); the characters only one of
   * them has (续) decide between them even when the message has no whole word of its name.
   */
  nameCharacters(normalized: string, out: Float32Array): void {
    const units = new Set(unitsOf(normalized));
    let norm = 0;
    for (const unit of units) norm += (this.unitIdf.get(unit) ?? 0) ** 2;
    if (norm === 0) return;
    norm = Math.sqrt(norm);
    for (const unit of units) {
      const idf = this.unitIdf.get(unit) ?? 0;
      for (const label of this.unitLabels.get(unit) ?? []) out[label] = (out[label] ?? 0) + (idf * idf) / (norm * (this.unitNorms[label] ?? 1));
    }
  }

  /**
   * Per label: the best share of an alias's keys found in the message (1 = the alias is contained),
   * and for short messages the best Jaro-Winkler similarity to an alias sharing a character.
   */
  match(normalized: string, containment: Float32Array, fuzzy: Float32Array): void {
    this.eachAliasHit(keysOf(normalized), this.byKey, (alias, shared) => {
      const share = shared / alias.keyCount;
      if (share > (containment[alias.label] ?? 0)) containment[alias.label] = share;
    });
    const compact = normalized.replace(/ /g, '');
    if ([...compact].length > SHORT_MESSAGE || compact === '') return;
    // Only aliases sharing at least half their characters with the message are compared.
    this.eachAliasHit(new Set(compact), this.byChar, (alias, shared) => {
      if (shared * 2 < alias.charCount) return;
      const similarity = JaroWinklerDistance(compact, alias.compact);
      if (similarity > (fuzzy[alias.label] ?? 0)) fuzzy[alias.label] = similarity;
    });
  }

  /**
   * Labels with a name or alias that contains the whole (short) message, e.g. 居住证 is part of
   * 居住证申领, 居住证续签 and 居住证补领: a bare family name names all of them.
   */
  labelsNaming(normalized: string, out: Set<number>): void {
    out.clear();
    const compact = normalized.replace(/ /g, '');
    const chars = new Set(compact);
    if ([...compact].length > SHORT_MESSAGE || chars.size === 0) return;
    // Only aliases holding every character of the message can contain it.
    this.eachAliasHit(chars, this.byChar, (alias, shared) => {
      if (shared === chars.size && alias.compact.includes(compact)) out.add(alias.label);
    });
  }

  /**
   * Calls `visit` once for every alias posted under at least one of `keys`, with how many of
   * them it holds. The per-alias counters are scratch space, reset as they are read.
   */
  private eachAliasHit(
    keys: Iterable<string>,
    postings: Map<string, number[]>,
    visit: (alias: Alias, shared: number) => void,
  ): void {
    const touched: number[] = [];
    for (const key of keys) {
      for (const index of postings.get(key) ?? []) {
        if (this.hits[index] === 0) touched.push(index);
        this.hits[index] = (this.hits[index] ?? 0) + 1;
      }
    }
    for (const index of touched) {
      const shared = this.hits[index] ?? 0;
      this.hits[index] = 0;
      const alias = this.aliases[index];
      if (alias !== undefined) visit(alias, shared);
    }
  }
}

/**
 * Text normalisation applied to every message and every training phrase before tokenizing, so
 * that surface variants a citizen types (full-width letters, punctuation, case, Chinese numerals,
 * known typos and synonyms) land on the same features.
 */

/** Chinese numeral characters and their values; 两 is the colloquial two. */
const DIGITS: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const UNITS: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };

/**
 * A run of numerals is only rewritten when it is clearly a quantity: two or more numeral
 * characters (八十, 十二) or a single one before a counting word (三年, 两岁, 一孩). Words that merely
 * contain a numeral (统一, 一签多行, 初一) keep their form.
 */
const NUMERAL_RUN = /[零〇一二两三四五六七八九十百千]+/gu;
const COUNTER_AFTER = /^[岁年月日号天个周次级档孩项楼元块万号]/u;

/** Value of a numeral run such as 八十, 十二, 一百零五, 三; undefined when it is not well formed. */
export function chineseNumeralValue(run: string): number | undefined {
  let total = 0;
  let pending = 0;
  let sawAny = false;
  for (const char of run) {
    const digit = DIGITS[char];
    const unit = UNITS[char];
    if (digit !== undefined) {
      pending = pending * 10 + digit;
      sawAny = true;
    } else if (unit !== undefined) {
      total += (pending === 0 ? 1 : pending) * unit;
      pending = 0;
      sawAny = true;
    } else {
      return undefined;
    }
  }
  return sawAny ? total + pending : undefined;
}

function rewriteNumerals(text: string): string {
  return text.replace(NUMERAL_RUN, (run: string, offset: number) => {
    const after = text.slice(offset + run.length);
    const quantity = [...run].length >= 2 || COUNTER_AFTER.test(after);
    if (!quantity) return run;
    const value = chineseNumeralValue(run);
    return value === undefined ? run : String(value);
  });
}

/** Punctuation, symbols and emoji become a space: they separate words but carry no meaning here. */
const SEPARATORS = /[\p{P}\p{S}\p{Extended_Pictographic}\s]+/gu;

/** Width, case, numerals and punctuation — everything that needs no content file. */
export function normalizeSurface(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase();
  return rewriteNumerals(folded).replace(SEPARATORS, ' ').trim();
}

/** Letters and digits that make up a Latin word (pinyin, English, abbreviations such as gjj). */
const LATIN_WORD_CHAR = '[\\p{Script=Latin}\\p{Nd}]';
const LATIN_LETTER = /\p{Script=Latin}/u;
const IS_LATIN_WORD_CHAR = new RegExp(`^${LATIN_WORD_CHAR}$`, 'u');

/**
 * The pattern of one key. Chinese has no spaces, so a Han key matches anywhere (居住正 inside
 * 居住正补办). A key with Latin letters matches only as whole words: an end of the key that is a
 * Latin letter or digit must not touch another one in the text, so "e license" does not fire
 * inside "the license" nor gjj inside xgjjx, while 办gjj and gjj提取 still match.
 */
function keyPattern(key: string): string {
  const escaped = escapeRegExp(key);
  if (!LATIN_LETTER.test(key)) return escaped;
  const chars = [...key];
  const before = IS_LATIN_WORD_CHAR.test(chars[0] ?? '') ? `(?<!${LATIN_WORD_CHAR})` : '';
  const after = IS_LATIN_WORD_CHAR.test(chars[chars.length - 1] ?? '') ? `(?!${LATIN_WORD_CHAR})` : '';
  return `${before}${escaped}${after}`;
}

/**
 * Replaces known variants by their canonical form, longest match first at each position. The
 * alternation is ordered by length, so a regular expression scan gives leftmost-longest matches
 * in one pass instead of a trie walk written by hand; a Latin key that fails its word boundary
 * falls through to the shorter keys at the same position.
 */
export class Rewriter {
  private readonly pattern: RegExp | undefined;
  private readonly replacements: Map<string, string>;

  constructor(mapping: ReadonlyMap<string, string>) {
    this.replacements = new Map();
    for (const [from, to] of mapping) {
      const key = normalizeSurface(from);
      if (key !== '') this.replacements.set(key, normalizeSurface(to));
    }
    // A canonical form maps to itself so that, being longer, it shields its own inner variants:
    // with 公积金 → 住房公积金, the text 住房公积金 must stay as it is.
    for (const canonical of [...this.replacements.values()]) {
      if (canonical !== '' && !this.replacements.has(canonical)) this.replacements.set(canonical, canonical);
    }
    const keys = [...this.replacements.keys()].sort((a, b) => b.length - a.length);
    this.pattern = keys.length === 0 ? undefined : new RegExp(keys.map(keyPattern).join('|'), 'gu');
  }

  rewrite(text: string): string {
    if (this.pattern === undefined) return text;
    return text.replace(this.pattern, (match) => this.replacements.get(match) ?? match);
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The full pipeline: surface normalisation, then the content-defined rewrites. */
export function createNormalizer(rewriter: Rewriter): (text: string) => string {
  return (text) => rewriter.rewrite(normalizeSurface(text));
}

/**
 * Which aspect of an item a question asks about (居住证要带什么材料 → materials; 多久能办好 →
 * time_limit), from the cue wordings in intents/aspects/. Aspect questions are formulaic, so a
 * transparent list that content staff extend ("add the wording that was missed") serves better
 * here than a statistical model: every example phrase is checked to be understood.
 *
 * Cues are matched in the normalised message without spaces, so the typo and synonym table and
 * numeral rewriting apply to them too. Matches are taken longest first and may not overlap
 * (小程序 is online, not the 程序 of steps); the aspect covering most characters wins. A weak cue
 * counts only when no other aspect has a cue in the message. Item names and aliases are matched
 * too, and claim their characters for no aspect: 教师资格认定 names an item, it does not ask about
 * conditions (资格).
 */
import type { AspectContent } from './content/load.js';
import type { AspectName } from './types.js';

export interface AspectMatch {
  aspect: AspectName;
  /** The cue wordings found, as normalised. */
  cues: string[];
}

interface Cue {
  text: string;
  /** Undefined for an item name: it claims its characters and means no aspect. */
  aspect: AspectName | undefined;
  weak: boolean;
  /** Latin cues (app) match only as whole words. */
  latin: boolean;
  /** Order of the aspect's file, to break ties the same way every time. */
  rank: number;
}

const LATIN_EDGE = /[a-z0-9]/;

export class AspectDetector {
  /** Cues by their first character, each list longest first: a message is read once, position by position. */
  private readonly cuesByFirstChar = new Map<string, Cue[]>();
  readonly labels: ReadonlyMap<AspectName, string>;

  /** `itemNames`: the names and aliases of the catalog items. */
  constructor(
    aspects: readonly AspectContent[],
    itemNames: readonly string[],
    private readonly normalize: (text: string) => string,
  ) {
    const compact = (text: string): string => normalize(text).replace(/ /g, '');
    const names = itemNames.map((name) => ({ text: compact(name), aspect: undefined, weak: false, rank: aspects.length }));
    const cues = aspects
      .flatMap((aspect, rank): Array<Omit<Cue, 'latin'>> => [
        ...aspect.cues.map((cue) => ({ text: compact(cue), aspect: aspect.name, weak: false, rank })),
        ...aspect.weakCues.map((cue) => ({ text: compact(cue), aspect: aspect.name, weak: true, rank })),
      ])
      .concat(names)
      .filter((cue) => cue.text !== '')
      .map((cue) => ({ ...cue, latin: /^[a-z0-9]+$/.test(cue.text) }))
      // Longest first, so a longer cue claims its characters before a shorter one inside it.
      .sort((a, b) => b.text.length - a.text.length || a.rank - b.rank);
    for (const cue of cues) {
      const first = cue.text[0] as string;
      this.cuesByFirstChar.set(first, [...(this.cuesByFirstChar.get(first) ?? []), cue]);
    }
    this.labels = new Map(aspects.map((aspect) => [aspect.name, aspect.label]));
  }

  detect(text: string): AspectMatch | undefined {
    const message = this.normalize(text).replace(/ /g, '');
    const taken = new Uint8Array(message.length);
    const covered = new Map<AspectName, { chars: number; weak: boolean; rank: number; cues: string[] }>();
    for (const { cue, at } of this.occurrences(message)) {
      const end = at + cue.text.length;
      if (taken.subarray(at, end).some((flag) => flag === 1)) continue;
      taken.fill(1, at, end);
      if (cue.aspect === undefined) continue;
      const entry = covered.get(cue.aspect) ?? { chars: 0, weak: true, rank: cue.rank, cues: [] };
      entry.chars += cue.text.length;
      entry.weak &&= cue.weak;
      entry.cues.push(cue.text);
      covered.set(cue.aspect, entry);
    }
    const found = [...covered.entries()];
    const strong = found.filter(([, entry]) => !entry.weak);
    const candidates = strong.length > 0 ? strong : found;
    candidates.sort(([, a], [, b]) => b.chars - a.chars || a.rank - b.rank);
    const best = candidates[0];
    return best === undefined ? undefined : { aspect: best[0], cues: best[1].cues };
  }

  /** Every cue found in the message, longest first (then by aspect order, then position). */
  private occurrences(message: string): Array<{ cue: Cue; at: number }> {
    const found: Array<{ cue: Cue; at: number }> = [];
    for (let at = 0; at < message.length; at++) {
      for (const cue of this.cuesByFirstChar.get(message[at] as string) ?? []) {
        if (!message.startsWith(cue.text, at)) continue;
        const end = at + cue.text.length;
        if (cue.latin && (LATIN_EDGE.test(message[at - 1] ?? '') || LATIN_EDGE.test(message[end] ?? ''))) continue;
        found.push({ cue, at });
      }
    }
    return found.sort((a, b) => b.cue.text.length - a.cue.text.length || a.cue.rank - b.cue.rank || a.at - b.at);
  }
}

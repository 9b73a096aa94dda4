/**
 * The finder's three answers (industry, scale, a tag) as they travel in postback data, and what
 * they say of an enterprise. Values, not positions, are sent, so a button of an older card still
 * means what it said after the options were reordered; a value no longer offered is refused.
 */
import type { Profile } from '../../../directory/criteria.js';
import type { Scale, Vocabulary } from '../../../directory/vocabulary.js';

/** An answer that says nothing: "其他行业" or "都不是". */
export const NONE = '-';

export interface FinderAnswers {
  industry?: string;
  scale?: Scale;
  tag?: string;
}

type Finder = Vocabulary['finder'];

/** The answers in `args` (industry, scale, tag — as many as given), or undefined when one is not an option. */
export function parseAnswers(args: readonly string[], finder: Finder, count: number): FinderAnswers | undefined {
  if (args.length !== count) return undefined;
  const [industry, scale, tag] = args;
  const answers: FinderAnswers = {};
  if (count >= 1) {
    if (industry !== NONE && !finder.industries.some((option) => option.industry === industry)) return undefined;
    if (industry !== NONE) answers.industry = industry;
  }
  if (count >= 2) {
    const option = finder.scales.find((each) => each.scale === scale);
    if (!option) return undefined;
    answers.scale = option.scale;
  }
  if (count >= 3) {
    if (tag !== NONE && !finder.tags.some((option) => option.tag === tag)) return undefined;
    if (tag !== NONE) answers.tag = tag;
  }
  return answers;
}

/** The answers as postback arguments. */
export function answerArgs(answers: FinderAnswers): string[] {
  return [answers.industry ?? NONE, answers.scale ?? NONE, answers.tag ?? NONE];
}

/**
 * What the answers tell: the industry section and the scale; the tag chosen is held, and with
 * "都不是" every tag offered is known to be missing. Anything not asked is unknown.
 */
export function answersProfile(answers: FinderAnswers, finder: Finder): Profile {
  return {
    ...(answers.industry ? { industry: answers.industry } : {}),
    ...(answers.scale ? { scale: answers.scale } : {}),
    tags: answers.tag ? [answers.tag] : [],
    tagsComplete: false,
    absentTags: answers.tag ? [] : finder.tags.flatMap((option) => (option.tag ? [option.tag] : [])),
  };
}

/** The answers in the options' own words, e.g. 软件和信息技术、小型企业、高新技术企业. */
export function answersText(answers: FinderAnswers, finder: Finder): string {
  const industry = finder.industries.find((option) => option.industry === answers.industry) ?? finder.industries.find((option) => option.industry === undefined);
  const scale = finder.scales.find((option) => option.scale === answers.scale);
  const tag = finder.tags.find((option) => option.tag === answers.tag) ?? finder.tags.find((option) => option.tag === undefined);
  return [industry?.label, scale?.label, tag?.label].filter((label): label is string => label !== undefined).join('、');
}

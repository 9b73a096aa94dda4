/**
 * The national five levels of 好差评, 5 (best) to 1 (worst). Their names are content
 * (cards/menus/rating-levels.yaml), shared by the question's chips, typed answers and the console.
 * The two lowest are 差评: they ask for a comment and open a rectification task; the three
 * others count as good (好评) in the good rate.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SourceLocator } from '../content/locate.js';
import { ContentError } from '../content/problems.js';

export const RATING_LEVELS = [5, 4, 3, 2, 1] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];

export const ratingLevelSchema = z.literal(RATING_LEVELS);

export function isNegative(level: RatingLevel): boolean {
  return level <= 2;
}

export function isGood(level: RatingLevel): boolean {
  return level >= 3;
}

export function toLevel(value: unknown): RatingLevel | undefined {
  const number = typeof value === 'string' && /^[1-5]$/.test(value) ? Number(value) : value;
  return (RATING_LEVELS as readonly unknown[]).includes(number) ? (number as RatingLevel) : undefined;
}

export const RATING_LEVELS_FILE = 'menus/rating-levels.yaml';

const label = z.string().trim().min(1).max(25, 'a chip shows at most 25 characters');
const file = z.strictObject({
  description: z.string().optional(),
  levels: z.strictObject({ 5: label, 4: label, 3: label, 2: label, 1: label }),
});

/** The names of the levels as citizens and staff read them. */
export class LevelNames {
  private constructor(private readonly names: Record<RatingLevel, string>) {}

  static load(cardsDir: string): LevelNames {
    const source = readFileSync(join(cardsDir, RATING_LEVELS_FILE), 'utf8');
    const result = file.safeParse(parseYaml(source));
    if (!result.success) {
      const locator = new SourceLocator(source);
      throw new ContentError(result.error.issues.map((issue) => ({ file: RATING_LEVELS_FILE, ...locator.positionOf(issue.path), message: `${issue.path.join('.')}: ${issue.message}` })));
    }
    return new LevelNames(result.data.levels);
  }

  name(level: RatingLevel): string {
    return this.names[level];
  }

  /** Best first, as the chips are offered. */
  all(): Array<{ level: RatingLevel; name: string }> {
    return RATING_LEVELS.map((level) => ({ level, name: this.names[level] }));
  }

  /** The level a typed answer names exactly ("满意", "非常不满意。"), if any. */
  levelNamed(text: string): RatingLevel | undefined {
    const bare = text.replace(/[\s\p{P}\p{S}]/gu, '');
    return RATING_LEVELS.find((level) => this.names[level] === bare);
  }
}

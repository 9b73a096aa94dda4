/**
 * The values the enterprise directory may hold (intents/enterprises.yaml): enterprise types,
 * scales, tags and streets, and the finder's questions in chat. Imports, policy eligibility and
 * campaign segments are all checked against it, so a misspelt tag is caught where it is written.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ContentError, type ContentProblem } from '../content/problems.js';
import { SourceLocator } from '../content/locate.js';
import { parseYamlWithSchema } from '../content/yamlSchema.js';
import { normalizeIndustry } from './industry.js';

export const VOCABULARY_FILE = 'enterprises.yaml';
export const SCALES = ['大型', '中型', '小型', '微型'] as const;
export type Scale = (typeof SCALES)[number];

const text = z.string().trim().min(1);
const uniqueTexts = z
  .array(text)
  .min(1)
  .refine((values) => new Set(values).size === values.length, 'lists a value twice');
const label = text.max(25, 'a chip label has at most 25 characters');
const industryCode = text.transform((value, ctx) => {
  const normalized = normalizeIndustry(value);
  if (normalized.ok) return normalized.industry;
  ctx.addIssue({ code: 'custom', message: normalized.reason });
  return z.NEVER;
});

const vocabularySchema = z.strictObject({
  types: uniqueTexts,
  scales: z.array(z.enum(SCALES)).length(SCALES.length, `must list the four scales ${SCALES.join(', ')}`),
  tags: uniqueTexts,
  streets: uniqueTexts,
  finder: z.strictObject({
    industries: z.array(z.strictObject({ label, industry: industryCode.optional() })).min(2).max(10),
    scales: z.array(z.strictObject({ label, scale: z.enum(SCALES) })).min(2).max(10),
    tags: z.array(z.strictObject({ label, tag: text.optional() })).min(2).max(10),
  }),
});

export type Vocabulary = z.infer<typeof vocabularySchema>;

export function parseVocabulary(source: string, file = VOCABULARY_FILE): Vocabulary {
  const problems: ContentProblem[] = [];
  const vocabulary = parseYamlWithSchema(file, source, vocabularySchema, problems);
  if (vocabulary) {
    const locator = new SourceLocator(source);
    vocabulary.finder.tags.forEach((option, index) => {
      if (option.tag !== undefined && !vocabulary.tags.includes(option.tag)) {
        const path = ['finder', 'tags', index, 'tag'];
        problems.push({ file, ...locator.positionOf(path), message: `${path.join('.')}: "${option.tag}" is not one of tags` });
      }
    });
  }
  if (!vocabulary || problems.length > 0) throw new ContentError(problems);
  return vocabulary;
}

export function loadVocabulary(intentsDir: string): Vocabulary {
  return parseVocabulary(readFileSync(join(intentsDir, VOCABULARY_FILE), 'utf8'));
}

/**
 * Evaluation of understanding in context (test/fixtures/aspect-queries.jsonl): each line a text,
 * optionally the item the conversation is on, the expected item or intent, and the expected
 * aspect (null for none). Definitions:
 *  - aspect accuracy: the aspect detected equals the expected one (none counts as a value);
 *  - aspect recall / precision: over lines that expect an aspect / where one was detected;
 *  - subject accuracy: the subject is the expected item (or intent) — a close call counts by its
 *    first candidate, as accuracy@1 does;
 *  - answered right: subject and aspect both right (the card the citizen gets is the right one);
 *  - follow-up lines: those with a context item, scored the same way.
 */
import { z } from 'zod';
import type { Subject, TextUnderstanding } from './understand.js';
import { ASPECT_NAMES, INTENT_NAMES, targetKey } from './types.js';

const queryLine = z.object({
  text: z.string(),
  context: z.object({ item: z.string() }).optional(),
  expect: z.discriminatedUnion('type', [z.object({ type: z.literal('item'), code: z.string() }), z.object({ type: z.literal('intent'), name: z.enum(INTENT_NAMES) })]),
  aspect: z.enum(ASPECT_NAMES).nullable(),
});
export type AspectQuery = z.infer<typeof queryLine>;

/** True when the JSON lines carry aspect labels (the CLI picks this evaluation then). */
export function hasAspectLabels(source: string): boolean {
  const first = source.split('\n').find((line) => line.trim() !== '');
  return first !== undefined && 'aspect' in (JSON.parse(first) as object);
}

export function parseAspectQueries(source: string, file: string): AspectQuery[] {
  return source.split('\n').flatMap((line, i) => {
    if (line.trim() === '') return [];
    const parsed = queryLine.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${file}:${i + 1}: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message ?? 'invalid line'}`);
    return [parsed.data];
  });
}

function subjectKey(subject: Subject): string {
  switch (subject.kind) {
    case 'item':
      return `item:${subject.code}`;
    case 'intent':
      return `intent:${subject.name}`;
    case 'choose':
      return subject.candidates[0] === undefined ? 'none' : targetKey(subject.candidates[0]);
    case 'none':
      return 'none';
  }
}

export interface AspectReport {
  lines: number;
  followUps: number;
  aspectAccuracy: number;
  aspectRecall: number;
  aspectPrecision: number;
  subjectAccuracy: number;
  answeredRight: number;
  followUpAnsweredRight: number;
  perAspect: Record<string, { lines: number; accuracy: number }>;
  misses: Array<{ text: string; context?: string; expected: string; got: string }>;
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

export function evaluateAspects(understanding: TextUnderstanding, queries: readonly AspectQuery[]): AspectReport {
  let aspectRight = 0, expectedAspects = 0, detected = 0, detectedRight = 0, subjectRight = 0, bothRight = 0, followUps = 0, followUpRight = 0;
  const perAspect = new Map<string, { lines: number; right: number }>();
  const misses: AspectReport['misses'] = [];
  for (const query of queries) {
    const result = understanding.understand(query.text, query.context?.item);
    const aspect = result.subject.kind === 'intent' ? (result.aspect?.aspect ?? null) : (('aspect' in result.subject ? result.subject.aspect : undefined) ?? null);
    const expectedKey = query.expect.type === 'item' ? `item:${query.expect.code}` : `intent:${query.expect.name}`;
    const gotKey = subjectKey(result.subject);
    const aspectOk = aspect === query.aspect;
    const subjectOk = gotKey === expectedKey;
    if (aspectOk) aspectRight++;
    if (query.aspect !== null) expectedAspects++;
    if (aspect !== null) {
      detected++;
      if (aspectOk) detectedRight++;
    }
    if (subjectOk) subjectRight++;
    if (aspectOk && subjectOk) bothRight++;
    if (query.context) {
      followUps++;
      if (aspectOk && subjectOk) followUpRight++;
    }
    const bucket = perAspect.get(query.aspect ?? 'none') ?? { lines: 0, right: 0 };
    bucket.lines++;
    if (aspectOk && subjectOk) bucket.right++;
    perAspect.set(query.aspect ?? 'none', bucket);
    if (!(aspectOk && subjectOk)) {
      misses.push({ text: query.text, ...(query.context ? { context: query.context.item } : {}), expected: `${expectedKey} / ${query.aspect ?? 'none'}`, got: `${gotKey} / ${aspect ?? 'none'}` });
    }
  }
  return {
    lines: queries.length,
    followUps,
    aspectAccuracy: share(aspectRight, queries.length),
    aspectRecall: share(detectedRight, expectedAspects),
    aspectPrecision: share(detectedRight, detected),
    subjectAccuracy: share(subjectRight, queries.length),
    answeredRight: share(bothRight, queries.length),
    followUpAnsweredRight: share(followUpRight, followUps),
    perAspect: Object.fromEntries([...perAspect].sort().map(([name, { lines, right }]) => [name, { lines, accuracy: share(right, lines) }])),
    misses,
  };
}

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;

export function formatAspectReport(report: AspectReport): string {
  return [
    `lines ${report.lines} (follow-ups with a current item ${report.followUps})`,
    `answered right (item and aspect)  ${pct(report.answeredRight)}`,
    `  of follow-ups                   ${pct(report.followUpAnsweredRight)}`,
    `aspect accuracy                   ${pct(report.aspectAccuracy)}`,
    `aspect recall / precision         ${pct(report.aspectRecall)} / ${pct(report.aspectPrecision)}`,
    `subject accuracy                  ${pct(report.subjectAccuracy)}`,
    'answered right per aspect:',
    ...Object.entries(report.perAspect).map(([name, { lines, accuracy }]) => `  ${name.padEnd(12)} ${pct(accuracy).padStart(7)}  (${lines} lines)`),
    'misses (expected → got):',
    ...report.misses.map((miss) => `  「${miss.text}」${miss.context ? ` [on ${miss.context}]` : ''}  ${miss.expected} → ${miss.got}`),
  ].join('\n');
}

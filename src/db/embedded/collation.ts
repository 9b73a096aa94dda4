/**
 * Collation: string comparison by a locale's rules (ICU through Intl.Collator), as MongoDB applies
 * a command's `collation` or the collection's default one to query comparisons and sorts. The
 * `simple` locale, or none, compares strings by code points.
 */
import { compareValues } from './bsonOrder.js';
import { isPlainObject, type Doc } from './documents.js';
import { badValue } from './errors.js';

export type StringCompare = (a: string, b: string) => number;

const SENSITIVITY: Record<number, Intl.CollatorOptions['sensitivity']> = { 1: 'base', 2: 'accent' };
const collators = new Map<string, StringCompare>();

/** The string comparison a collation document asks for, or undefined for binary comparison. */
export function collatorFor(spec: unknown): StringCompare | undefined {
  if (spec === undefined || spec === null) return undefined;
  if (!isPlainObject(spec) || typeof spec.locale !== 'string') throw badValue("collation must be a document with a string 'locale'");
  if (spec.locale === 'simple') return undefined;
  const key = JSON.stringify(spec);
  let compare = collators.get(key);
  if (compare) return compare;
  const strength = Number(spec.strength ?? 3);
  const sensitivity = SENSITIVITY[strength] === 'base' && spec.caseLevel === true ? 'case' : (SENSITIVITY[strength] ?? 'variant');
  const caseFirst = spec.caseFirst === 'upper' || spec.caseFirst === 'lower' ? spec.caseFirst : undefined;
  const collator = new Intl.Collator(spec.locale.replace('_', '-'), { sensitivity, caseFirst, numeric: spec.numericOrdering === true, usage: 'sort' });
  compare = (a, b) => Math.sign(collator.compare(a, b));
  collators.set(key, compare);
  return compare;
}

/** The collation a command applies: its own, else the collection's default. */
export function effectiveCollation(command: Doc, collectionOptions: Doc | undefined): Doc | undefined {
  const given = command.collation ?? collectionOptions?.collation;
  return isPlainObject(given) ? given : undefined;
}

/** BSON order, with strings compared by `compareStrings` when a collation applies. */
export function compareCollated(a: unknown, b: unknown, compareStrings: StringCompare | undefined): number {
  if (compareStrings && typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  return compareValues(a, b);
}

/**
 * Positional paths: `$` (the array element the query matched), `$[]` (every element) and
 * `$[id]` (the elements an array filter selects), expanded into the concrete paths they name.
 * The same `$` resolution serves positional projections (`{'tags.$': 1}`).
 */
import { isPlainObject, type Doc } from '../documents.js';
import { badValue, failedToParse } from '../errors.js';
import { matcher } from '../matcher.js';
import { valueAt } from './paths.js';

const POSITIONAL_NOT_FOUND = 'The positional operator did not find the match needed from the query.';

/** Query clauses that must all hold: the filter's fields and those of its `$and`s. */
function conjuncts(filter: Doc, out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  for (const [field, condition] of Object.entries(filter)) {
    if (field === '$and' && Array.isArray(condition)) {
      for (const clause of condition) if (isPlainObject(clause)) conjuncts(clause, out);
    } else if (!field.startsWith('$')) out.push([field, condition]);
  }
  return out;
}

/** `{a: {b: [element]}}` for the array path `a.b`: a document whose array holds one element. */
function probe(arrayParts: string[], element: unknown): Doc {
  let value: unknown = [element];
  for (let i = arrayParts.length - 1; i >= 0; i--) value = { [arrayParts[i] as string]: value };
  return value as Doc;
}

/**
 * The index of the first element of the array at `arrayParts` that satisfies the query's
 * condition on that array, as MongoDB records it while matching; undefined when none does.
 */
export function matchedIndex(doc: Doc, filter: Doc, arrayParts: string[]): number | undefined {
  const array = valueAt(doc, arrayParts);
  if (!Array.isArray(array)) return undefined;
  const arrayPath = arrayParts.join('.');
  for (const [field, condition] of conjuncts(filter)) {
    if (field !== arrayPath && !field.startsWith(`${arrayPath}.`)) continue;
    const test = matcher({ [field]: condition });
    const index = array.findIndex((element) => test(probe(arrayParts, element)));
    if (index >= 0) return index;
  }
  return undefined;
}

export interface PositionalContext {
  doc: Doc;
  filter: Doc;
  /** Array filters by identifier, each with whether a path used it. */
  arrayFilters: Map<string, { test: (element: unknown) => boolean; used: boolean }>;
}

/** Array filters by the identifier their fields start with; each filter names exactly one. */
export function compileArrayFilters(arrayFilters: Doc[] | undefined): PositionalContext['arrayFilters'] {
  const compiled: PositionalContext['arrayFilters'] = new Map();
  for (const filter of arrayFilters ?? []) {
    if (!isPlainObject(filter)) throw failedToParse('arrayFilters must be an array of objects');
    const identifiers = new Set(Object.keys(filter).map((field) => field.split('.')[0] as string));
    const [identifier] = identifiers;
    if (identifiers.size !== 1 || identifier === undefined) {
      throw failedToParse('Error parsing array filter :: caused by :: Expected a single top-level field name');
    }
    if (compiled.has(identifier)) throw failedToParse(`Found multiple array filters with the same top-level field name ${identifier}`);
    const test = matcher(filter);
    compiled.set(identifier, { test: (element) => test({ [identifier]: element }), used: false });
  }
  return compiled;
}

/** Fails on an array filter that no path of the update used, like MongoDB. */
export function checkAllFiltersUsed(context: PositionalContext): void {
  for (const [identifier, filter] of context.arrayFilters) {
    if (!filter.used) throw failedToParse(`The array filter for identifier '${identifier}' was not used in the update`);
  }
}

export function isPositional(part: string): boolean {
  return part === '$' || (part.startsWith('$[') && part.endsWith(']'));
}

/** The concrete paths (no positional parts left) that `parts` names in the document. */
export function expandPath(parts: string[], context: PositionalContext): string[][] {
  const at = parts.findIndex(isPositional);
  if (at < 0) return [parts];
  const prefix = parts.slice(0, at);
  const part = parts[at] as string;
  if (part === '$') {
    const index = matchedIndex(context.doc, context.filter, prefix);
    if (index === undefined) throw badValue(POSITIONAL_NOT_FOUND);
    return expandPath([...prefix, String(index), ...parts.slice(at + 1)], context);
  }
  const identifier = part.slice(2, -1);
  const filter = identifier === '' ? undefined : context.arrayFilters.get(identifier);
  if (identifier !== '' && !filter) throw badValue(`No array filter found for identifier '${identifier}' in path '${parts.join('.')}'`);
  if (filter) filter.used = true;
  const array = prefix.length === 0 ? undefined : valueAt(context.doc, prefix);
  if (!Array.isArray(array)) {
    throw badValue(`The path '${prefix.join('.')}' must exist in the document in order to apply array updates.`);
  }
  const out: string[][] = [];
  array.forEach((element, index) => {
    if (filter && !filter.test(element)) return;
    out.push(...expandPath([...prefix, String(index), ...parts.slice(at + 1)], context));
  });
  return out;
}

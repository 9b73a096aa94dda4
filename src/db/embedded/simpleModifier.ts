/**
 * A fast path for the update documents the product sends most: `$set`, `$unset` and `$inc` of
 * plain top-level fields, without the general updater's path parsing, conflict checks and
 * positional resolution; anything beyond this narrow shape goes to `update/modifier.ts`.
 */
import { canonicalKey } from './bsonOrder.js';
import { cloneDocument, isPlainObject, type Doc } from './documents.js';

const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OPERATORS = new Set(['$set', '$unset', '$inc']);

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** Same BSON value and type, so that setting it again is not a modification. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (isPrimitive(a) || isPrimitive(b)) return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if ((a as object).constructor !== (b as object).constructor) return false;
  return canonicalKey(a) === canonicalKey(b);
}

/** True when `modifier` has only the shapes this fast path handles, each field named once. */
function isSimple(doc: Doc, modifier: Doc): boolean {
  const seen = new Set<string>();
  for (const [operator, fields] of Object.entries(modifier)) {
    if (!OPERATORS.has(operator) || !isPlainObject(fields)) return false;
    for (const [field, value] of Object.entries(fields)) {
      if (field === '_id' || field === '__proto__' || !PLAIN_FIELD.test(field) || seen.has(field)) return false;
      seen.add(field);
      if (operator === '$inc') {
        const current = doc[field];
        if (typeof value !== 'number' || (current !== undefined && typeof current !== 'number')) return false;
      }
    }
  }
  return seen.size > 0;
}

/**
 * Applies `modifier` to `doc` in place when it has the simple shape: whether anything changed,
 * or undefined (and `doc` untouched) when the general updater has to do it.
 */
export function applySimpleModifier(doc: Doc, modifier: Doc): boolean | undefined {
  if (!isSimple(doc, modifier)) return undefined;
  // MongoDB writes an update's fields in name order, which is the order new fields appear in.
  const writes = Object.entries(modifier as Record<string, Doc>)
    .flatMap(([operator, fields]) => Object.entries(fields).map(([field, value]) => ({ operator, field, value })))
    .sort((a, b) => (a.field < b.field ? -1 : 1));
  let modified = false;
  for (const { operator, field, value } of writes) {
    const current = doc[field];
    if (operator === '$set') {
      if (current !== undefined && sameValue(current, value)) continue;
      doc[field] = cloneDocument(value);
    } else if (operator === '$unset') {
      if (!Object.hasOwn(doc, field)) continue;
      delete doc[field];
    } else {
      if (current !== undefined && value === 0) continue;
      doc[field] = ((current as number | undefined) ?? 0) + (value as number);
    }
    modified = true;
  }
  return modified;
}

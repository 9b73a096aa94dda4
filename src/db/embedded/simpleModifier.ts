/**
 * A fast path for the update documents the product sends most: `$set`, `$unset` and `$inc` of
 * plain top-level fields. mingo's updater rebuilds its operator tables on every call, which cost
 * more than the rest of a small write; anything beyond this narrow shape still goes to mingo.
 */
import { canonicalKey } from './bsonOrder.js';
import { cloneDocument, isPlainObject, type Doc } from './documents.js';

const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const OPERATORS = new Set(['$set', '$unset', '$inc']);

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** Same BSON value and type, so that setting it again is not a modification. */
function sameValue(a: unknown, b: unknown): boolean {
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
      if (field === '_id' || !PLAIN_FIELD.test(field) || seen.has(field)) return false;
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
 * or undefined (and `doc` untouched) when mingo has to do it.
 */
export function applySimpleModifier(doc: Doc, modifier: Doc): boolean | undefined {
  if (!isSimple(doc, modifier)) return undefined;
  let modified = false;
  for (const [operator, fields] of Object.entries(modifier) as Array<[string, Doc]>) {
    for (const [field, value] of Object.entries(fields)) {
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
  }
  return modified;
}

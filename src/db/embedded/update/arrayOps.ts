/**
 * The update operators on arrays: $push (with $each, $position, $slice, $sort), $addToSet,
 * $pop, $pull and $pullAll. A field that exists but is not an array is an error, as in MongoDB.
 */
import { canonicalKey, compareValues } from '../bsonOrder.js';
import { cloneDocument, isPlainObject, valuesAtPath, type Doc } from '../documents.js';
import { badValue, typeMismatch } from '../errors.js';
import { matcher } from '../matcher.js';
import { writeValue, type FieldOperator } from './fieldOps.js';
import { describe, getField, parentForRead } from './paths.js';

const PUSH_MODIFIERS = new Set(['$each', '$position', '$slice', '$sort']);

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (isPlainObject(value)) return 'object';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'double';
  return typeof value === 'object' ? (value.constructor?.name ?? 'object').toLowerCase() : typeof value;
}

/** The array at the path (undefined when missing); anything else there is refused. */
function currentArray(doc: Doc, parts: string[]): unknown[] | undefined {
  const parent = parentForRead(doc, parts);
  const current = parent === undefined ? undefined : getField(parent, parts[parts.length - 1] as string);
  if (current === undefined || Array.isArray(current)) return current;
  throw badValue(`The field '${parts.join('.')}' must be an array but is of type ${typeName(current)} in document {_id: ${describe(doc._id)}}`);
}

function integer(value: unknown, what: string): number {
  const number = Number(value);
  if (typeof value === 'object' || !Number.isInteger(number)) throw badValue(`The value for ${what} must be an integer value but was given type: ${typeName(value)}`);
  return number;
}

function sortElements(items: unknown[], spec: unknown): unknown[] {
  if (spec === 1 || spec === -1) return [...items].sort((a, b) => compareValues(a, b) * spec);
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) throw badValue('The $sort is invalid: use 1/-1 to sort the whole element, or {field:1/-1} to sort embedded fields');
  const keys = Object.entries(spec) as Array<[string, number]>;
  const key = (item: unknown, path: string): unknown => (isPlainObject(item) ? valuesAtPath(item, path)[0] : undefined);
  return [...items].sort((a, b) => {
    for (const [path, direction] of keys) {
      const order = compareValues(key(a, path), key(b, path));
      if (order !== 0) return direction < 0 ? -order : order;
    }
    return 0;
  });
}

export const $push: FieldOperator = (doc, parts, argument, state) => {
  const current = currentArray(doc, parts) ?? [];
  const withModifiers = isPlainObject(argument) && '$each' in argument;
  if (isPlainObject(argument) && !withModifiers && Object.keys(argument).some((key) => PUSH_MODIFIERS.has(key))) {
    throw badValue('$each term needs to occur before any other modifiers ($position, $slice, $sort)');
  }
  const spec = withModifiers ? argument : { $each: [argument] };
  for (const key of Object.keys(spec)) if (!PUSH_MODIFIERS.has(key)) throw badValue(`Unrecognized clause in $push: ${key}`);
  if (!Array.isArray(spec.$each)) throw badValue(`The argument to $each in $push must be an array but it was of type: ${typeName(spec.$each)}`);
  let next = [...current];
  const items = cloneDocument(spec.$each);
  if (spec.$position === undefined) next.push(...items);
  else {
    let at = integer(spec.$position, '$position');
    if (at < 0) at = Math.max(0, next.length + at);
    next.splice(at, 0, ...items);
  }
  if (spec.$sort !== undefined) next = sortElements(next, spec.$sort);
  if (spec.$slice !== undefined) {
    const slice = integer(spec.$slice, '$slice');
    next = slice >= 0 ? next.slice(0, slice) : next.slice(Math.max(0, next.length + slice));
  }
  writeValue(doc, parts, next, state);
};

export const $addToSet: FieldOperator = (doc, parts, argument, state) => {
  const current = currentArray(doc, parts) ?? [];
  const withEach = isPlainObject(argument) && '$each' in argument;
  if (withEach && !Array.isArray(argument.$each)) throw badValue(`The argument to $each in $addToSet must be an array but it was of type ${typeName(argument.$each)}`);
  const items = withEach ? (argument.$each as unknown[]) : [argument];
  const present = new Set(current.map(canonicalKey));
  const next = [...current];
  for (const item of items) {
    const key = canonicalKey(item);
    if (present.has(key)) continue;
    present.add(key);
    next.push(cloneDocument(item));
  }
  writeValue(doc, parts, next, state);
};

export const $pop: FieldOperator = (doc, parts, argument, state) => {
  if (argument !== 1 && argument !== -1) throw badValue(`$pop expects 1 or -1, found: ${describe(argument)}`);
  const parent = parentForRead(doc, parts);
  const current = parent === undefined ? undefined : getField(parent, parts[parts.length - 1] as string);
  if (current === undefined) return;
  if (!Array.isArray(current)) throw typeMismatch(`Path '${parts.join('.')}' contains an element of non-array type '${typeName(current)}'`);
  if (current.length === 0) return;
  writeValue(doc, parts, argument === 1 ? current.slice(0, -1) : current.slice(1), state);
};

/**
 * Which elements `$pull` removes: a document of fields (or `$and`/`$or`/`$nor`) is a query on
 * each embedded document; operators alone (`{$gte: 6}`) test the element itself; any other
 * value is compared for equality.
 */
function pullTest(condition: unknown): (element: unknown) => boolean {
  if (!isPlainObject(condition) || condition instanceof RegExp) {
    const key = canonicalKey(condition);
    if (condition instanceof RegExp) return (element) => typeof element === 'string' && condition.test(element);
    return (element) => canonicalKey(element) === key;
  }
  const keys = Object.keys(condition);
  const onElement = keys.length > 0 && keys.every((key) => key.startsWith('$') && !['$and', '$or', '$nor'].includes(key));
  if (onElement) {
    const test = matcher({ element: condition });
    return (element) => test({ element });
  }
  const test = matcher(condition);
  return (element) => isPlainObject(element) && test(element);
}

function removeWhere(doc: Doc, parts: string[], state: Parameters<FieldOperator>[3], remove: (element: unknown) => boolean): void {
  const parent = parentForRead(doc, parts);
  const current = parent === undefined ? undefined : getField(parent, parts[parts.length - 1] as string);
  if (current === undefined) return;
  if (!Array.isArray(current)) throw badValue('Cannot apply $pull to a non-array value');
  const kept = current.filter((element) => !remove(element));
  if (kept.length !== current.length) writeValue(doc, parts, kept, state);
}

export const $pull: FieldOperator = (doc, parts, argument, state) => removeWhere(doc, parts, state, pullTest(argument));

export const $pullAll: FieldOperator = (doc, parts, argument, state) => {
  if (!Array.isArray(argument)) throw badValue(`$pullAll requires an array argument but was given a ${typeName(argument)}`);
  const keys = new Set(argument.map(canonicalKey));
  removeWhere(doc, parts, state, (element) => keys.has(canonicalKey(element)));
};

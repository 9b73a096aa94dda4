/**
 * The update operators that write one field: $set, $unset, $inc, $mul, $min, $max,
 * $currentDate, $bit and $rename's two halves. Each gets the concrete path (positional parts
 * already resolved) and records whether the document changed.
 */
import { Decimal128, Double, Int32, Long, Timestamp } from 'bson';
import { compareValues } from '../bsonOrder.js';
import { cloneDocument, isPlainObject, type Doc } from '../documents.js';
import { badValue, typeMismatch } from '../errors.js';
import { sameValue } from '../simpleModifier.js';
import { describe, getField, isIndex, parentForRead, parentForWrite, pathNotViable, setField } from './paths.js';

export interface ApplyState {
  modified: boolean;
}

export type FieldOperator = (doc: Doc, parts: string[], argument: unknown, state: ApplyState) => void;

const last = (parts: string[]): string => parts[parts.length - 1] as string;

/** Writes `value` at the path, creating embedded documents on the way. */
export function writeValue(doc: Doc, parts: string[], value: unknown, state: ApplyState): void {
  const parent = parentForWrite(doc, parts);
  const field = last(parts);
  if (Array.isArray(parent) && !isIndex(field)) {
    throw pathNotViable(`Cannot create field '${field}' in element {${parts[parts.length - 2] ?? ''}: ${describe(parent)}}`);
  }
  const current = getField(parent, field);
  if (current !== undefined && sameValue(current, value)) return;
  setField(parent, field, cloneDocument(value));
  state.modified = true;
}

export const $set: FieldOperator = (doc, parts, value, state) => writeValue(doc, parts, value, state);

export const $unset: FieldOperator = (doc, parts, _argument, state) => {
  const parent = parentForRead(doc, parts);
  if (parent === undefined) return;
  const field = last(parts);
  if (Array.isArray(parent)) {
    // An array element is not removed but set to null, so the other elements keep their positions.
    if (!isIndex(field) || Number(field) >= parent.length || parent[Number(field)] === null) return;
    parent[Number(field)] = null;
  } else {
    if (!Object.hasOwn(parent, field)) return;
    delete parent[field];
  }
  state.modified = true;
};

type Numeric = number | bigint | Long | Int32 | Double | Decimal128;

export function isNumeric(value: unknown): value is Numeric {
  return (
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    value instanceof Long ||
    value instanceof Int32 ||
    value instanceof Double ||
    value instanceof Decimal128
  );
}

function asNumber(value: Numeric): number {
  if (value instanceof Decimal128) return Number(value.toString());
  if (value instanceof Long) return value.toNumber();
  return Number(value);
}

function asBigInt(value: Numeric): bigint | undefined {
  if (typeof value === 'bigint') return value;
  if (value instanceof Long) return value.toBigInt();
  const number = asNumber(value);
  return Number.isInteger(number) ? BigInt(number) : undefined;
}

const isLong = (value: Numeric): boolean => typeof value === 'bigint' || value instanceof Long;

/** a + b or a * b with MongoDB's type promotion: Decimal128 > double > long > int. */
function arithmetic(a: Numeric, b: Numeric, operation: 'add' | 'multiply'): unknown {
  const apply = operation === 'add' ? (x: number, y: number) => x + y : (x: number, y: number) => x * y;
  if (a instanceof Decimal128 || b instanceof Decimal128) return Decimal128.fromString(String(apply(asNumber(a), asNumber(b))));
  if (isLong(a) || isLong(b)) {
    const x = asBigInt(a);
    const y = asBigInt(b);
    if (x !== undefined && y !== undefined) return Long.fromBigInt(operation === 'add' ? x + y : x * y);
  }
  const result = apply(asNumber(a), asNumber(b));
  // A double operand makes a double result, which a whole number would not stay when encoded.
  const isDouble = (value: Numeric): boolean => value instanceof Double || (typeof value === 'number' && !Number.isInteger(value));
  return Number.isInteger(result) && (isDouble(a) || isDouble(b)) ? new Double(result) : result;
}

function arithmeticOperator(name: '$inc' | '$mul', operation: 'add' | 'multiply'): FieldOperator {
  const verb = name === '$inc' ? 'increment' : 'multiply';
  return (doc, parts, argument, state) => {
    if (!isNumeric(argument)) {
      throw typeMismatch(`Cannot ${verb} with non-numeric argument: {${parts.join('.')}: ${describe(argument)}}`);
    }
    const parent = parentForRead(doc, parts);
    const current = parent === undefined ? undefined : getField(parent, last(parts));
    if (current === undefined) {
      writeValue(doc, parts, operation === 'add' ? argument : arithmetic(0, argument, 'multiply'), state);
      return;
    }
    if (!isNumeric(current)) {
      throw typeMismatch(
        `Cannot apply ${name} to a value of non-numeric type. {_id: ${describe(doc._id)}} has the field '${last(parts)}' of non-numeric type ${typeof current === 'object' ? (current === null ? 'null' : 'object') : typeof current}`,
      );
    }
    writeValue(doc, parts, arithmetic(current, argument, operation), state);
  };
}

export const $inc = arithmeticOperator('$inc', 'add');
export const $mul = arithmeticOperator('$mul', 'multiply');

function bound(keepWhen: (order: number) => boolean): FieldOperator {
  return (doc, parts, argument, state) => {
    const parent = parentForRead(doc, parts);
    const current = parent === undefined ? undefined : getField(parent, last(parts));
    if (current === undefined || keepWhen(compareValues(argument, current))) writeValue(doc, parts, argument, state);
  };
}

export const $min = bound((order) => order < 0);
export const $max = bound((order) => order > 0);

export const $currentDate: FieldOperator = (doc, parts, argument, state) => {
  const type = isPlainObject(argument) ? argument.$type : argument === true ? 'date' : undefined;
  if (type === 'date') writeValue(doc, parts, new Date(), state);
  else if (type === 'timestamp') writeValue(doc, parts, new Timestamp({ t: Math.floor(Date.now() / 1000), i: 1 }), state);
  else throw badValue(`${describe(argument)} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({$type: 'timestamp/date'}).`);
};

export const $bit: FieldOperator = (doc, parts, argument, state) => {
  if (!isPlainObject(argument) || Object.keys(argument).length === 0) {
    throw badValue(`The $bit modifier is not compatible with a ${typeof argument}. You must pass in an embedded document: {$bit: {field: {and/or/xor: #}}`);
  }
  const parent = parentForRead(doc, parts);
  let value: unknown = parent === undefined ? undefined : getField(parent, last(parts));
  value ??= 0;
  for (const [operation, operand] of Object.entries(argument)) {
    const x = isNumeric(value) ? asBigInt(value) : undefined;
    const y = isNumeric(operand) ? asBigInt(operand) : undefined;
    if (x === undefined || y === undefined) throw badValue(`The $bit modifier field must be an Integer(32/64 bit); a '${typeof operand}' is not supported here`);
    const result = operation === 'and' ? x & y : operation === 'or' ? x | y : operation === 'xor' ? x ^ y : undefined;
    if (result === undefined) throw badValue(`The $bit modifier only supports 'and', 'or', and 'xor', not '${operation}'`);
    value = isLong(value as Numeric) || isLong(operand as Numeric) ? Long.fromBigInt(result) : Number(BigInt.asIntN(32, result));
  }
  writeValue(doc, parts, value, state);
};

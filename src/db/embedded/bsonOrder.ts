/**
 * The BSON comparison order MongoDB uses for sorting and index keys, plus a canonical string per
 * value so equal values (1 and 1.0, two ObjectId instances with the same bytes) share one key.
 */
import { Binary, Decimal128, Double, Int32, Long, MaxKey, MinKey, ObjectId, Timestamp } from 'bson';

/** Rank of each BSON type class in MongoDB's cross-type order. */
export function typeRank(value: unknown): number {
  if (value === undefined || value === null) return 2;
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return 3;
    case 'string':
      return 4;
    case 'boolean':
      return 9;
    default:
      break;
  }
  if (value instanceof MinKey) return 1;
  if (value instanceof MaxKey) return 13;
  if (value instanceof Long || value instanceof Int32 || value instanceof Double || value instanceof Decimal128) return 3;
  if (Array.isArray(value)) return 6;
  if (value instanceof Binary || value instanceof Uint8Array) return 7;
  if (value instanceof ObjectId) return 8;
  if (value instanceof Date) return 10;
  if (value instanceof Timestamp) return 11;
  if (value instanceof RegExp) return 12;
  return 5;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Long) return value.toNumber();
  if (value instanceof Int32 || value instanceof Double) return value.valueOf();
  if (value instanceof Decimal128) return Number(value.toString());
  return Number.NaN;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  for (let i = 0; i < a.length; i++) {
    const left = a[i] as number;
    const right = b[i] as number;
    if (left !== right) return left < right ? -1 : 1;
  }
  return 0;
}

function sign(n: number): number {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

function compareObjects(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  for (let i = 0; i < Math.min(keysA.length, keysB.length); i++) {
    const valueOrder = compareValues(a[keysA[i] as string], b[keysB[i] as string]);
    if (valueOrder !== 0) return valueOrder;
    const keyOrder = (keysA[i] as string).localeCompare(keysB[i] as string);
    if (keyOrder !== 0) return sign(keyOrder);
  }
  return sign(keysA.length - keysB.length);
}

function compareArrays(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareValues(a[i], b[i]);
    if (order !== 0) return order;
  }
  return sign(a.length - b.length);
}

/** Compares two values in BSON order; -1, 0 or 1. */
export function compareValues(a: unknown, b: unknown): number {
  const rankA = typeRank(a);
  const rankB = typeRank(b);
  if (rankA !== rankB) return rankA < rankB ? -1 : 1;
  switch (rankA) {
    case 3: {
      const x = toNumber(a);
      const y = toNumber(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : -1) : 1;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 4:
      return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    case 5:
      return compareObjects(a as Record<string, unknown>, b as Record<string, unknown>);
    case 6:
      return compareArrays(a as unknown[], b as unknown[]);
    case 7:
      return compareBinary(a, b);
    case 8:
      return compareBytes((a as ObjectId).id, (b as ObjectId).id);
    case 9:
      return a === b ? 0 : a ? 1 : -1;
    case 10:
      return sign((a as Date).getTime() - (b as Date).getTime());
    case 11:
      return (a as Timestamp).compare(b as Timestamp);
    case 12:
      return sign(String(a).localeCompare(String(b)));
    default:
      return 0;
  }
}

function bytesOf(value: unknown): Uint8Array {
  return value instanceof Binary ? value.buffer : (value as Uint8Array);
}

const subtypeOf = (value: unknown): number => (value instanceof Binary ? value.sub_type : 0);

/** Binary data in MongoDB's order: by length, then subtype, then bytes. */
function compareBinary(a: unknown, b: unknown): number {
  const left = bytesOf(a);
  const right = bytesOf(b);
  if (left.length !== right.length) return left.length < right.length ? -1 : 1;
  const subtypes = sign(subtypeOf(a) - subtypeOf(b));
  return subtypes !== 0 ? subtypes : compareBytes(left, right);
}

/** A string that is equal for exactly the values MongoDB considers equal (for Map keys). */
export function canonicalKey(value: unknown): string {
  const rank = typeRank(value);
  switch (rank) {
    case 2:
      return 'z';
    case 3:
      return value instanceof Long ? `n${value.toString()}` : `n${toNumber(value)}`;
    case 4:
      return `s${JSON.stringify(value)}`;
    case 8:
      return `o${(value as ObjectId).toHexString()}`;
    case 9:
      return value ? 'T' : 'F';
    case 10:
      return `d${(value as Date).getTime()}`;
    case 5:
      return `{${Object.entries(value as Record<string, unknown>)
        .map(([k, v]) => `${JSON.stringify(k)}:${canonicalKey(v)}`)
        .join(',')}}`;
    case 6:
      return `[${(value as unknown[]).map(canonicalKey).join(',')}]`;
    case 7: {
      // Subtype 0 keeps the key it always had, so stored generic-binary _ids keep theirs.
      const subtype = subtypeOf(value);
      return `b${subtype === 0 ? '' : `${subtype}:`}${Buffer.from(bytesOf(value)).toString('base64')}`;
    }
    default:
      return `${rank}:${String(value)}`;
  }
}

/** The BSON type number a value is stored as. */
export function bsonType(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (value === null) return 10;
  if (typeof value === 'number') return Number.isInteger(value) && value >= -(2 ** 31) && value < 2 ** 31 ? 16 : 1;
  if (typeof value === 'bigint' || value instanceof Long) return 18;
  if (typeof value === 'string') return 2;
  if (typeof value === 'boolean') return 8;
  if (Array.isArray(value)) return 4;
  if (value instanceof Int32) return 16;
  if (value instanceof Double) return 1;
  if (value instanceof Decimal128) return 19;
  if (value instanceof Binary || value instanceof Uint8Array) return 5;
  if (value instanceof ObjectId) return 7;
  if (value instanceof Date) return 9;
  if (value instanceof RegExp) return 11;
  if (value instanceof Timestamp) return 17;
  if (value instanceof MinKey) return -1;
  if (value instanceof MaxKey) return 127;
  return 3;
}

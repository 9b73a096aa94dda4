/**
 * Decoding BSON so that a document keeps its number types when it is encoded again. bson's
 * default decoding turns int32, int64 and double all into JS numbers, and encoding a number picks
 * int32 for any integer that fits: a double 5.0 or an int64 5 came back as an int32 5. Here an
 * int32 and a double with a fraction (or beyond int32) become numbers, which encode as they were;
 * an integral double stays a `Double` and an int64 a `Long`. Query, sort, index and update code
 * compare those by value (bsonOrder.ts, queryOperators.ts); mingo's aggregation gets plain
 * numbers (`plainNumbers`).
 */
import { deserialize, Double, Int32, Long, serialize } from 'bson';
import type { Doc } from './documents.js';

/** The largest document MongoDB stores. */
export const MAX_BSON_SIZE = 16 * 1024 * 1024;

/** How deeply MongoDB lets a stored document nest objects and arrays. */
export const MAX_STORED_DEPTH = 100;

/**
 * Whether `value` nests objects or arrays more than `limit` levels below the top document.
 * Every later walk over a stored document (matching, index keys, updates) recurses, so a
 * document nested thousands deep is refused here rather than overflowing a stack there.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== 'object' || !(Array.isArray(value) || isPlainContainer(value))) return false;
  if (limit < 0) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (nestsDeeperThan(child, limit - 1)) return true;
  }
  return false;
}

function isPlainContainer(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function decodedNumber(value: Int32 | Double): number | Double {
  const number = value.value;
  if (value instanceof Int32) return number;
  return Number.isInteger(number) && number >= -(2 ** 31) && number < 2 ** 31 ? value : number;
}

/** Replaces, in place, every value `convert` maps to something else; returns the container. */
function mapValues<T>(container: T, convert: (value: object) => unknown, skipped?: ReadonlySet<string>): T {
  if (Array.isArray(container)) {
    for (let i = 0; i < container.length; i++) {
      const item: unknown = container[i];
      if (item !== null && typeof item === 'object') container[i] = convert(item);
    }
    return container;
  }
  const doc = container as Doc;
  for (const key of Object.keys(doc)) {
    if (skipped?.has(key)) continue;
    const item = doc[key];
    if (item === null || typeof item !== 'object') continue;
    const next = convert(item);
    if (next === item) continue;
    // A field named __proto__ is data; assigned, it would replace the object's prototype.
    if (key === '__proto__') Object.defineProperty(doc, key, { value: next, enumerable: true, writable: true, configurable: true });
    else doc[key] = next;
  }
  return container;
}

function typedNumbers(value: object): unknown {
  if (value instanceof Int32 || value instanceof Double) return decodedNumber(value);
  if (Array.isArray(value) || isPlainContainer(value)) return mapValues(value, typedNumbers);
  return value;
}

/** The document encoded in `bytes`, its number types kept. */
export function decodeDocument(bytes: Uint8Array): Doc {
  return mapValues(deserialize(bytes, { promoteValues: false }), typedNumbers);
}

function plainNumber(value: object): unknown {
  if (value instanceof Double) return value.value;
  if (value instanceof Long) {
    const number = value.toNumber();
    return Number.isSafeInteger(number) ? number : value;
  }
  if (Array.isArray(value) || isPlainContainer(value)) return mapValues(value, plainNumber);
  return value;
}

/** `docs` with `Double` and safe `Long` values as plain numbers, in place, for mingo's arithmetic. */
export function plainNumbers(docs: Doc[]): Doc[] {
  return mapValues(docs, plainNumber);
}

/** One document's `Double` and safe `Long` values as plain numbers, in place, except in `skipped` fields. */
export function plainNumbersOf(doc: Doc, skipped?: ReadonlySet<string>): Doc {
  return mapValues(doc, plainNumber, skipped);
}

/**
 * The document's BSON in memory of its own, or `tooLarge` thrown past MAX_BSON_SIZE. bson's
 * serialize returns small results as slices of Node's shared 8 KB buffer pool; kept for as long
 * as the document lives, such a slice would keep its whole slab (and whatever else was cut from
 * it) alive.
 */
export function encodeDocument(doc: Doc, tooLarge: (size: number) => Error): Uint8Array {
  const bytes = serialize(doc);
  if (bytes.length > MAX_BSON_SIZE) throw tooLarge(bytes.length);
  return new Uint8Array(bytes);
}

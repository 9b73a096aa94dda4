/** Plain helpers over documents as commands and updates handle them (deserialized objects). */
export type Doc = Record<string, unknown>;

function isPlainObject(value: unknown): value is Doc {
  if (value === null || typeof value !== 'object') return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Deep-copies plain objects and arrays; BSON values (ObjectId, Date, Binary, ...) are shared,
 * since nothing mutates them. Used where a document is still needed as it was after code that
 * mutates has had it (an update keeps the previous document to move its index entries).
 */
export function cloneDocument<T>(value: T): T {
  if (Array.isArray(value)) return value.map((item: unknown) => cloneDocument(item)) as T;
  if (isPlainObject(value)) {
    const copy: Doc = {};
    for (const key of Object.keys(value)) {
      // A field named __proto__ is data: assigned, it would replace the copy's prototype instead.
      if (key === '__proto__') Object.defineProperty(copy, key, { value: cloneDocument(value[key]), enumerable: true, writable: true, configurable: true });
      else copy[key] = cloneDocument(value[key]);
    }
    return copy as T;
  }
  return value;
}

/** True for a document whose every top-level key is an operator such as $set. */
export function isOperatorDocument(value: Doc): boolean {
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

export { isPlainObject };

/**
 * The values an index sees at a dotted path: arrays along the way are traversed, and a missing
 * field yields [undefined] (indexed as null, like MongoDB).
 */
export function valuesAtPath(doc: unknown, path: string): unknown[] {
  const out: unknown[] = [];
  collect(doc, path.split('.'), 0, out);
  return out.length === 0 ? [undefined] : out;
}

function collect(value: unknown, parts: string[], depth: number, out: unknown[]): void {
  if (depth === parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) out.push(undefined);
      else out.push(...value);
    } else out.push(value);
    return;
  }
  if (Array.isArray(value)) {
    const part = parts[depth] as string;
    if (/^\d+$/.test(part)) {
      collect(value[Number(part)], parts, depth + 1, out);
      return;
    }
    for (const item of value) collect(item, parts, depth, out);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const next = (value as Doc)[parts[depth] as string];
  if (next === undefined) return;
  collect(next, parts, depth + 1, out);
}

/** The value at a dotted path without array traversal (for keyValue in error messages). */
export function valueAtPath(doc: unknown, path: string): unknown {
  let value = doc;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Doc)[part];
  }
  return value;
}

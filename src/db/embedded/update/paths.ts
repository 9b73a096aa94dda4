/**
 * Update paths: reading and writing fields along a dotted path the way MongoDB's update operators
 * do, and the order and conflicts between the paths of one update.
 * Field names are data, never object machinery: a field called `__proto__` is an own property
 * like any other, so a stored document can never change its prototype.
 */
import { EJSON } from 'bson';
import { isPlainObject, type Doc } from '../documents.js';
import { CommandError } from '../errors.js';

export type Container = Doc | unknown[];

export const pathNotViable = (message: string): CommandError => new CommandError(28, 'PathNotViable', message);
export const conflictingUpdate = (path: string, at: string): CommandError =>
  new CommandError(40, 'ConflictingUpdateOperators', `Updating the path '${path}' would create a conflict at '${at}'`);

/** A value as MongoDB's messages render it (extended JSON, cut short). */
export function describe(value: unknown): string {
  try {
    const text = EJSON.stringify(value, { relaxed: true });
    return text.length > 200 ? `${text.slice(0, 200)}...` : text;
  } catch {
    return String(value);
  }
}

export function isIndex(part: string): boolean {
  return /^\d+$/.test(part);
}

/** The field's own value (undefined when absent, whatever the prototype holds). */
export function getField(container: Container, part: string): unknown {
  if (Array.isArray(container)) return isIndex(part) ? container[Number(part)] : undefined;
  return Object.hasOwn(container, part) ? container[part] : undefined;
}

/** Sets a field as an own, enumerable property; an array index past the end pads with nulls. */
export function setField(container: Container, part: string, value: unknown): void {
  if (Array.isArray(container)) {
    const index = Number(part);
    while (container.length < index) container.push(null);
    container[index] = value;
  } else if (part === '__proto__') {
    Object.defineProperty(container, part, { value, enumerable: true, writable: true, configurable: true });
  } else container[part] = value;
}

export function isContainer(value: unknown): value is Container {
  return Array.isArray(value) || isPlainObject(value);
}

/**
 * The container holding the path's last field, creating missing embedded documents on the way
 * (for operators that write). A path through a scalar, or a field name on an array, cannot be
 * created: PathNotViable, as MongoDB answers.
 */
export function parentForWrite(doc: Doc, parts: string[]): Container {
  let container: Container = doc;
  for (let depth = 0; depth < parts.length - 1; depth++) {
    const part = parts[depth] as string;
    if (Array.isArray(container) && !isIndex(part)) {
      throw pathNotViable(`Cannot create field '${part}' in element {${parts[depth - 1] ?? ''}: ${describe(container)}}`);
    }
    let next = getField(container, part);
    if (next === undefined) {
      next = {};
      setField(container, part, next);
    } else if (!isContainer(next)) {
      throw pathNotViable(`Cannot create field '${parts[depth + 1] ?? ''}' in element {${part}: ${describe(next)}}`);
    }
    container = next as Container;
  }
  return container;
}

/** The container holding the path's last field when the whole way exists, else undefined. */
export function parentForRead(doc: Doc, parts: string[]): Container | undefined {
  let container: Container = doc;
  for (let depth = 0; depth < parts.length - 1; depth++) {
    const next = getField(container, parts[depth] as string);
    if (!isContainer(next)) return undefined;
    container = next;
  }
  return container;
}

export function valueAt(doc: Doc, parts: string[]): unknown {
  const parent = parentForRead(doc, parts);
  return parent === undefined ? undefined : getField(parent, parts[parts.length - 1] as string);
}

/**
 * MongoDB applies an update's fields in path order (numeric names in numeric order, others
 * lexicographically), whatever order the operators named them in: new fields appear that way.
 */
export function comparePaths(a: string[], b: string[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const left = a[i] as string;
    const right = b[i] as string;
    if (left === right) continue;
    if (isIndex(left) && isIndex(right)) return Number(left) - Number(right);
    return left < right ? -1 : 1;
  }
  return a.length - b.length;
}

/**
 * Refuses two paths of one update where one is the other or lies inside it, as MongoDB does
 * (ConflictingUpdateOperators). Positional parts count as written: `a.$.x` and `a.$.y` are apart.
 */
export function checkConflicts(paths: string[]): void {
  const seen = new Set<string>();
  for (const path of paths) {
    if (seen.has(path)) throw conflictingUpdate(path, path);
    seen.add(path);
  }
  for (const path of paths) {
    const parts = path.split('.');
    for (let length = 1; length < parts.length; length++) {
      const prefix = parts.slice(0, length).join('.');
      if (seen.has(prefix)) throw conflictingUpdate(path, prefix);
    }
  }
}

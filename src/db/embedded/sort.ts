/**
 * In-memory sorts in MongoDB's order: BSON type order across types, an array field sorting by
 * its smallest element ascending and its largest descending, a missing field as null.
 */
import { compareCollated, type StringCompare } from './collation.js';
import { valuesAtPath, type Doc } from './documents.js';
import type { SortSpec } from './planner.js';

function sortKey(doc: Doc, path: string, direction: number, compareStrings: StringCompare | undefined): unknown {
  const values = valuesAtPath(doc, path).map((value) => (value === undefined ? null : value));
  let key = values[0];
  for (const value of values) {
    const order = compareCollated(value, key, compareStrings);
    if (direction > 0 ? order < 0 : order > 0) key = value;
  }
  return key;
}

/**
 * `docs` sorted by `spec` (a stable sort, so ties keep their order); `$meta` keys are ignored.
 * With `compareStrings` (a collation), strings compare by it.
 */
export function sortDocuments(docs: Doc[], spec: SortSpec, compareStrings?: StringCompare): Doc[] {
  const keys = Object.entries(spec)
    .filter(([, direction]) => typeof direction === 'number' || typeof direction === 'boolean')
    .map(([path, direction]) => ({ path, direction: Number(direction) < 0 ? -1 : 1 }));
  if (keys.length === 0) return docs;
  const rows = docs.map((doc) => ({ doc, values: keys.map(({ path, direction }) => sortKey(doc, path, direction, compareStrings)) }));
  rows.sort((a, b) => {
    for (let i = 0; i < keys.length; i++) {
      const order = compareCollated(a.values[i], b.values[i], compareStrings);
      if (order !== 0) return order * (keys[i] as { direction: number }).direction;
    }
    return 0;
  });
  return rows.map((row) => row.doc);
}

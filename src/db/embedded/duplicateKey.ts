/** The E11000 error exactly as MongoDB words it, so drivers and mongoose treat it as usual. */
import { ObjectId } from 'bson';
import { CommandError } from './errors.js';
import type { Doc } from './documents.js';

function shellValue(value: unknown): string {
  if (value instanceof ObjectId) return `ObjectId('${value.toHexString()}')`;
  if (value instanceof Date) return `new Date(${value.getTime()})`;
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') {
    if (Array.isArray(value)) return `[ ${value.map(shellValue).join(', ')} ]`;
    const fields = Object.entries(value as Doc).map(([key, inner]) => `${key}: ${shellValue(inner)}`);
    return `{ ${fields.join(', ')} }`;
  }
  return String(value);
}

export function duplicateKeyError(ns: string, indexName: string, keyPattern: Doc, keyValue: Doc): CommandError {
  const shown = Object.entries(keyValue)
    .map(([key, value]) => `${key}: ${shellValue(value)}`)
    .join(', ');
  return new CommandError(
    11000,
    'DuplicateKey',
    `E11000 duplicate key error collection: ${ns} index: ${indexName} dup key: { ${shown} }`,
    { keyPattern, keyValue },
  );
}

/** What every command handler gets: the store, open cursors, and the database it runs in. */
import type { Logger } from 'pino';
import type { CursorRegistry } from '../cursors.js';
import type { Doc } from '../documents.js';
import type { Store } from '../store.js';
import { typeMismatch } from '../errors.js';

export interface ServerInfo {
  connectionId: number;
  startedAt: number;
  host: string;
  port: number;
  /** The TTL monitor's sweep interval, which setParameter's ttlMonitorSleepSecs sets. */
  ttlMonitor?: { intervalMs(): number; setIntervalMs(ms: number): void };
}

export interface CommandContext {
  store: Store;
  cursors: CursorRegistry;
  db: string;
  log: Logger;
  server: ServerInfo;
}

export type CommandHandler = (command: Doc, context: CommandContext) => Doc;

/** The collection name a command names in its first field. */
export function collectionName(command: Doc, field: string): string {
  const name = command[field];
  if (typeof name !== 'string' || name === '') {
    throw typeMismatch(`collection name has invalid type ${typeof name}`);
  }
  return name;
}

export function optionalDoc(command: Doc, field: string): Doc | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw typeMismatch(`'${field}' must be an object`);
  return value as Doc;
}

export function optionalNumber(command: Doc, field: string): number | undefined {
  const value = command[field];
  if (value === undefined || value === null) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number)) throw typeMismatch(`'${field}' must be a number`);
  return number;
}

const GENERIC_FIELDS = new Set(['lsid', 'txnNumber', 'autocommit', 'writeConcern', 'readConcern', 'comment', 'maxTimeMS', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

/** A command's own options: without its name field, `$`-fields and generic session/concern fields. */
export function ownOptions(command: Doc, nameField: string): Doc {
  const out: Doc = {};
  for (const [key, value] of Object.entries(command)) {
    if (key !== nameField && !key.startsWith('$') && !GENERIC_FIELDS.has(key)) out[key] = value;
  }
  return out;
}

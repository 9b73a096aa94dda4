/** find, getMore, killCursors, count, distinct and explain. */
import { canonicalKey } from '../bsonOrder.js';
import type { Collection, ScanStats } from '../collection.js';
import { isPlainObject, valuesAtPath, type Doc } from '../documents.js';
import { badValue } from '../errors.js';
import { collectionName, optionalDoc, optionalNumber, type CommandContext } from './context.js';
import { effectiveCollation } from '../collation.js';
import { matcher } from '../matcher.js';
import { projector } from '../projection.js';

interface FindOptions {
  filter: Doc;
  sort?: Doc;
  projection?: Doc;
  skip: number;
  limit: number;
  hint?: unknown;
  collation?: Doc;
}

/** A hint, or undefined for none (drivers may send an empty one). */
export function hintOf(command: Doc): unknown {
  const hint = command.hint;
  if (hint === undefined || hint === null || hint === '') return undefined;
  return isPlainObject(hint) && Object.keys(hint).length === 0 ? undefined : hint;
}

function findOptions(command: Doc): FindOptions {
  const limit = optionalNumber(command, 'limit') ?? 0;
  return {
    filter: optionalDoc(command, 'filter') ?? {},
    sort: optionalDoc(command, 'sort'),
    projection: optionalDoc(command, 'projection'),
    skip: optionalNumber(command, 'skip') ?? 0,
    limit: Math.abs(limit),
    hint: hintOf(command),
    collation: optionalDoc(command, 'collation'),
  };
}

/** Match (through an index when possible), then sort, skip, limit and project. */
export function runFind(collection: Collection | undefined, options: FindOptions, stats?: ScanStats): Doc[] {
  // A bad filter is refused even when no document would be tested against it, like MongoDB.
  matcher(options.filter);
  if (!collection) return [];
  const end = options.limit > 0 ? options.skip + options.limit : undefined;
  const collation = effectiveCollation({ collation: options.collation }, collection.options);
  const docs = collection.query(options.filter, { sort: options.sort, limit: end, stats, hint: options.hint, collation }).slice(options.skip);
  const project = projector(options.projection, options.filter);
  return project ? docs.map(project) : docs;
}

export function find(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'find');
  const docs = runFind(context.store.get(context.db, name), findOptions(command));
  const singleBatch = command.singleBatch === true || Number(command.limit ?? 0) < 0;
  return context.cursors.first(`${context.db}.${name}`, docs, optionalNumber(command, 'batchSize'), singleBatch);
}

export function getMore(command: Doc, context: CommandContext): Doc {
  return context.cursors.more(command.getMore, optionalNumber(command, 'batchSize'));
}

export function killCursors(command: Doc, context: CommandContext): Doc {
  const ids = Array.isArray(command.cursors) ? command.cursors : [];
  const { killed, notFound } = context.cursors.kill(ids);
  return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
}

export function count(command: Doc, context: CommandContext): Doc {
  const collection = context.store.get(context.db, collectionName(command, 'count'));
  const query = optionalDoc(command, 'query') ?? {};
  matcher(query);
  const skip = optionalNumber(command, 'skip') ?? 0;
  const limit = Math.abs(optionalNumber(command, 'limit') ?? 0);
  let n = collection ? collection.countMatching(query, effectiveCollation(command, collection.options)) : 0;
  n = Math.max(0, n - skip);
  return { n: limit > 0 ? Math.min(n, limit) : n, ok: 1 };
}

export function distinct(command: Doc, context: CommandContext): Doc {
  const collection = context.store.get(context.db, collectionName(command, 'distinct'));
  const key = command.key;
  if (typeof key !== 'string') throw badValue("'key' must be a string");
  const values = new Map<string, unknown>();
  const collation = effectiveCollation(command, collection?.options);
  for (const doc of collection?.match(optionalDoc(command, 'query') ?? {}, undefined, undefined, collation) ?? []) {
    for (const value of valuesAtPath(doc, key)) if (value !== undefined) values.set(canonicalKey(value), value);
  }
  return { values: [...values.values()], ok: 1 };
}

/** explain for find/count/distinct filters: which plan ran and how much it examined. */
export function explain(command: Doc, context: CommandContext): Doc {
  const inner = optionalDoc(command, 'explain') ?? {};
  const name = String(inner.find ?? inner.count ?? inner.distinct ?? inner.aggregate ?? '');
  const options = findOptions({ ...inner, filter: inner.filter ?? inner.query });
  const stats: ScanStats = { stage: 'COLLSCAN', keysExamined: 0, docsExamined: 0 };
  const docs = runFind(context.store.get(context.db, name), options, stats);
  const scan = stats.stage === 'COLLSCAN' ? { stage: 'COLLSCAN' } : { stage: stats.stage, indexName: stats.indexName ?? '_id_' };
  const winningPlan = stats.stage === 'COLLSCAN' ? scan : { stage: 'FETCH', inputStage: scan };
  return {
    queryPlanner: { namespace: `${context.db}.${name}`, parsedQuery: options.filter, winningPlan, rejectedPlans: [] },
    executionStats: {
      executionSuccess: true,
      nReturned: docs.length,
      totalKeysExamined: stats.keysExamined,
      totalDocsExamined: stats.docsExamined,
    },
    serverInfo: { host: context.server.host, port: context.server.port, version: '7.0.0' },
    ok: 1,
  };
}

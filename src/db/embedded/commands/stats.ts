/**
 * Sizes: collStats, dbStats, listDatabases and the `$collStats` stage (which mongosh's
 * `db.collection.stats()` runs). A collection's size is the BSON bytes of its documents, which is
 * also what its storage rows hold (SQLite's page overhead not counted). Indexes live in memory
 * only and are rebuilt at start, so they take no storage: index sizes are 0.
 */
import type { Collection } from '../collection.js';
import type { Doc } from '../documents.js';
import { badValue } from '../errors.js';
import { Query } from '../mql.js';
import { collectionName, optionalDoc, type CommandContext } from './context.js';

function scaleOf(value: unknown): number {
  const scale = value === undefined ? 1 : Number(value);
  if (!Number.isFinite(scale) || scale < 1) throw badValue('Scale factor must be a positive number');
  return Math.floor(scale);
}

/** MongoDB's storage statistics of one collection (empty figures for a missing one). */
export function storageStats(collection: Collection | undefined, scale = 1): Doc {
  const count = collection?.count ?? 0;
  const bytes = collection?.dataSize ?? 0;
  const indexSizes: Doc = {};
  for (const spec of collection?.indexSpecs() ?? []) indexSizes[spec.name] = 0;
  const size = Math.floor(bytes / scale);
  return {
    size,
    count,
    avgObjSize: count === 0 ? 0 : Math.floor(bytes / count),
    storageSize: size,
    freeStorageSize: 0,
    capped: false,
    nindexes: Object.keys(indexSizes).length,
    indexDetails: {},
    indexBuilds: [],
    totalIndexSize: 0,
    totalSize: size,
    indexSizes,
    scaleFactor: scale,
  };
}

export function collStats(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'collStats');
  return { ns: `${context.db}.${name}`, ...storageStats(context.store.get(context.db, name), scaleOf(command.scale)), ok: 1 };
}

/** The one document `[{$collStats: {storageStats: {}, count: {}}}]` yields. */
export function collStatsStage(spec: Doc, collection: Collection | undefined, context: CommandContext, name: string): Doc {
  const out: Doc = { ns: `${context.db}.${name}`, host: `${context.server.host}:${context.server.port}`, localTime: new Date() };
  const storage = optionalDoc(spec, 'storageStats');
  if (storage) out.storageStats = storageStats(collection, scaleOf(storage.scale));
  if (optionalDoc(spec, 'count')) out.count = collection?.count ?? 0;
  return out;
}

function databaseBytes(context: CommandContext, db: string): { objects: number; bytes: number; collections: number; indexes: number } {
  const collections = context.store.list(db);
  return {
    collections: collections.length,
    objects: collections.reduce((sum, collection) => sum + collection.count, 0),
    bytes: collections.reduce((sum, collection) => sum + collection.dataSize, 0),
    indexes: collections.reduce((sum, collection) => sum + collection.indexSpecs().length, 0),
  };
}

export function dbStats(command: Doc, context: CommandContext): Doc {
  const scale = scaleOf(command.scale);
  const { collections, objects, bytes, indexes } = databaseBytes(context, context.db);
  const size = Math.floor(bytes / scale);
  return {
    db: context.db,
    collections,
    views: 0,
    objects,
    avgObjSize: objects === 0 ? 0 : bytes / objects,
    dataSize: size,
    storageSize: size,
    indexes,
    indexSize: 0,
    totalSize: size,
    scaleFactor: scale,
    ok: 1,
  };
}

export function listDatabases(command: Doc, context: CommandContext): Doc {
  const filter = new Query(optionalDoc(command, 'filter') ?? {});
  const nameOnly = command.nameOnly === true;
  const databases = context.store
    .databases()
    .map((name): Doc => {
      if (nameOnly) return { name };
      const { objects, bytes } = databaseBytes(context, name);
      return { name, sizeOnDisk: bytes, empty: objects === 0 };
    })
    .filter((entry) => filter.test(entry));
  const totalSize = databases.reduce((sum, entry) => sum + Number(entry.sizeOnDisk ?? 0), 0);
  return nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.floor(totalSize / 2 ** 20), ok: 1 };
}

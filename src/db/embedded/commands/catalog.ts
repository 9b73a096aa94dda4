/** Collections and databases: create, drop, dropDatabase, listCollections, listDatabases, stats. */
import type { Doc } from '../documents.js';
import { CommandError } from '../errors.js';
import { collectionName, optionalDoc, ownOptions, type CommandContext } from './context.js';
import { ID_INDEX } from '../collection.js';
import { Query } from '../mql.js';

export function create(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'create');
  const options = ownOptions(command, 'create');
  const existing = context.store.get(context.db, name);
  if (existing) {
    if (JSON.stringify(existing.options) === JSON.stringify(options)) return { ok: 1 };
    throw new CommandError(48, 'NamespaceExists', `Collection ${existing.ns} already exists.`);
  }
  context.store.obtain(context.db, name, options);
  return { ok: 1 };
}

export function drop(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'drop');
  const collection = context.store.get(context.db, name);
  const nIndexesWas = collection ? collection.indexSpecs().length : 0;
  context.store.drop(context.db, name);
  return { nIndexesWas, ns: `${context.db}.${name}`, ok: 1 };
}

export function dropDatabase(_command: Doc, context: CommandContext): Doc {
  context.store.storage.transaction(() => {
    for (const collection of context.store.list(context.db)) context.store.drop(context.db, collection.name);
  });
  return { dropped: context.db, ok: 1 };
}

export function listCollections(command: Doc, context: CommandContext): Doc {
  const filter = new Query(optionalDoc(command, 'filter') ?? {});
  const nameOnly = command.nameOnly === true;
  const entries = context.store
    .list(context.db)
    .map((collection): Doc =>
      nameOnly
        ? { name: collection.name, type: 'collection' }
        : {
            name: collection.name,
            type: 'collection',
            options: collection.options,
            info: { readOnly: false },
            idIndex: ID_INDEX,
          },
    )
    .filter((entry) => filter.test(entry));
  const cursorOptions = optionalDoc(command, 'cursor') ?? {};
  return context.cursors.first(`${context.db}.$cmd.listCollections`, entries, Number(cursorOptions.batchSize ?? 0) || undefined);
}

export function listDatabases(command: Doc, context: CommandContext): Doc {
  const filter = new Query(optionalDoc(command, 'filter') ?? {});
  const databases = context.store
    .databases()
    .map((name): Doc => (command.nameOnly === true ? { name } : { name, sizeOnDisk: 0, empty: false }))
    .filter((entry) => filter.test(entry));
  return command.nameOnly === true ? { databases, ok: 1 } : { databases, totalSize: 0, totalSizeMb: 0, ok: 1 };
}

export function dbStats(_command: Doc, context: CommandContext): Doc {
  const collections = context.store.list(context.db);
  const objects = collections.reduce((sum, collection) => sum + collection.count, 0);
  const indexes = collections.reduce((sum, collection) => sum + collection.indexSpecs().length, 0);
  return { db: context.db, collections: collections.length, views: 0, objects, indexes, dataSize: 0, storageSize: 0, ok: 1 };
}

export function collStats(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'collStats');
  const collection = context.store.get(context.db, name);
  const count = collection?.count ?? 0;
  return { ns: `${context.db}.${name}`, count, size: 0, storageSize: 0, nindexes: collection?.indexSpecs().length ?? 0, ok: 1 };
}

function splitNamespace(value: unknown, field: string): { db: string; name: string } {
  const dot = typeof value === 'string' ? value.indexOf('.') : -1;
  if (typeof value !== 'string' || dot <= 0 || dot === value.length - 1) {
    throw new CommandError(73, 'InvalidNamespace', `Invalid namespace specified for '${field}': ${String(value)}`);
  }
  return { db: value.slice(0, dot), name: value.slice(dot + 1) };
}

export function renameCollection(command: Doc, context: CommandContext): Doc {
  const source = splitNamespace(command.renameCollection, 'renameCollection');
  const target = splitNamespace(command.to, 'to');
  const collection = context.store.get(source.db, source.name);
  if (!collection) throw new CommandError(26, 'NamespaceNotFound', `Source collection ${source.db}.${source.name} does not exist`);
  context.store.storage.transaction(() => {
    if (context.store.get(target.db, target.name)) {
      if (command.dropTarget !== true) throw new CommandError(48, 'NamespaceExists', 'target namespace exists');
      context.store.drop(target.db, target.name);
    }
    context.store.rename(collection, target.db, target.name);
  });
  return { ok: 1 };
}

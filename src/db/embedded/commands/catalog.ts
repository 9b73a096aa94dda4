/** Collections and databases: create, drop, dropDatabase, listCollections, renameCollection. */
import { isPlainObject, type Doc } from '../documents.js';
import { CommandError } from '../errors.js';
import { collectionName, optionalDoc, ownOptions, type CommandContext } from './context.js';
import { ID_INDEX, type Collection } from '../collection.js';
import { checkValidator } from '../validation.js';
import { Query } from '../mql.js';

/**
 * A time-series collection is kept as a plain collection of the documents as inserted (no
 * buckets), listed as `timeseries`, and expires documents by its timeField (ttl.ts).
 */
function checkCreateOptions(options: Doc): void {
  const timeseries = options.timeseries;
  if (timeseries !== undefined && (!isPlainObject(timeseries) || typeof timeseries.timeField !== 'string')) {
    throw new CommandError(40414, 'Location40414', "BSON field 'timeseries.timeField' is missing but a required field");
  }
  checkValidator(options);
  if (options.capped !== undefined && typeof options.capped !== 'boolean') {
    throw new CommandError(14, 'TypeMismatch', `BSON field 'create.capped' is the wrong type '${typeof options.capped}', expected type 'bool'`);
  }
  if (options.capped === true && options.size === undefined) {
    throw new CommandError(72, 'InvalidOptions', "the 'size' field is required when 'capped' is true");
  }
}

export function create(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'create');
  const options = ownOptions(command, 'create');
  checkCreateOptions(options);
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

const typeOf = (collection: Collection): string => (collection.options.timeseries === undefined ? 'collection' : 'timeseries');

export function listCollections(command: Doc, context: CommandContext): Doc {
  const filter = new Query(optionalDoc(command, 'filter') ?? {});
  const nameOnly = command.nameOnly === true;
  const entries = context.store
    .list(context.db)
    .map((collection): Doc =>
      nameOnly
        ? { name: collection.name, type: typeOf(collection) }
        : {
            name: collection.name,
            type: typeOf(collection),
            options: collection.options,
            info: { readOnly: false },
            idIndex: ID_INDEX,
          },
    )
    .filter((entry) => filter.test(entry));
  const cursorOptions = optionalDoc(command, 'cursor') ?? {};
  return context.cursors.first(`${context.db}.$cmd.listCollections`, entries, Number(cursorOptions.batchSize ?? 0) || undefined);
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

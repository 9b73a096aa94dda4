/** Command name → handler, and the single entry point that runs one command to completion. */
import { isPlainObject, type Doc } from '../documents.js';
import { plainNumbersOf } from '../bsonValues.js';
import { commandNotFound, errorReply, illegalOperation, CommandError } from '../errors.js';
import { aggregate } from './aggregate.js';
import { collMod } from './collMod.js';
import { create, drop, dropDatabase, listCollections, renameCollection } from './catalog.js';
import type { CommandContext, CommandHandler } from './context.js';
import { findAndModify } from './findAndModify.js';
import { buildInfo, getParameter, hello, hostInfo, serverStatus, setParameter, simpleReplies } from './handshake.js';
import { createIndexes, dropIndexes, listIndexes } from './indexes.js';
import { count, distinct, explain, find, getMore, killCursors } from './reads.js';
import { collStats, dbStats, listDatabases } from './stats.js';
import { insert, remove, update } from './writes.js';

const handlers: Record<string, CommandHandler> = {
  hello,
  isMaster: hello,
  ismaster: hello,
  buildInfo,
  buildinfo: buildInfo,
  hostInfo,
  serverStatus,
  getParameter,
  insert,
  update,
  delete: remove,
  find,
  getMore,
  killCursors,
  findAndModify,
  findandmodify: findAndModify,
  aggregate,
  count,
  distinct,
  explain,
  createIndexes,
  listIndexes,
  dropIndexes,
  deleteIndexes: dropIndexes,
  create,
  drop,
  dropDatabase,
  listCollections,
  listDatabases,
  renameCollection,
  dbStats,
  collStats,
  collMod,
  setParameter,
};

for (const [name, reply] of Object.entries(simpleReplies)) handlers[name] = () => reply;

/**
 * The fields of a write holding what it may store (documents, updates, and the filters an upsert
 * copies fields from): those keep their number types.
 */
const STORED_FIELDS: Record<string, ReadonlySet<string>> = {
  insert: new Set(['documents']),
  update: new Set(['updates']),
  findAndModify: new Set(['update', 'query']),
  findandmodify: new Set(['update', 'query']),
};
const STORED_STATEMENT_FIELDS: ReadonlySet<string> = new Set(['q', 'u']);

/**
 * A command's arguments (sorts, projections, limits, index keys, filters) as plain numbers, so
 * that `{n: -1}` reads the same whether the client sent an int32 or a double; only the values a
 * write stores keep their number types (bsonValues.ts).
 */
function withPlainArguments(name: string, command: Doc): Doc {
  if (name === 'update' && Array.isArray(command.updates)) {
    for (const statement of command.updates) if (isPlainObject(statement)) plainNumbersOf(statement, STORED_STATEMENT_FIELDS);
  }
  return plainNumbersOf(command, STORED_FIELDS[name]);
}

/** Runs one command synchronously; every failure becomes an {ok: 0} reply. */
export function runCommand(command: Doc, context: CommandContext): Doc {
  const name = Object.keys(command)[0] ?? '';
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  try {
    if (!handler) throw commandNotFound(name);
    if (command.startTransaction !== undefined || command.autocommit !== undefined) {
      throw illegalOperation('Transaction numbers are only allowed on a replica set member or mongos');
    }
    return handler(withPlainArguments(name, command), context);
  } catch (error) {
    if (!(error instanceof CommandError)) context.log.warn({ err: error, command: name }, 'command failed');
    return errorReply(error);
  }
}

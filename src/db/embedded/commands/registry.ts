/** Command name → handler, and the single entry point that runs one command to completion. */
import type { Doc } from '../documents.js';
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

/** Runs one command synchronously; every failure becomes an {ok: 0} reply. */
export function runCommand(command: Doc, context: CommandContext): Doc {
  const name = Object.keys(command)[0] ?? '';
  const handler = Object.hasOwn(handlers, name) ? handlers[name] : undefined;
  try {
    if (!handler) throw commandNotFound(name);
    if (command.startTransaction !== undefined || command.autocommit !== undefined) {
      throw illegalOperation('Transaction numbers are only allowed on a replica set member or mongos');
    }
    return handler(command, context);
  } catch (error) {
    if (!(error instanceof CommandError)) context.log.warn({ err: error, command: name }, 'command failed');
    return errorReply(error);
  }
}

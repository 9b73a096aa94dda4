/**
 * findAndModify: find one document (in sort order), then update, replace or remove it, all inside
 * one synchronous command run, so two concurrent claims can never take the same document.
 */
import { isPlainObject, type Doc } from '../documents.js';
import { badValue } from '../errors.js';
import { applyUpdate, upsertDocument, type UpdateSpec } from '../updates.js';
import { collectionName, optionalDoc, type CommandContext } from './context.js';
import { firstMatch } from './writes.js';
import { effectiveCollation } from '../collation.js';
import { checkValidation } from '../validation.js';
import { projector } from '../projection.js';

export function findAndModify(command: Doc, context: CommandContext): Doc {
  const name = collectionName(command, 'findAndModify' in command ? 'findAndModify' : 'findandmodify');
  const filter = optionalDoc(command, 'query') ?? {};
  const projection = optionalDoc(command, 'fields');
  const update = command.update as UpdateSpec | undefined;
  const remove = command.remove === true;
  if (remove === (update !== undefined)) throw badValue('Either an update or remove=true must be specified');
  if (update !== undefined && !isPlainObject(update) && !Array.isArray(update)) throw badValue("'update' must be an object or pipeline");
  const arrayFilters = command.arrayFilters as Doc[] | undefined;
  // A bad projection must fail before anything is written, not after (the write would stand).
  const projectOne = projector(projection, filter);
  const project = (doc: Doc): Doc => (projectOne ? projectOne(doc) : doc);

  return context.store.storage.transaction(() => {
    const collection = context.store.obtain(context.db, name);
    const [current] = firstMatch(collection, filter, command.sort, effectiveCollation(command, collection.options));
    if (!current) {
      if (!command.upsert || remove || update === undefined) {
        return { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
      }
      const seeded = upsertDocument(filter, update, arrayFilters);
      checkValidation(collection, seeded, undefined, command);
      const inserted = collection.insert(seeded);
      return {
        lastErrorObject: { n: 1, updatedExisting: false, upserted: inserted._id },
        value: command.new ? project(inserted) : null,
        ok: 1,
      };
    }
    if (remove || update === undefined) {
      collection.remove(current);
      return { lastErrorObject: { n: 1 }, value: project(current), ok: 1 };
    }
    const outcome = applyUpdate(current, update, arrayFilters, filter);
    if (outcome.modified) {
      checkValidation(collection, outcome.doc, current, command);
      collection.replace(current, outcome.doc);
    }
    return {
      lastErrorObject: { n: 1, updatedExisting: true },
      value: project(command.new ? outcome.doc : current),
      ok: 1,
    };
  });
}

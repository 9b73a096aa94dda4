/**
 * Collection validators: a write whose resulting document fails the collection's `validator` (a
 * query, `$jsonSchema` included) is refused with DocumentValidationFailure (121), under MongoDB's
 * rules: `validationLevel` off / strict / moderate (documents already invalid may stay so),
 * `validationAction` error / warn (warn accepts), `bypassDocumentValidation` on the command.
 */
import type { Collection } from './collection.js';
import { isPlainObject, type Doc } from './documents.js';
import { CommandError } from './errors.js';
import { matcher } from './matcher.js';

/** Fails when `next` (replacing `previous`, if any) may not be written to `collection`. */
export function checkValidation(collection: Collection, next: Doc, previous: Doc | undefined, command: Doc): void {
  const { validator, validationLevel = 'strict', validationAction = 'error' } = collection.options;
  if (!isPlainObject(validator) || Object.keys(validator).length === 0) return;
  if (command.bypassDocumentValidation === true || validationLevel === 'off' || validationAction === 'warn') return;
  const valid = matcher(validator);
  if (validationLevel === 'moderate' && previous !== undefined && !valid(previous)) return;
  if (valid(next)) return;
  throw new CommandError(121, 'DocumentValidationFailure', 'Document failed validation', {
    errInfo: { failingDocumentId: next._id, details: { operatorName: Object.keys(validator)[0] ?? '' } },
  });
}

/** Refuses a validator that is not a valid query, when it is set. */
export function checkValidator(options: Doc): void {
  if (options.validator === undefined) return;
  if (!isPlainObject(options.validator)) throw new CommandError(14, 'TypeMismatch', "'validator' must be an object");
  matcher(options.validator);
}

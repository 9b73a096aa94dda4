/**
 * Applies an update operator document (`{$set: …, $push: …}`) to one document in place, with
 * MongoDB's rules: every path is checked against the others for conflicts before anything is
 * written, positional parts are resolved against the document as it was, and fields are written
 * in path order.
 */
import { isPlainObject, type Doc } from '../documents.js';
import { CommandError, failedToParse } from '../errors.js';
import { $addToSet, $pop, $pull, $pullAll, $push } from './arrayOps.js';
import { $bit, $currentDate, $inc, $max, $min, $mul, $set, $unset, writeValue, type ApplyState, type FieldOperator } from './fieldOps.js';
import { checkConflicts, comparePaths, getField, parentForRead } from './paths.js';
import { checkAllFiltersUsed, compileArrayFilters, expandPath, isPositional, type PositionalContext } from './positional.js';

const OPERATORS: Record<string, FieldOperator> = {
  $set,
  $setOnInsert: $set,
  $unset,
  $inc,
  $mul,
  $min,
  $max,
  $currentDate,
  $bit,
  $push,
  $addToSet,
  $pop,
  $pull,
  $pullAll,
};

export interface ModifierOptions {
  /** The update's filter: the positional `$` refers to the element it matched. */
  filter: Doc;
  arrayFilters?: Doc[];
  /** An upsert inserting: `$setOnInsert` applies. */
  inserting: boolean;
}

interface Step {
  operator: string;
  parts: string[];
  argument: unknown;
}

const emptyPath = (): CommandError => new CommandError(56, 'EmptyFieldName', 'An empty update path is not valid.');

function parsePath(path: string): string[] {
  if (path === '') throw emptyPath();
  const parts = path.split('.');
  if (parts.some((part) => part === '')) throw emptyPath();
  return parts;
}

/** The update's steps in MongoDB's order, after checking the operators and their paths. */
function steps(update: Doc): { steps: Step[]; paths: string[] } {
  const out: Step[] = [];
  const paths: string[] = [];
  for (const [operator, fields] of Object.entries(update)) {
    if (operator !== '$rename' && !Object.hasOwn(OPERATORS, operator)) {
      throw failedToParse(`Unknown modifier: ${operator}. Expected a valid update modifier or pipeline-style update specified as an array`);
    }
    if (!isPlainObject(fields)) {
      throw failedToParse(`Modifiers operate on fields but we found type ${Array.isArray(fields) ? 'array' : typeof fields} instead. For example: {$mod: {<field>: ...}} not {${operator}: ${String(fields)}}`);
    }
    for (const [path, argument] of Object.entries(fields)) {
      if (operator === '$rename') {
        if (typeof argument !== 'string') throw new CommandError(2, 'BadValue', `The 'to' field for $rename must be a string: ${path}: ${String(argument)}`);
        if (argument === path) throw new CommandError(2, 'BadValue', `The source and target field for $rename must differ: ${path}: "${argument}"`);
        const from = parsePath(path);
        const to = parsePath(argument);
        if ([...from, ...to].some(isPositional)) throw new CommandError(2, 'BadValue', 'The source or target field for $rename must not be a positional path');
        out.push({ operator: '$rename', parts: from, argument: to });
        paths.push(path, argument);
        continue;
      }
      out.push({ operator, parts: parsePath(path), argument });
      paths.push(path);
    }
  }
  checkConflicts(paths);
  return { steps: out, paths };
}

/** $rename: the value moves to the target path; a source inside an array is refused. */
function rename(doc: Doc, from: string[], to: string[], state: ApplyState): void {
  const parent = parentForRead(doc, from);
  if (parent === undefined) return;
  if (Array.isArray(parent)) throw new CommandError(2, 'BadValue', `The source field cannot be an array element, '${from.join('.')}' in doc with _id: ${String(doc._id)} has an array field called '${from[from.length - 2] ?? ''}'`);
  const field = from[from.length - 1] as string;
  const value = getField(parent, field);
  if (value === undefined) return;
  delete parent[field];
  state.modified = true;
  writeValue(doc, to, value, state);
}

/** Applies `update` to `doc` in place; true when the document changed. */
export function applyModifier(doc: Doc, update: Doc, options: ModifierOptions): boolean {
  const parsed = steps(update).steps;
  const context: PositionalContext = { doc, filter: options.filter, arrayFilters: compileArrayFilters(options.arrayFilters) };
  const concrete: Step[] = [];
  for (const step of parsed) {
    if (step.operator === '$setOnInsert' && !options.inserting) continue;
    if (step.operator === '$rename') concrete.push(step);
    else for (const parts of expandPath(step.parts, context)) concrete.push({ ...step, parts });
  }
  checkAllFiltersUsed(context);
  concrete.sort((a, b) => comparePaths(a.parts, b.parts));
  const state: ApplyState = { modified: false };
  for (const step of concrete) {
    if (step.operator === '$rename') rename(doc, step.parts, step.argument as string[], state);
    else (OPERATORS[step.operator] as FieldOperator)(doc, step.parts, step.argument, state);
  }
  return state.modified;
}

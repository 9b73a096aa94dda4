/**
 * The query language: mingo, configured once for the whole store.
 * - No server-side JavaScript ($where, $function, $accumulator), like `mongod --noscripting`:
 *   a query from the network never runs code.
 * - Aggregation comparison expressions ($eq $ne $gt $gte $lt $lte $cmp) compare any two values in
 *   BSON order as MongoDB does (so `{$gt: ['$readAt', null]}` is true when readAt is set); mingo's
 *   own versions reuse query-predicate semantics, which are false across types and for null.
 */
import { compareValues } from './bsonOrder.js';
import { plainNumbers } from './bsonValues.js';
import { isPlainObject } from './documents.js';
import { CommandError } from './errors.js';
import { collatorFor } from './collation.js';
import { sortDocuments } from './sort.js';
import { bitOperators } from './bitOperators.js';
import { $jsonSchema } from './jsonSchema.js';
import { queryOperators as bsonQueryOperators } from './queryOperators.js';
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr, ProcessingMode } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Lazy, type Iterator } from 'mingo/lazy';
import { Query as BaseQuery } from 'mingo/query';
import type { AnyObject, Options } from 'mingo/types';

/** BSON order, with a missing value below null (aggregation treats missing and null apart). */
function compareExpressionValues(a: unknown, b: unknown): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return compareValues(a, b);
}

type Expression = (obj: AnyObject, expr: unknown, options: Options) => unknown;

function comparison(test: (order: number) => boolean): Expression {
  return (obj, expr, options) => {
    const [left, right] = evalExpr(obj, expr, options) as unknown[];
    return test(compareExpressionValues(left, right));
  };
}

/** `$sort` in the order find sorts in (sort.ts): BSON order across types, arrays by their extremes. */
const bsonSort = (collection: Iterator, spec: unknown, given: Options): Iterator => {
  if (!isPlainObject(spec) || Object.keys(spec).length === 0) throw new CommandError(15976, 'Location15976', '$sort stage must have at least one sort key');
  const compareStrings = collatorFor(given.collation);
  return collection.transform((docs: Doc[]) => Lazy(sortDocuments(docs, spec, compareStrings)));
};

const context = Context.init({
  accumulator: accumulatorOperators,
  expression: {
    ...expressionOperators,
    $eq: comparison((order) => order === 0),
    $ne: comparison((order) => order !== 0),
    $gt: comparison((order) => order > 0),
    $gte: comparison((order) => order >= 0),
    $lt: comparison((order) => order < 0),
    $lte: comparison((order) => order <= 0),
    $cmp: ((obj, expr, options) => {
      const [left, right] = evalExpr(obj, expr, options) as unknown[];
      return compareExpressionValues(left, right);
    }) satisfies Expression,
  },
  pipeline: { ...pipelineOperators, $sort: bsonSort },
  projection: projectionOperators,
  query: Object.assign({}, queryOperators, bsonQueryOperators, bitOperators, { $jsonSchema }),
  window: windowOperators,
});

const options: Partial<Options> = { scriptEnabled: false, context };

/**
 * mingo copies every operator table of a plain options object on each `new Query`/`Aggregator`
 * (hundreds of entries, the largest single cost of a small command), but reuses the tables of an
 * already initialised options instance. That class is internal to mingo, so it is taken from the
 * options an operator receives, in a throwaway context.
 */
function optionsClass(): new (options: Partial<Options>) => Options {
  let computeOptions: (new (options: Partial<Options>) => Options) | undefined;
  const probe = Context.init({
    pipeline: { $project: pipelineOperators.$project },
    expression: {
      $probe: ((_obj, _expr, given) => {
        computeOptions = given.constructor as typeof computeOptions;
        return null;
      }) satisfies Expression,
    },
  });
  new Aggregator([{ $project: { probe: { $probe: 1 } } }], { context: probe }).run([{}]);
  if (!computeOptions) throw new Error('mingo did not pass its options to an operator');
  return computeOptions;
}

const ComputeOptions = optionsClass();

/** Initialised options over the shared operator tables, with `extra` settings (a collation, a resolver). */
function initialisedOptions(extra: Partial<Options> = {}): Options {
  return new ComputeOptions({
    idKey: '_id',
    useStrictMode: true,
    failOnError: true,
    processingMode: ProcessingMode.CLONE_OFF,
    ...options,
    ...extra,
  });
}

const sharedOptions = initialisedOptions();

export type Doc = AnyObject;

/** A compiled filter; with a collation, its comparisons of strings follow that collation. */
export class Query extends BaseQuery<Doc> {
  constructor(condition: Doc, collation?: Doc) {
    super(condition, collation ? initialisedOptions({ collation: collation as unknown as Options['collation'] }) : sharedOptions);
  }
}

/** True for a stage name mingo's pipeline knows. */
export function isPipelineStage(name: string): boolean {
  return name.startsWith('$') && Object.hasOwn(pipelineOperators, name);
}

/** Runs a pipeline; documents (those of `$lookup` too) reach mingo with plain numbers. */
export function aggregate(docs: Doc[], pipeline: Doc[], collectionResolver?: (name: string) => Doc[], collation?: Doc): Doc[] {
  const extra: Partial<Options> = {
    ...(collectionResolver && { collectionResolver: (name: string) => plainNumbers(collectionResolver(name)) }),
    ...(collation && { collation: collation as unknown as Options['collation'] }),
  };
  const given = collectionResolver || collation ? initialisedOptions(extra) : sharedOptions;
  return new Aggregator(plainNumbers(pipeline), given).run(plainNumbers(docs)) as Doc[];
}

/**
 * The query language: mingo, configured once for the whole store.
 * - No server-side JavaScript ($where, $function, $accumulator), like `mongod --noscripting`:
 *   a query from the network never runs code.
 * - Aggregation comparison expressions ($eq $ne $gt $gte $lt $lte $cmp) compare any two values in
 *   BSON order as MongoDB does (so `{$gt: ['$readAt', null]}` is true when readAt is set); mingo's
 *   own versions reuse query-predicate semantics, which are false across types and for null.
 */
import { compareValues } from './bsonOrder.js';
import { Aggregator } from 'mingo/aggregator';
import { Context, evalExpr } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import { Query as BaseQuery } from 'mingo/query';
import type { AnyObject, Options } from 'mingo/types';
import { update as baseUpdate, type Modifier } from 'mingo/updater';

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
  pipeline: pipelineOperators,
  projection: projectionOperators,
  query: queryOperators,
  window: windowOperators,
});

const options: Partial<Options> = { scriptEnabled: false, context };

export type Doc = AnyObject;

export class Query extends BaseQuery<Doc> {
  constructor(condition: Doc) {
    super(condition, options);
  }
}

/** A cursor over `docs` with an optional projection (no filter): sort/skip/limit are chained. */
export function project(docs: Doc[], projection?: Doc) {
  return new Query({}).find<Doc>(docs, projection);
}

export function aggregate(docs: Doc[], pipeline: Doc[], collectionResolver?: (name: string) => Doc[]): Doc[] {
  return new Aggregator(pipeline, { ...options, collectionResolver }).run(docs) as Doc[];
}

/**
 * mingo refuses any update path on `_id`, but MongoDB accepts setting `_id` to the value it
 * already has (and an upsert may take `_id` from `$setOnInsert`). The updater therefore runs with
 * an id key no document has, and the caller compares `_id` before and after.
 */
const updateOptions: Partial<Options> = { ...options, idKey: '\u0000no-immutable-field' };

/** Applies an update document in place (`_id` included); returns the modified paths. */
export function update(doc: Doc, modifier: Doc, arrayFilters?: Doc[], condition?: Doc): string[] {
  return baseUpdate(doc, modifier as Modifier<Doc>, arrayFilters, condition, { queryOptions: updateOptions });
}

/**
 * aggregate through mingo. A leading $match is answered by the collection (so it can use an
 * index); the rest of the pipeline runs on copies, since some mingo stages write into their input.
 * `{aggregate: 1}` runs a pipeline on no collection, starting with `$documents`; a leading
 * `$collStats` reports the collection's sizes (commands/stats.ts).
 */
import { isPlainObject, type Doc } from '../documents.js';
import { CommandError, badValue } from '../errors.js';
import { aggregate as runPipeline, isPipelineStage } from '../mql.js';
import { optionalDoc, optionalNumber, type CommandContext } from './context.js';
import { effectiveCollation } from '../collation.js';
import { hintOf } from './reads.js';
import { outTarget, writeOut } from './out.js';
import { collStatsStage } from './stats.js';

/** Stages that run first or not at all; mingo runs every other stage it knows. */
const LEADING_STAGES = new Set(['$collStats', '$documents']);
/** Stages mingo has but the store does not offer: merging results into a collection. */
const UNSUPPORTED_STAGES = new Set(['$merge']);

const unrecognizedStage = (name: string): CommandError =>
  new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}'`);

function checkPipeline(pipeline: unknown): Doc[] {
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) throw badValue("'pipeline' must be an array of objects");
  pipeline.forEach((stage, index) => {
    const names = Object.keys(stage);
    if (names.length !== 1) throw new CommandError(40323, 'Location40323', 'A pipeline stage specification object must contain exactly one field.');
    const name = names[0] as string;
    if (UNSUPPORTED_STAGES.has(name) || (!isPipelineStage(name) && !LEADING_STAGES.has(name))) throw unrecognizedStage(name);
    if (LEADING_STAGES.has(name) && index !== 0) {
      throw new CommandError(40602, 'Location40602', `${name} is only valid as the first stage in a pipeline`);
    }
    if (name === '$out' && index !== pipeline.length - 1) {
      throw new CommandError(40601, 'Location40601', '$out can only be the final stage in the pipeline');
    }
  });
  return pipeline;
}

/** The pipeline drivers send for countDocuments without skip or limit: $match, then one count group. */
function isDriverCount(pipeline: Doc[]): boolean {
  if (pipeline.length !== 2) return false;
  const group = pipeline[1]?.$group;
  if (!isPlainObject(group) || Object.keys(group).length !== 2 || group._id !== 1) return false;
  const n = group.n;
  return isPlainObject(n) && Object.keys(n).length === 1 && n.$sum === 1;
}

/** `{aggregate: 1, pipeline: [{$documents: [...]}, ...]}`: a pipeline over given documents. */
function databaseAggregate(pipeline: Doc[], command: Doc, context: CommandContext): Doc {
  const first = pipeline[0];
  if (!first || !('$documents' in first)) {
    const stage = first ? Object.keys(first)[0] : 'an empty pipeline';
    throw new CommandError(73, 'InvalidNamespace', `{aggregate: 1} is not valid for '${stage}'; a collection is required.`);
  }
  const results = runPipeline([], pipeline, (other) => [...(context.store.get(context.db, other)?.all() ?? [])]);
  const cursorOptions = optionalDoc(command, 'cursor') ?? {};
  return context.cursors.first(`${context.db}.$cmd.aggregate`, results, optionalNumber(cursorOptions, 'batchSize'));
}

export function aggregate(command: Doc, context: CommandContext): Doc {
  const name = command.aggregate;
  const pipeline = checkPipeline(command.pipeline);
  if (name === 1) return databaseAggregate(pipeline, command, context);
  if (typeof name !== 'string') throw badValue("'aggregate' must be a collection name or 1");
  if (pipeline[0] && '$documents' in pipeline[0]) throw new CommandError(40602, 'Location40602', '$documents is only valid in an aggregation on the database ({aggregate: 1})');
  const cursorOptions = optionalDoc(command, 'cursor') ?? {};
  const batchSize = optionalNumber(cursorOptions, 'batchSize');
  const ns = `${context.db}.${name}`;
  const collection = context.store.get(context.db, name);
  const first = pipeline[0];
  if (first && isPlainObject(first.$collStats)) {
    const stats = collStatsStage(first.$collStats, collection, context, name);
    return context.cursors.first(ns, runPipeline([stats], pipeline.slice(1)), batchSize);
  }
  const leadingMatch = first && isPlainObject(first.$match) ? (first.$match as Doc) : undefined;
  const collation = effectiveCollation(command, collection?.options);
  if (leadingMatch && isDriverCount(pipeline)) {
    // countDocuments: answered from the index where it can be, without reading the documents.
    const n = collection ? collection.countMatching(leadingMatch, collation) : 0;
    return context.cursors.first(ns, n === 0 ? [] : [{ _id: 1, n }], batchSize);
  }
  const hint = hintOf(command);
  const input = !collection ? [] : hint !== undefined || collation ? collection.query(leadingMatch ?? {}, { hint, collation }) : leadingMatch ? collection.match(leadingMatch) : [...collection.all()];
  const rest = leadingMatch ? pipeline.slice(1) : pipeline;
  // Every read is a fresh copy of the stored bytes, so the pipeline may change what it is given.
  const resolve = (other: string): Doc[] => [...(context.store.get(context.db, other)?.all() ?? [])];
  const last = rest[rest.length - 1];
  const out = last && '$out' in last ? outTarget(last.$out, context.db) : undefined;
  const stages = out ? rest.slice(0, -1) : rest;
  const results = stages.length === 0 ? input : runPipeline(input, stages, resolve, collation);
  if (!out) return context.cursors.first(ns, results, batchSize);
  writeOut(results, out, context);
  return context.cursors.first(ns, [], batchSize);
}

/**
 * aggregate through mingo. A leading $match is answered by the collection (so it can use an
 * index); the rest of the pipeline runs on copies, since some mingo stages write into their input.
 */
import { isPlainObject, type Doc } from '../documents.js';
import { CommandError, badValue } from '../errors.js';
import { optionalDoc, optionalNumber, type CommandContext } from './context.js';
import { aggregate as runPipeline } from '../mql.js';

const UNSUPPORTED_STAGES = new Set(['$out', '$merge', '$currentOp', '$changeStream', '$listSessions', '$indexStats', '$collStats']);

function checkPipeline(pipeline: unknown): Doc[] {
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) throw badValue("'pipeline' must be an array of objects");
  for (const stage of pipeline) {
    const name = Object.keys(stage)[0] ?? '';
    if (UNSUPPORTED_STAGES.has(name)) {
      throw new CommandError(40324, 'Location40324', `Unrecognized pipeline stage name: '${name}'`);
    }
  }
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

export function aggregate(command: Doc, context: CommandContext): Doc {
  const name = command.aggregate;
  if (typeof name !== 'string') throw badValue('aggregate on a whole database is not supported');
  const pipeline = checkPipeline(command.pipeline);
  const cursorOptions = optionalDoc(command, 'cursor') ?? {};
  const collection = context.store.get(context.db, name);
  const first = pipeline[0];
  const leadingMatch = first && isPlainObject(first.$match) ? (first.$match as Doc) : undefined;
  if (leadingMatch && isDriverCount(pipeline)) {
    // countDocuments: answered from the index where it can be, without reading the documents.
    const n = collection ? collection.countMatching(leadingMatch) : 0;
    return context.cursors.first(`${context.db}.${name}`, n === 0 ? [] : [{ _id: 1, n }], optionalNumber(cursorOptions, 'batchSize'));
  }
  const input = collection ? (leadingMatch ? collection.match(leadingMatch) : [...collection.all()]) : [];
  const rest = leadingMatch ? pipeline.slice(1) : pipeline;
  // Every read is a fresh copy of the stored bytes, so the pipeline may change what it is given.
  const resolve = (other: string): Doc[] => [...(context.store.get(context.db, other)?.all() ?? [])];
  const results = rest.length === 0 ? input : runPipeline(input, rest, resolve);
  return context.cursors.first(`${context.db}.${name}`, results, optionalNumber(cursorOptions, 'batchSize'));
}

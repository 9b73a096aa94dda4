/**
 * Find projections as MongoDB applies them: inclusion or exclusion of (dotted) fields, `$slice`,
 * `$elemMatch` and the positional `field.$`, with fields kept in the document's order.
 * Projections holding aggregation expressions (`{total: {$add: …}}`, `'$field'`) are handed whole
 * to mingo's `$project`, which implements those.
 */
import { CommandError } from './errors.js';
import { isPlainObject, type Doc } from './documents.js';
import { matcher } from './matcher.js';
import { aggregate } from './mql.js';
import { matchedIndex } from './update/positional.js';

type Slice = { slice: number | [number, number] };
type ElemMatch = { elemMatch: (element: unknown) => boolean };
type Positional = { positional: true };
type Node = { children: Map<string, Node | Leaf> };
type Leaf = boolean | Slice | ElemMatch | Positional;

interface Plan {
  root: Node;
  inclusion: boolean;
  withId: boolean;
  /** Top-level fields projected with $elemMatch: MongoDB returns them after the others. */
  elemMatched: string[];
  positional?: string[];
}

const badProjection = (code: number, message: string): CommandError => new CommandError(code, `Location${code}`, message);

function isExpression(value: unknown): boolean {
  if (typeof value === 'string') return value.startsWith('$');
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return !(keys.length === 1 && (keys[0] === '$slice' || keys[0] === '$elemMatch'));
}

function leafOf(field: string, value: unknown): Leaf {
  if (!isPlainObject(value)) return Boolean(value);
  if ('$slice' in value) {
    const slice = value.$slice;
    if (typeof slice === 'number') return { slice };
    if (Array.isArray(slice) && slice.length === 2 && slice.every((n) => typeof n === 'number')) {
      if ((slice[1] as number) <= 0) throw badProjection(28724, 'First argument to $slice must be an array, second argument must be a positive number');
      return { slice: slice as [number, number] };
    }
    throw badProjection(28667, `Invalid $slice syntax for field ${field}`);
  }
  const condition = value.$elemMatch;
  if (field.includes('.')) throw badProjection(2, `Cannot use $elemMatch projection on a nested field: ${field}`);
  if (!isPlainObject(condition)) throw badProjection(2, 'elemMatch: Invalid argument, object required.');
  const test = matcher({ [field]: { $elemMatch: condition } });
  return { elemMatch: (element) => test({ [field]: [element] }) };
}

function insert(root: Node, parts: string[], leaf: Leaf): void {
  let node = root;
  for (const part of parts.slice(0, -1)) {
    let child = node.children.get(part);
    if (child === undefined || typeof child !== 'object' || !('children' in child)) {
      child = { children: new Map() };
      node.children.set(part, child);
    }
    node = child;
  }
  node.children.set(parts[parts.length - 1] as string, leaf);
}

/** The projection's plan, or undefined when it holds expressions (mingo projects those). */
function plan(projection: Doc): Plan | undefined {
  const out: Plan = { root: { children: new Map() }, inclusion: false, withId: true, elemMatched: [] };
  let included: string | undefined;
  let excluded: string | undefined;
  for (const [field, value] of Object.entries(projection)) {
    if (isExpression(value)) return undefined;
    if (field === '_id' && !isPlainObject(value)) {
      out.withId = Boolean(value);
      continue;
    }
    if (field.endsWith('.$')) {
      if (out.positional) throw badProjection(31276, 'Cannot specify more than one positional projection per query.');
      out.positional = field.slice(0, -2).split('.');
      insert(out.root, out.positional, { positional: true });
      included ??= field;
      continue;
    }
    const leaf = leafOf(field, value);
    if (leaf === true) included ??= field;
    if (leaf === false) excluded ??= field;
    if (typeof leaf === 'object' && 'elemMatch' in leaf) out.elemMatched.push(field);
    insert(out.root, field.split('.'), leaf);
  }
  if (included !== undefined && excluded !== undefined) {
    throw badProjection(31254, `Cannot do exclusion on field ${excluded} in inclusion projection`);
  }
  // `{_id: 1}` alone includes only _id; `{_id: 0}` alone excludes it and keeps the rest.
  const idIncluded = Object.hasOwn(projection, '_id') && out.withId;
  out.inclusion = included !== undefined || (excluded === undefined && (out.elemMatched.length > 0 || idIncluded));
  return out;
}

function sliced(value: unknown, slice: Slice['slice']): unknown {
  if (!Array.isArray(value)) return value;
  if (typeof slice === 'number') return slice >= 0 ? value.slice(0, slice) : value.slice(Math.max(0, value.length + slice));
  const [skip, limit] = slice;
  const start = skip >= 0 ? skip : Math.max(0, value.length + skip);
  return value.slice(start, start + limit);
}

/** Applies a node to one (embedded) document; arrays apply it to each embedded document. */
function applyNode(value: unknown, node: Node, inclusion: boolean): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => applyNode(item, node, inclusion));
    return inclusion ? items.filter((item) => item !== undefined) : items;
  }
  if (!isPlainObject(value)) return inclusion ? undefined : value;
  const out: Doc = {};
  for (const [field, fieldValue] of Object.entries(value)) {
    const spec = node.children.get(field);
    const projected = spec === undefined ? (inclusion ? undefined : fieldValue) : applyLeaf(fieldValue, spec, inclusion);
    if (projected !== undefined) Object.defineProperty(out, field, { value: projected, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function applyLeaf(value: unknown, spec: Node | Leaf, inclusion: boolean): unknown {
  if (typeof spec === 'boolean') return spec ? value : undefined;
  if ('children' in spec) return applyNode(value, spec, inclusion);
  if ('slice' in spec) return sliced(value, spec.slice);
  if ('elemMatch' in spec) return undefined; // added after the other fields
  return value; // positional: the array was cut to its matched element beforehand
}

function applyPlan(doc: Doc, projectionPlan: Plan, filter: Doc): Doc {
  let source = doc;
  if (projectionPlan.positional) {
    const parts = projectionPlan.positional;
    const index = matchedIndex(doc, filter, parts);
    if (index === undefined) throw badProjection(51246, "Executor error during find command :: caused by :: positional operator '.$' couldn't find a matching element in the array");
    source = withElement(doc, parts, index);
  }
  const out = applyNode(source, projectionPlan.root, projectionPlan.inclusion) as Doc;
  for (const field of projectionPlan.elemMatched) {
    const spec = projectionPlan.root.children.get(field) as ElemMatch;
    const array = doc[field];
    const found = Array.isArray(array) ? array.find((element) => spec.elemMatch(element)) : undefined;
    if (found !== undefined) out[field] = [found];
  }
  if (!projectionPlan.withId) delete out._id;
  else if (projectionPlan.inclusion && doc._id !== undefined && !('_id' in out)) return { _id: doc._id, ...out };
  return out;
}

/** A shallow copy of `doc` whose array at `parts` holds only its element at `index`. */
function withElement(doc: Doc, parts: string[], index: number): Doc {
  const [head, ...rest] = parts as [string, ...string[]];
  const value = doc[head];
  if (rest.length === 0) return { ...doc, [head]: Array.isArray(value) ? [value[index]] : value };
  return isPlainObject(value) ? { ...doc, [head]: withElement(value, rest, index) } : doc;
}

/** A projector for one find: the projection is checked once, then applied to each document. */
export function projector(projection: Doc | undefined, filter: Doc): ((doc: Doc) => Doc) | undefined {
  if (projection === undefined || Object.keys(projection).length === 0) return undefined;
  const projectionPlan = plan(projection);
  if (projectionPlan) return (doc) => applyPlan(doc, projectionPlan, filter);
  // Checked on an empty document, so that a bad expression fails before a write that projects it.
  aggregate([{}], [{ $project: projection }]);
  return (doc) => aggregate([doc], [{ $project: projection }])[0] as Doc;
}

/**
 * Reads one YAML content file into plain typed fields while remembering where each value sits,
 * so every validation message can name the file and line. Built on the `yaml` package's
 * parseDocument (source ranges) and LineCounter (offset → line/column).
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { ContentProblem } from './problems.js';

/** A value with the position it was read from. */
export interface Located<T> {
  value: T;
  line: number;
  column: number;
}

type FieldKind = 'string' | 'stringList' | 'stringMap';

export interface FieldSpec {
  kind: FieldKind;
  required: boolean;
}

export type ReadFields = {
  string: Map<string, Located<string>>;
  stringList: Map<string, Located<string>[]>;
  stringMap: Map<string, Array<{ from: Located<string>; to: Located<string> }>>;
};

/** Parses `source` and checks its top-level map against `spec`; problems are appended to `problems`. */
export function readYamlFile(
  file: string,
  source: string,
  spec: Record<string, FieldSpec>,
  problems: ContentProblem[],
): ReadFields {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, uniqueKeys: true });
  const fields: ReadFields = { string: new Map(), stringList: new Map(), stringMap: new Map() };
  const at = (node: Node | null | undefined): { line: number; column: number } => {
    const offset = node?.range?.[0] ?? 0;
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  const report = (node: Node | null | undefined, message: string): void => {
    problems.push({ file, ...at(node), message });
  };

  for (const error of document.errors) {
    const position = error.linePos?.[0] ?? { line: 1, col: 1 };
    problems.push({ file, line: position.line, column: position.col, message: `YAML syntax: ${error.message.split('\n')[0]}` });
  }
  if (document.errors.length > 0) return fields;
  const root = document.contents;
  if (!isMap(root)) {
    report(root, 'expected a mapping of fields at the top level');
    return fields;
  }

  const seen = new Set<string>();
  for (const pair of root.items as Pair<Node, Node | null>[]) {
    const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
    const fieldSpec = key === undefined ? undefined : spec[key];
    if (key === undefined || fieldSpec === undefined) {
      report(pair.key, `unknown key ${JSON.stringify(key ?? '?')} (allowed: ${Object.keys(spec).join(', ')})`);
      continue;
    }
    seen.add(key);
    readField(key, fieldSpec.kind, pair, fields, at, report);
  }
  for (const [key, fieldSpec] of Object.entries(spec)) {
    if (fieldSpec.required && !seen.has(key)) report(root, `missing required key "${key}"`);
  }
  return fields;
}

type At = (node: Node | null | undefined) => { line: number; column: number };
type Report = (node: Node | null | undefined, message: string) => void;

/** Reads a non-empty string; `near` locates the problem when the value itself is absent. */
function readString(node: Node | null, near: Node, what: string, at: At, report: Report): Located<string> | undefined {
  if (!isScalar(node) || typeof node.value !== 'string') {
    const shown = isScalar(node) ? `${typeof node.value} ${JSON.stringify(node.value)}` : node === null ? 'nothing' : 'a collection';
    const hint = isScalar(node) && node.value !== null ? ` (quote it: "${String(node.value)}")` : '';
    report(node ?? near, `${what} must be a text string, found ${shown}${hint}`);
    return undefined;
  }
  if (node.value.trim() === '') {
    report(node, `${what} must not be empty`);
    return undefined;
  }
  return { value: node.value.trim(), ...at(node) };
}

function readField(key: string, kind: FieldKind, pair: Pair<Node, Node | null>, fields: ReadFields, at: At, report: Report): void {
  const node = pair.value;
  if (kind === 'string') {
    const value = readString(node, pair.key, `"${key}"`, at, report);
    if (value !== undefined) fields.string.set(key, value);
    return;
  }
  if (kind === 'stringList') {
    if (!isSeq(node)) {
      report(node ?? pair.key, `"${key}" must be a list of text strings`);
      return;
    }
    const values: Located<string>[] = [];
    for (const item of node.items as Array<Node | null>) {
      const value = readString(item, node, `an entry of "${key}"`, at, report);
      if (value !== undefined) values.push(value);
    }
    fields.stringList.set(key, values);
    return;
  }
  if (node === null) {
    fields.stringMap.set(key, []);
    return;
  }
  if (!isMap(node)) {
    report(node, `"${key}" must be a mapping of variant: canonical form`);
    return;
  }
  const entries: Array<{ from: Located<string>; to: Located<string> }> = [];
  for (const entry of node.items as Pair<Node, Node | null>[]) {
    const from = readString(entry.key, node, `a key of "${key}"`, at, report);
    const to = readString(entry.value, entry.key, `the value of "${key}"`, at, report);
    if (from !== undefined && to !== undefined) entries.push({ from, to });
  }
  fields.stringMap.set(key, entries);
}

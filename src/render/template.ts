/**
 * A card template: a YAML document whose structure *is* the output's structure, with Handlebars
 * only inside string values. Whatever the data holds (a quote, a newline, 2,000 characters), the
 * result is built as values, never as JSON text, so it cannot be malformed.
 *
 * Besides plain values a template may use, inside lists and mappings:
 *   - `$if: path` / `$unless: path` on a mapping — keep it (without the key) only when the value
 *     at `path` is truthy / falsy (an empty list is falsy);
 *   - `$each: path` with `$as: name` on a list entry — one entry per element of the list at
 *     `path`, the element reachable as `name` (and `@index`, `@first`, `@last` in text);
 *   - `$partial: name` as a list entry or a value — the contents of partials/<name>.yaml
 *     (a list partial is spliced into the surrounding list). A partial that is a single text can
 *     also be used inside text, as `{{> name}}`.
 * A string that is exactly one `{{path}}` keeps the type of the value (a number stays a number);
 * a string or value that comes out empty is left out, so optional fields need no `$if`.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type Handlebars from 'handlebars';
import type { ContentProblem } from '../content/problems.js';
import { knownHelpers } from './helpers.js';

type Condition = { path: string[]; negate: boolean };

export type TemplateNode =
  | { kind: 'literal'; value: string | number | boolean; line: number }
  | { kind: 'text'; render: Handlebars.TemplateDelegate; source: string; line: number }
  | { kind: 'value'; path: string[]; line: number }
  | { kind: 'object'; entries: Array<[string, TemplateNode]>; condition?: Condition; line: number }
  | { kind: 'list'; items: TemplateNode[]; line: number }
  | { kind: 'each'; path: string[]; as: string; body: TemplateNode; line: number }
  | { kind: 'partial'; name: string; line: number };

const SINGLE_VALUE = /^\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}$/;
const NAME = /^[A-Za-z_][\w]*$/;
const PARTIAL_NAME = /^[\w-]+$/;
const DIRECTIVES = new Set(['$if', '$unless', '$each', '$as', '$partial']);

export function splitPath(path: string): string[] {
  return path.split('.').filter((part) => part !== '' && part !== 'this');
}

/** Parses YAML template source into its document tree; problems are appended with file and line. */
export class TemplateCompiler {
  private readonly helperNames: Record<string, true>;

  constructor(private readonly handlebars: typeof Handlebars) {
    this.helperNames = knownHelpers(handlebars);
  }

  /** The top-level mapping of a template file as nodes by key, or undefined when it has none. */
  compileFile(file: string, source: string, problems: ContentProblem[]): Map<string, TemplateNode> | undefined {
    const lineCounter = new LineCounter();
    const document = parseDocument(source, { lineCounter, uniqueKeys: true });
    for (const error of document.errors) {
      const position = error.linePos?.[0] ?? { line: 1, col: 1 };
      problems.push({ file, line: position.line, column: position.col, message: `YAML syntax: ${error.message.split('\n')[0]}` });
    }
    if (document.errors.length > 0) return undefined;
    const lineOf = (node: Node | null | undefined): number => lineCounter.linePos(node?.range?.[0] ?? 0).line;
    const root = document.contents;
    if (!isMap(root)) {
      problems.push({ file, line: lineOf(root), column: 1, message: 'expected a mapping at the top level' });
      return undefined;
    }
    const result = new Map<string, TemplateNode>();
    const context = { file, problems, lineOf };
    for (const pair of root.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const node = this.compileNode(pair.value, context, lineOf(pair.key));
      if (node !== undefined) result.set(key, node);
    }
    return result;
  }

  private compileNode(node: Node | null, context: CompileContext, near: number): TemplateNode | undefined {
    const line = node === null ? near : context.lineOf(node);
    if (node === null) return undefined;
    if (isScalar(node)) return this.compileScalar(node.value, line, context);
    if (isSeq(node)) {
      const items = (node.items as Array<Node | null>).flatMap((item) => this.compileNode(item, context, line) ?? []);
      return { kind: 'list', items, line };
    }
    if (isMap(node)) return this.compileMap(node.items as Pair<Node, Node | null>[], line, context);
    context.problems.push({ file: context.file, line, column: 1, message: 'aliases and tags are not supported in templates' });
    return undefined;
  }

  private compileScalar(value: unknown, line: number, context: CompileContext): TemplateNode | undefined {
    if (typeof value === 'number' || typeof value === 'boolean') return { kind: 'literal', value, line };
    if (typeof value !== 'string') return undefined;
    if (!value.includes('{{')) return { kind: 'literal', value, line };
    const single = SINGLE_VALUE.exec(value);
    if (single?.[1] !== undefined && !(single[1] in this.helperNames)) return { kind: 'value', path: splitPath(single[1]), line };
    try {
      // precompile checks syntax and helper names now; compile itself would wait for first use.
      this.handlebars.precompile(value, { ignoreStandalone: true, knownHelpersOnly: true, knownHelpers: this.helperNames });
      return { kind: 'text', render: this.handlebars.compile(value, { noEscape: true, ignoreStandalone: true, knownHelpersOnly: true, knownHelpers: this.helperNames }), source: value, line };
    } catch (error) {
      const message = (error as Error).message.replace(/\s+/g, ' ').trim();
      const offset = Number(/line (\d+)/.exec(message)?.[1] ?? 1) - 1;
      context.problems.push({ file: context.file, line: line + offset, column: 1, message: `template text: ${message}` });
      return undefined;
    }
  }

  private compileMap(pairs: Pair<Node, Node | null>[], line: number, context: CompileContext): TemplateNode | undefined {
    const directives = new Map<string, string>();
    const entries: Array<[string, TemplateNode]> = [];
    for (const pair of pairs) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key.startsWith('$')) {
        const value = isScalar(pair.value) ? String(pair.value.value ?? '') : '';
        if (!DIRECTIVES.has(key) || value === '') {
          context.problems.push({ file: context.file, line: context.lineOf(pair.key), column: 1, message: `unknown directive or empty value: ${key} (known: ${[...DIRECTIVES].join(', ')})` });
          continue;
        }
        directives.set(key, value);
        continue;
      }
      const node = this.compileNode(pair.value, context, context.lineOf(pair.key));
      if (node !== undefined) entries.push([key, node]);
    }
    const partial = directives.get('$partial');
    if (partial !== undefined) {
      if (!PARTIAL_NAME.test(partial) || entries.length > 0) {
        context.problems.push({ file: context.file, line, column: 1, message: `$partial takes a partial name and nothing beside it` });
        return undefined;
      }
      return { kind: 'partial', name: partial, line };
    }
    const ifPath = directives.get('$if');
    const unlessPath = directives.get('$unless');
    const condition: Condition | undefined =
      ifPath !== undefined ? { path: splitPath(ifPath), negate: false } : unlessPath !== undefined ? { path: splitPath(unlessPath), negate: true } : undefined;
    const body: TemplateNode = { kind: 'object', entries, ...(condition ? { condition } : {}), line };
    const each = directives.get('$each');
    if (each === undefined) return body;
    const as = directives.get('$as');
    if (as === undefined || !NAME.test(as)) {
      context.problems.push({ file: context.file, line, column: 1, message: '$each needs $as: a name for the element (letters, digits, _)' });
      return undefined;
    }
    return { kind: 'each', path: splitPath(each), as, body, line };
  }
}

interface CompileContext {
  file: string;
  problems: ContentProblem[];
  lineOf(node: Node | null | undefined): number;
}

/**
 * Renders a compiled template tree (template.ts) with data. Asked to, it also records which
 * template line produced each output path (`/message/.../title` → 12), so that a check of the
 * output can point content staff at the line to fix; a turn's render skips that bookkeeping and
 * renders again with it only when the check fails.
 */
import type { TemplateNode } from './template.js';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** What a template can see: the data, plus the elements bound by enclosing `$each`es. */
type Scope = Record<string, unknown>;

interface Frame {
  index: number;
  first: boolean;
  last: boolean;
}

export interface Rendered {
  value: Json | undefined;
  /** Output JSON pointer → template line, when asked for. */
  lines?: Map<string, number>;
}

export type PartialLookup = (name: string) => TemplateNode | undefined;

export function lookup(scope: unknown, path: readonly string[]): unknown {
  let value: unknown = scope;
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined;
    // Own properties only: a template must not reach prototype members (constructor, __proto__).
    if (!Object.prototype.hasOwnProperty.call(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value);
}

function isEmpty(value: Json | undefined): boolean {
  return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
}

/** Blank-line runs left by optional template lines fold to one; the ends are trimmed. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function toJson(value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.flatMap((entry) => toJson(entry) ?? []);
  if (typeof value === 'object') {
    const out: Record<string, Json> = {};
    for (const [key, entry] of Object.entries(value)) {
      const json = toJson(entry);
      if (json !== undefined) out[key] = json;
    }
    return out;
  }
  return undefined;
}

export class Evaluator {
  private constructor(
    private readonly partials: PartialLookup,
    private readonly lines: Map<string, number> | undefined,
  ) {}

  static render(node: TemplateNode, data: Scope, partials: PartialLookup, options: { lines: boolean }): Rendered {
    const evaluator = new Evaluator(partials, options.lines ? new Map() : undefined);
    const value = evaluator.node(node, data, undefined, '');
    return { value, ...(evaluator.lines ? { lines: evaluator.lines } : {}) };
  }

  /** The pointer of a child: only built when lines are recorded. */
  private child(pointer: string, key: string | number): string {
    return this.lines ? `${pointer}/${key}` : pointer;
  }

  private node(node: TemplateNode, scope: Scope, frame: Frame | undefined, pointer: string): Json | undefined {
    this.lines?.set(pointer, node.line);
    switch (node.kind) {
      case 'literal':
        return node.value;
      case 'value':
        return toJson(lookup(scope, node.path));
      case 'text': {
        const text = tidy(node.render(scope, { data: frame ? { ...frame } : {} }));
        return text === '' ? undefined : text;
      }
      case 'object':
        return node.condition && truthy(lookup(scope, node.condition.path)) === node.condition.negate ? undefined : this.object(node.entries, scope, frame, pointer);
      case 'list':
        return this.list(node.items, scope, frame, pointer);
      case 'each':
        return this.list([node], scope, frame, pointer);
      case 'partial': {
        const partial = this.partials(node.name);
        return partial === undefined ? undefined : this.node(partial, scope, frame, pointer);
      }
    }
  }

  private object(entries: Array<[string, TemplateNode]>, scope: Scope, frame: Frame | undefined, pointer: string): Json {
    const out: Record<string, Json> = {};
    for (const [key, child] of entries) {
      const value = this.node(child, scope, frame, this.child(pointer, key));
      if (!isEmpty(value)) out[key] = value as Json;
    }
    return out;
  }

  /** List entries, with `$each` entries expanded and list partials spliced in. */
  private list(items: TemplateNode[], scope: Scope, frame: Frame | undefined, pointer: string): Json[] {
    const out: Json[] = [];
    const push = (child: TemplateNode, childScope: Scope, childFrame: Frame | undefined): void => {
      const value = this.node(child, childScope, childFrame, this.child(pointer, out.length));
      if (isEmpty(value)) return;
      if (child.kind === 'partial' && Array.isArray(value)) out.push(...value);
      else out.push(value as Json);
    };
    for (const item of items) {
      if (item.kind !== 'each') {
        push(item, scope, frame);
        continue;
      }
      const elements = lookup(scope, item.path);
      if (!Array.isArray(elements)) continue;
      elements.forEach((element: unknown, index) => {
        const childFrame = { index, first: index === 0, last: index === elements.length - 1 };
        push(item.body, { ...scope, [item.as]: element }, childFrame);
      });
    }
    return out;
  }
}

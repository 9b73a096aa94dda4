/**
 * All card templates of cards/: loaded and compiled at start (a broken one is refused with its
 * file and line), rendered by name with a flow's data, brought within the carrier limits and
 * checked against the card schema before anything is queued.
 *
 *   cards/templates/<name>.yaml          a template: `text` | `card` | `carousel`, `chips`, `sms`
 *   cards/templates/<name>.samples.yaml  sample data for it: a mapping of sample name → data
 *   cards/partials/<name>.yaml           a shared fragment: `content` (used with `$partial`)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ContentError, type ContentProblem } from '../content/problems.js';
import { clampMessage } from './clamp.js';
import { describeSchemaErrors, validateRenderedMessage, type SchemaProblem } from './cardSchema.js';
import { Evaluator, type Json } from './evaluate.js';
import { createHandlebars, type HelperSettings } from './helpers.js';
import { assembleMessage, MESSAGE_KINDS, outputPointer, type MessageKind, type RenderedMessage } from './renderedMessage.js';
import { TemplateCompiler, type TemplateNode } from './template.js';

const TEMPLATE_KEYS = new Set(['description', ...MESSAGE_KINDS, 'chips', 'sms']);
const SAMPLES_SUFFIX = '.samples.yaml';

export interface CardTemplate {
  name: string;
  /** Relative to the cards directory, as problems name it. */
  file: string;
  kind: MessageKind;
  /** What the template is for, in the staff's words. */
  description?: string;
  parts: Map<string, TemplateNode>;
  /** Sample name → data, from the samples file beside the template. */
  samples: Map<string, Record<string, unknown>>;
}

/** A rendered message before the limits are enforced, with the template line behind each value. */
export interface RawRender {
  message: RenderedMessage;
  /** Output JSON pointer → template line. */
  lines: Map<string, number>;
}

/** Rendering produced a message the carrier would refuse even after clamping: a template bug. */
export class RenderError extends Error {
  constructor(
    readonly template: string,
    readonly problems: ContentProblem[],
  ) {
    super(`template ${template} rendered an invalid message:\n${problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join('\n')}`);
    this.name = 'RenderError';
  }
}

function yamlFiles(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.yaml'))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

export class TemplateSet {
  private constructor(
    private readonly templates: Map<string, CardTemplate>,
    private readonly partials: Map<string, TemplateNode>,
  ) {}

  /** Loads cards/; throws ContentError listing every problem with file and line. */
  static load(cardsDir: string, settings: HelperSettings): TemplateSet {
    const handlebars = createHandlebars(settings);
    const compiler = new TemplateCompiler(handlebars);
    const problems: ContentProblem[] = [];
    const partials = new Map<string, TemplateNode>();
    for (const fileName of yamlFiles(join(cardsDir, 'partials'))) {
      const file = `partials/${fileName}`;
      const parts = compiler.compileFile(file, readFileSync(join(cardsDir, file), 'utf8'), problems);
      const content = parts?.get('content');
      if (parts && content === undefined) problems.push({ file, line: 1, column: 1, message: 'a partial needs a "content" key' });
      if (!content) continue;
      const name = fileName.replace(/\.yaml$/, '');
      partials.set(name, content);
      // A text partial is also a Handlebars partial, for use inside text: {{> name}}.
      if (content.kind === 'text' || (content.kind === 'literal' && typeof content.value === 'string')) {
        handlebars.registerPartial(name, content.kind === 'text' ? content.source : String(content.value));
      }
    }
    const templates = new Map<string, CardTemplate>();
    for (const fileName of yamlFiles(join(cardsDir, 'templates'))) {
      if (fileName.endsWith(SAMPLES_SUFFIX)) continue;
      const template = loadTemplate(cardsDir, fileName, compiler, problems);
      if (template) templates.set(template.name, template);
    }
    for (const fileName of yamlFiles(join(cardsDir, 'templates'))) {
      if (fileName.endsWith(SAMPLES_SUFFIX) && !templates.has(fileName.slice(0, -SAMPLES_SUFFIX.length))) {
        problems.push({ file: `templates/${fileName}`, line: 1, column: 1, message: 'samples for a template that does not exist' });
      }
    }
    checkPartialUse(templates, partials, problems);
    if (problems.length > 0) throw new ContentError(problems);
    return new TemplateSet(templates, partials);
  }

  names(): string[] {
    return [...this.templates.keys()];
  }

  get(name: string): CardTemplate | undefined {
    return this.templates.get(name);
  }

  has(name: string): boolean {
    return this.templates.has(name);
  }

  /** Renders as the carrier will get it: limits enforced, then checked; throws RenderError if still invalid. */
  render(name: string, data: Record<string, unknown>): RenderedMessage {
    const message = clampMessage(this.evaluate(name, data, false).message);
    if (validateRenderedMessage(message)) return message;
    // Only a message that fails the check needs the template line behind each value: render again, recording them.
    const raw = this.renderRaw(name, data);
    throw new RenderError(name, this.check(name, clampMessage(raw.message), raw.lines));
  }

  /** Renders without enforcing the limits (what `cards:lint` checks). */
  renderRaw(name: string, data: Record<string, unknown>): RawRender {
    return this.evaluate(name, data, true);
  }

  private evaluate(name: string, data: Record<string, unknown>, withLines: boolean): RawRender {
    const template = this.templates.get(name);
    if (!template) throw new Error(`no card template named "${name}"`);
    const parts = new Map<string, Json | undefined>();
    const lines = new Map<string, number>();
    for (const [part, node] of template.parts) {
      const rendered = Evaluator.render(node, data, (partial) => this.partials.get(partial), { lines: withLines });
      parts.set(part, rendered.value);
      for (const [pointer, line] of rendered.lines ?? []) lines.set(outputPointer(template.kind, part, pointer), line);
    }
    return { message: assembleMessage(template.kind, parts), lines };
  }

  /** Schema and limit problems of a rendered message, each at the template line that produced it. */
  check(name: string, message: RenderedMessage, lines: Map<string, number>): ContentProblem[] {
    if (validateRenderedMessage(message)) return [];
    const file = this.templates.get(name)?.file ?? name;
    return describeSchemaErrors(validateRenderedMessage.errors).map((problem: SchemaProblem) => ({ file, line: lineFor(problem.pointer, lines), column: 1, message: problem.message }));
  }
}

/** The line of the nearest rendered ancestor of `pointer`. */
function lineFor(pointer: string, lines: Map<string, number>): number {
  for (let at = pointer; ; at = at.slice(0, at.lastIndexOf('/'))) {
    const line = lines.get(at);
    if (line !== undefined) return line;
    if (at === '') return 1;
  }
}

function loadTemplate(cardsDir: string, fileName: string, compiler: TemplateCompiler, problems: ContentProblem[]): CardTemplate | undefined {
  const file = `templates/${fileName}`;
  const parts = compiler.compileFile(file, readFileSync(join(cardsDir, file), 'utf8'), problems);
  if (!parts) return undefined;
  for (const key of parts.keys()) {
    if (!TEMPLATE_KEYS.has(key)) problems.push({ file, line: 1, column: 1, message: `unknown key "${key}" (allowed: ${[...TEMPLATE_KEYS].join(', ')})` });
  }
  const kinds = MESSAGE_KINDS.filter((kind) => parts.has(kind));
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    problems.push({ file, line: 1, column: 1, message: `needs exactly one of ${MESSAGE_KINDS.join(', ')} (found ${kinds.length === 0 ? 'none' : kinds.join(', ')})` });
    return undefined;
  }
  if (kind !== 'text' && !parts.has('sms')) problems.push({ file, line: 1, column: 1, message: `a ${kind} needs "sms": the text a phone without 5G messaging gets` });
  const description = parts.get('description');
  parts.delete('description');
  const name = fileName.replace(/\.yaml$/, '');
  return {
    name,
    file,
    kind,
    ...(description?.kind === 'literal' ? { description: String(description.value) } : {}),
    parts,
    samples: loadSamples(cardsDir, name, problems),
  };
}

function loadSamples(cardsDir: string, name: string, problems: ContentProblem[]): Map<string, Record<string, unknown>> {
  const file = `templates/${name}${SAMPLES_SUFFIX}`;
  let source: string;
  try {
    source = readFileSync(join(cardsDir, file), 'utf8');
  } catch {
    problems.push({ file: `templates/${name}.yaml`, line: 1, column: 1, message: `no sample data: add ${file}` });
    return new Map();
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(source);
  } catch (error) {
    const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line ?? 1;
    problems.push({ file, line, column: 1, message: `YAML syntax: ${(error as Error).message.split('\n')[0]}` });
    return new Map();
  }
  const entries = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? Object.entries(parsed) : [];
  const samples = new Map<string, Record<string, unknown>>();
  for (const [sample, data] of entries) {
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) samples.set(sample, data as Record<string, unknown>);
    else problems.push({ file, line: 1, column: 1, message: `sample "${sample}" must be a mapping of data` });
  }
  if (samples.size === 0) problems.push({ file, line: 1, column: 1, message: 'needs at least one sample: a mapping of sample name → data' });
  return samples;
}

/** Every `$partial` names an existing partial (a partial may use others, but not itself in a cycle). */
function checkPartialUse(templates: Map<string, CardTemplate>, partials: Map<string, TemplateNode>, problems: ContentProblem[]): void {
  const visit = (node: TemplateNode, file: string, seen: string[]): void => {
    if (node.kind === 'partial') {
      const target = partials.get(node.name);
      if (!target) problems.push({ file, line: node.line, column: 1, message: `no partial named "${node.name}" (partials: ${[...partials.keys()].join(', ') || 'none'})` });
      else if (seen.includes(node.name)) problems.push({ file, line: node.line, column: 1, message: `partial "${node.name}" includes itself` });
      else visit(target, `partials/${node.name}.yaml`, [...seen, node.name]);
      return;
    }
    if (node.kind === 'object') for (const [, child] of node.entries) visit(child, file, seen);
    if (node.kind === 'list') for (const child of node.items) visit(child, file, seen);
    if (node.kind === 'each') visit(node.body, file, seen);
  };
  for (const template of templates.values()) for (const node of template.parts.values()) visit(node, template.file, []);
}

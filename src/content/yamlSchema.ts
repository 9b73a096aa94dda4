/**
 * A structured YAML content file checked against a zod schema, every problem reported with the
 * file and line of the value it is about (or of its nearest ancestor). The shape and meaning of
 * the file are the schema's; this only turns its findings into content problems.
 */
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import type { ContentProblem } from './problems.js';
import { SourceLocator } from './locate.js';

/** The parsed and checked value, or undefined with the problems appended. */
export function parseYamlWithSchema<T>(file: string, source: string, schema: z.ZodType<T>, problems: ContentProblem[]): T | undefined {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, uniqueKeys: true });
  if (document.errors.length > 0) {
    for (const error of document.errors) {
      const position = error.linePos?.[0] ?? { line: 1, col: 1 };
      problems.push({ file, line: position.line, column: position.col, message: `YAML syntax: ${error.message.split('\n')[0]}` });
    }
    return undefined;
  }
  const result = schema.safeParse(document.toJS());
  if (result.success) return result.data;
  const locator = new SourceLocator(source);
  for (const issue of result.error.issues) {
    const path = issue.path.filter((key): key is string | number => typeof key !== 'symbol');
    problems.push({ file, ...locator.positionOf(path), message: `${path.join('.') || '(file)'}: ${issue.message}` });
  }
  return undefined;
}

/**
 * Where a value sits in a JSON or YAML source, so that a problem found after parsing (a schema
 * check on the parsed value) can still name the file's line. JSON is YAML 1.2, so the `yaml`
 * package reads both and keeps each node's source range.
 */
import { LineCounter, parseDocument, type Document } from 'yaml';

export interface SourcePosition {
  line: number;
  column: number;
}

export class SourceLocator {
  private readonly lineCounter = new LineCounter();
  private readonly document: Document;

  constructor(source: string) {
    this.document = parseDocument(source, { lineCounter: this.lineCounter, keepSourceTokens: false });
  }

  /** The position of the value at `path`, or of its nearest existing ancestor; 1:1 when nothing matches. */
  positionOf(path: readonly PropertyKey[]): SourcePosition {
    for (let length = path.length; length >= 0; length--) {
      const node = this.document.getIn(path.slice(0, length) as unknown[], true);
      const offset = nodeOffset(node);
      if (offset !== undefined) {
        const { line, col } = this.lineCounter.linePos(offset);
        return { line, column: col };
      }
    }
    return { line: 1, column: 1 };
  }
}

function nodeOffset(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  return (node as { range?: [number, number, number] }).range?.[0];
}

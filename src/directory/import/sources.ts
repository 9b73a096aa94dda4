/**
 * The rows of an import body, streamed: CSV with a header row (csv-parse) or NDJSON (one JSON
 * object a line). Each row comes with its line number; a row that cannot be read at all comes as
 * a problem with its line instead, and reading goes on with the next one.
 */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import { IMPORT_COLUMNS, REQUIRED_COLUMNS } from './row.js';

export type SourceRow = { line: number; row: Record<string, unknown> } | { line: number; problem: string };

/** The whole file is unusable (a bad header): nothing is imported. */
export class ImportFormatError extends Error {}

function checkHeader(header: string[]): void {
  const unknown = header.filter((name) => !(IMPORT_COLUMNS as readonly string[]).includes(name));
  if (unknown.length > 0) throw new ImportFormatError(`header: unknown column(s) ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')} (known: ${IMPORT_COLUMNS.join(', ')})`);
  const missing = REQUIRED_COLUMNS.filter((name) => !header.includes(name));
  if (missing.length > 0) throw new ImportFormatError(`header: missing column(s) ${missing.join(', ')}`);
  const repeated = header.filter((name, index) => header.indexOf(name) !== index);
  if (repeated.length > 0) throw new ImportFormatError(`header: column(s) ${[...new Set(repeated)].join(', ')} given twice`);
}

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

interface CsvSkip {
  code?: string;
  message: string;
  lines?: number;
}

export async function* csvRows(body: Readable): AsyncGenerator<SourceRow> {
  const parser = body.pipe(parse({ bom: true, info: true, relax_column_count: true, relax_quotes: true, skip_records_with_error: true, skip_empty_lines: true, trim: true }));
  const skipped: SourceRow[] = [];
  let lastLine = 0;
  parser.on('skip', (error: CsvSkip) => {
    const line = error.lines ?? lastLine + 1;
    const problem =
      error.code === 'CSV_QUOTE_NOT_CLOSED'
        ? `a quoted field opened after line ${lastLine} is never closed: lines ${lastLine + 1}–${line} could not be read`
        : `not readable as CSV: ${error.message.split(':')[0]}`;
    skipped.push({ line, problem });
  });
  let header: string[] | undefined;
  for await (const { record, info } of parser as AsyncIterable<CsvRecord>) {
    yield* skipped.splice(0);
    lastLine = info.lines;
    if (header === undefined) {
      header = record.map((name) => name.trim());
      checkHeader(header);
      continue;
    }
    if (record.length !== header.length) {
      yield { line: info.lines, problem: `has ${record.length} fields, the header has ${header.length}` };
      continue;
    }
    const row: Record<string, unknown> = {};
    header.forEach((name, index) => (row[name] = record[index]));
    yield { line: info.lines, row };
  }
  yield* skipped.splice(0);
  if (header === undefined) throw new ImportFormatError('the body has no header row');
}

export async function* ndjsonRows(body: Readable): AsyncGenerator<SourceRow> {
  let line = 0;
  for await (const text of createInterface({ input: body, crlfDelay: Infinity })) {
    line++;
    if (text.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { line, problem: `not valid JSON: ${(error as Error).message.slice(0, 80)}` };
      continue;
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      yield { line, problem: 'must be a JSON object' };
      continue;
    }
    const unknown = Object.keys(value).filter((name) => !(IMPORT_COLUMNS as readonly string[]).includes(name));
    if (unknown.length > 0) {
      yield { line, problem: `unknown field(s) ${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')} (known: ${IMPORT_COLUMNS.join(', ')})` };
      continue;
    }
    yield { line, row: value as Record<string, unknown> };
  }
}

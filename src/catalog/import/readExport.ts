/**
 * Reads a catalog export, CSV (a header row with the export's column names, UTF-8 with or without
 * BOM, quoted cells may hold line breaks) or JSON (an array of objects with those names, or
 * `{ "items": [...] }`), into records with the line each starts on.
 *
 * CSV is read by csv-parse (no dependencies, ~1.7 MB installed, loaded only by this command, not
 * by the bot): quoting, escaped quotes and cells spanning lines are what hand-written splitting
 * gets wrong.
 */
import { parse } from 'csv-parse/sync';
import { SourceLocator } from '../../content/locate.js';

export interface ExportRecord {
  line: number;
  cells: Record<string, string | undefined>;
  /** Set when the record cannot be read as a row (a wrong number of cells). */
  problem?: string;
}

export interface ExportFile {
  columns: string[];
  records: ExportRecord[];
}

function looksLikeJson(source: string): boolean {
  return /^\s*[[{]/u.test(source.replace(/^\uFEFF/u, ''));
}

function readCsv(source: string): ExportFile {
  const parsed = parse(source, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as Array<{
    record: Record<string, string>;
    info: { lines: number; columns: Array<{ name: string }> | boolean; error?: unknown };
  }>;
  const first = parsed[0]?.info.columns;
  const columns = Array.isArray(first) ? first.map((column) => column.name) : (source.replace(/^\uFEFF/u, '').split(/\r?\n/u)[0] ?? '').split(',');
  const records = parsed.map(({ record, info }): ExportRecord => {
    // csv-parse counts lines up to the end of the record; a quoted cell can span several.
    const breaks = Object.values(record).reduce((sum, value) => sum + (value.match(/\n/gu)?.length ?? 0), 0);
    const cellCount = Object.keys(record).length;
    return {
      line: info.lines - breaks,
      cells: record,
      ...(info.error === undefined ? {} : { problem: `has ${cellCount} cell(s), the header has ${columns.length}` }),
    };
  });
  return { columns, records };
}

function readJson(source: string): ExportFile {
  const json = JSON.parse(source.replace(/^\uFEFF/u, '')) as unknown;
  const inItems = !Array.isArray(json) && typeof json === 'object' && json !== null && Array.isArray((json as { items?: unknown }).items);
  const rows: unknown[] = Array.isArray(json) ? json : inItems ? (json as { items: unknown[] }).items : [];
  if (!Array.isArray(json) && !inItems) throw new Error('a JSON export must be an array of rows or an object with an "items" array');
  const locator = new SourceLocator(source.replace(/^\uFEFF/u, ''));
  const columns = new Set<string>();
  const records = rows.map((row, index): ExportRecord => {
    const line = locator.positionOf(inItems ? ['items', index] : [index]).line;
    if (typeof row !== 'object' || row === null || Array.isArray(row)) return { line, cells: {}, problem: 'is not an object of column names and values' };
    const cells: Record<string, string | undefined> = {};
    for (const [column, value] of Object.entries(row)) {
      columns.add(column);
      cells[column] = Array.isArray(value) ? value.map(String).join('\n') : value === null || value === undefined ? undefined : String(value);
    }
    return { line, cells };
  });
  return { columns: [...columns], records };
}

export function readExport(source: string): ExportFile {
  return looksLikeJson(source) ? readJson(source) : readCsv(source);
}

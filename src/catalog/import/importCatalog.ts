/**
 * Merges a catalog export into the catalog. A row whose 实施编码 (or, failing that, name) matches an
 * item already in the catalog updates what the export knows — name, department, theme,
 * description, conditions, materials, steps, time limits, fee, phone, legal basis — and keeps what
 * staff set and the export does not carry: code, aliases (the export's are added), badges, online
 * address, appointment, hall and window. Other rows become new items. A row that cannot be read,
 * lacks a required cell or is not a service item is reported with its line and skipped; so is a
 * second row with the same 实施编码.
 */
import type { CatalogData, ServiceItem } from '../schema.js';
import { byKey, KNOWN_COLUMNS, REQUIRED_COLUMNS } from './exportRow.js';
import { mapRow } from './mapRow.js';
import type { ExportFile } from './readExport.js';

export interface ImportProblem {
  line: number;
  message: string;
}

export interface ImportResult {
  catalog: CatalogData;
  added: string[];
  updated: string[];
  skipped: ImportProblem[];
  /** Columns the import does not know (ignored). */
  unknownColumns: string[];
}

export class ExportHeaderError extends Error {}

function merge(existing: ServiceItem, imported: ServiceItem, implementationCode: string): ServiceItem {
  return {
    ...existing,
    implementationCode,
    name: imported.name,
    department: imported.department,
    theme: imported.theme,
    description: imported.description === imported.name ? existing.description : imported.description,
    aliases: [...new Set([...existing.aliases, ...imported.aliases])],
    conditions: imported.conditions,
    materials: imported.materials,
    steps: imported.steps,
    timeLimit: imported.timeLimit,
    fee: imported.fee,
    phone: imported.phone,
    legalBasis: imported.legalBasis.length > 0 ? imported.legalBasis : existing.legalBasis,
  };
}

export function importCatalog(catalog: CatalogData, file: ExportFile): ImportResult {
  const missing = REQUIRED_COLUMNS.filter((column) => !file.columns.includes(column));
  if (missing.length > 0) throw new ExportHeaderError(`the export lacks the column(s) ${missing.join(', ')}`);
  const items = [...catalog.items];
  const byImplementationCode = new Map(items.flatMap((item, i) => (item.implementationCode === undefined ? [] : [[item.implementationCode, i] as const])));
  const byName = new Map(items.map((item, i) => [item.name, i] as const));
  const byCode = new Map(items.map((item, i) => [item.code, i] as const));
  const seen = new Map<string, number>();
  const result: ImportResult = { catalog, added: [], updated: [], skipped: [], unknownColumns: file.columns.filter((column) => !KNOWN_COLUMNS.has(column)) };
  for (const record of file.records) {
    if (record.problem !== undefined) {
      result.skipped.push({ line: record.line, message: `row ${record.problem}` });
      continue;
    }
    const mapped = mapRow(byKey(record.cells), catalog.halls);
    if ('problems' in mapped) {
      result.skipped.push(...mapped.problems.map((message) => ({ line: record.line, message })));
      continue;
    }
    const { item, implementationCode } = mapped;
    const earlier = seen.get(implementationCode);
    if (earlier !== undefined) {
      result.skipped.push({ line: record.line, message: `实施编码 ${implementationCode} was already imported from line ${earlier}` });
      continue;
    }
    seen.set(implementationCode, record.line);
    const at = byImplementationCode.get(implementationCode) ?? byName.get(item.name);
    if (at !== undefined) {
      const existing = items[at] as ServiceItem;
      items[at] = merge(existing, item, implementationCode);
      result.updated.push(existing.code);
      continue;
    }
    if (byCode.has(item.code)) {
      result.skipped.push({ line: record.line, message: `its code "${item.code}" (from 实施编码) belongs to another item` });
      continue;
    }
    byCode.set(item.code, items.length);
    items.push({ ...item, implementationCode });
    result.added.push(item.code);
  }
  result.catalog = { ...catalog, items };
  return result;
}

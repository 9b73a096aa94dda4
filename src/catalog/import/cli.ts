/**
 * `npm run catalog:import -- FILE [--catalog PATH] [--dry-run]`: merges a 政务服务事项 catalog
 * export (CSV or JSON, see readExport.ts) into intents/catalog/services.json. Every skipped row is
 * printed as `FILE:LINE: problem`; the result is checked with the catalog's own validation before
 * it is written (atomically), so a bad import never leaves a broken catalog.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseCatalog } from '../catalog.js';
import { ContentError } from '../../content/problems.js';
import { ExportHeaderError, importCatalog } from './importCatalog.js';
import { readExport } from './readExport.js';

function usage(): never {
  console.error('usage: npm run catalog:import -- <export.csv|export.json> [--catalog intents/catalog/services.json] [--dry-run]');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const catalogAt = args.indexOf('--catalog');
  const catalogPath = resolve(catalogAt >= 0 ? (args[catalogAt + 1] ?? usage()) : 'intents/catalog/services.json');
  const file = args.find((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--catalog');
  if (file === undefined) usage();
  const catalog = parseCatalog(await readFile(catalogPath, 'utf8'), catalogPath);
  const result = importCatalog(catalog.data, readExport(await readFile(file, 'utf8')));
  for (const column of result.unknownColumns) console.error(`${file}:1: unknown column "${column}" ignored`);
  for (const problem of result.skipped) console.error(`${file}:${problem.line}: skipped: ${problem.message}`);
  const text = `${JSON.stringify(result.catalog, null, 2)}\n`;
  parseCatalog(text, catalogPath);
  const skippedRows = new Set(result.skipped.map((problem) => problem.line)).size;
  console.log(`${result.added.length} item(s) added, ${result.updated.length} updated, ${skippedRows} row(s) skipped${args.includes('--dry-run') ? ' (dry run: nothing written)' : ` → ${catalogPath}`}`);
  if (args.includes('--dry-run')) return;
  const temporary = `${catalogPath}.${process.pid}.tmp`;
  await writeFile(temporary, text);
  await rename(temporary, catalogPath);
}

main().catch((error: unknown) => {
  if (error instanceof ContentError || error instanceof ExportHeaderError) console.error(error.message);
  else console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

/**
 * `npm start` on an empty directory: a small synthetic one, imported through the same checks as
 * any import, so the finder, previews and campaigns can be tried at once. The first enterprise's
 * contact is the web phone's default number, so asking 惠企政策 there answers for it.
 */
import type { Directory } from '../directory.js';
import { importRows } from '../import/importer.js';
import type { SourceRow } from '../import/sources.js';
import type { Vocabulary } from '../vocabulary.js';
import { generateDirectory } from './generate.js';

export async function seedDemoDirectory(directory: Directory, vocabulary: Vocabulary, size: number, showcasePhone: string): Promise<number> {
  if (size === 0 || (await directory.model.estimatedDocumentCount()) > 0) return 0;
  async function* rows(): AsyncGenerator<SourceRow> {
    let line = 0;
    for (const row of generateDirectory(size, { showcasePhone })) yield { line: ++line, row: { ...row, phone: row.phone === '' ? undefined : row.phone } };
  }
  const summary = await importRows(directory.model, rows(), vocabulary);
  return summary.imported;
}

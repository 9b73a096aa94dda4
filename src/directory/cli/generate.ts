/**
 * `npm run gen:enterprises -- --count 100000 [--format csv|ndjson] [--seed N] [--out FILE]`:
 * writes a synthetic enterprise directory in the staff API's import format (to stdout, or FILE),
 * streamed, so any count fits in memory. Import it with
 * `curl -H 'content-type: text/csv' -H "authorization: Bearer $KEY" --data-binary @FILE http://127.0.0.1:3000/admin/enterprises`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { parseArgs } from 'node:util';
import { csvHeader, csvLine, generateDirectory, ndjsonLine } from '../demo/generate.js';

const { values } = parseArgs({
  options: {
    count: { type: 'string', default: '1000' },
    format: { type: 'string', default: 'csv' },
    seed: { type: 'string' },
    out: { type: 'string' },
  },
});

const count = Number(values.count);
if (!Number.isInteger(count) || count < 1) {
  console.error('--count must be a whole number of 1 or more');
  process.exit(2);
}
if (values.format !== 'csv' && values.format !== 'ndjson') {
  console.error('--format must be csv or ndjson');
  process.exit(2);
}
const output = values.out ? createWriteStream(values.out) : process.stdout;
const write = async (text: string): Promise<void> => {
  if (!output.write(text)) await once(output, 'drain');
};
if (values.format === 'csv') await write(csvHeader());
for (const row of generateDirectory(count, { ...(values.seed ? { seed: Number(values.seed) } : {}) })) {
  await write(values.format === 'csv' ? csvLine(row) : ndjsonLine(row));
}
if (values.out) {
  output.end();
  await once(output, 'finish');
  console.error(`wrote ${count} enterprises to ${values.out}`);
}

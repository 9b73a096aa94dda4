/**
 * `npm run catalog:generate -- --items 530 --out DIR [--seed N]`: a copy of intents/ in
 * DIR/intents whose catalog holds the real items (with their phrase files) plus generated ones up
 * to N items in all, and DIR/questions.jsonl with labelled questions about the generated items,
 * for `npm run eval -- DIR/questions.jsonl --intents DIR/intents`.
 */
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseCatalog } from '../../../src/catalog/catalog.js';
import { generateCatalog } from './generate.js';

function option(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const count = Number(option(args, '--items'));
  const out = option(args, '--out');
  const seed = Number(option(args, '--seed') ?? 530);
  if (!Number.isInteger(count) || out === undefined) {
    console.error('usage: npm run catalog:generate -- --items <n> --out <dir> [--seed <n>]');
    process.exit(2);
  }
  const intents = join(resolve(out), 'intents');
  await mkdir(intents, { recursive: true });
  await cp(resolve('intents'), intents, { recursive: true });
  const catalog = parseCatalog(await readFile(join(intents, 'catalog', 'services.json'), 'utf8')).data;
  const generated = generateCatalog({ count: Math.max(0, count - catalog.items.length), halls: catalog.halls, seed });
  const text = `${JSON.stringify({ ...catalog, items: [...catalog.items, ...generated.map((g) => g.item)] }, null, 2)}\n`;
  parseCatalog(text);
  await writeFile(join(intents, 'catalog', 'services.json'), text);
  const questions = generated.flatMap(({ item, questions: texts }) => texts.map((text) => JSON.stringify({ text, expect: { type: 'item', code: item.code }, tags: ['generated'] })));
  await writeFile(join(resolve(out), 'questions.jsonl'), `${questions.join('\n')}\n`);
  console.log(`${catalog.items.length + generated.length} items (${generated.length} generated) → ${intents}; ${questions.length} questions → ${join(resolve(out), 'questions.jsonl')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});

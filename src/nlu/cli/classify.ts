/**
 * `npm run --silent classify`: one message per stdin line → one JSON object per stdout line:
 *   {"text":"…","decision":{…},"top":[{…,"score":0.91},…]}
 * Nothing else is written to stdout; logs (warnings only, unless LOG_LEVEL says more) go to stderr.
 * `--intents <dir>` reads another content directory, `--cache <dir>` keeps the cache elsewhere.
 */
import { createInterface } from 'node:readline';
import { cacheDirFrom, classifierFromConfig, failWith, intentsDirFrom, stderrLogger } from './setup.js';

async function main(): Promise<void> {
  const log = stderrLogger(process.env.LOG_LEVEL ?? 'warn');
  const classifier = await classifierFromConfig({ intentsDir: intentsDirFrom(process.argv), cacheDir: cacheDirFrom(process.argv), log });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const text = line.replace(/\r$/, '');
    const { decision, top } = classifier.classify(text);
    process.stdout.write(`${JSON.stringify({ text, decision, top })}\n`);
  }
}

main().catch(failWith);

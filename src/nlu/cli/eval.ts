/**
 * `npm run eval -- <file.jsonl> [--json]`: figures of the classifier on a labelled query set
 * (definitions in src/nlu/evaluate.ts and src/nlu/README.md); a file whose lines carry `aspect`
 * labels measures understanding in context instead (src/nlu/evaluateAspects.ts).
 * `npm run eval -- --cv <k> [--json]`: k-fold cross-validation on the intents/ phrases; with
 * `--sweep`, the cross-validated figures of a grid of thresholds and the ones the rule chooses.
 * `npm run eval -- --held-out-items <share> [--repeat <n>] [<file.jsonl>]`: the phrase files of a
 * random share of the items are removed, the model retrained, and the questions about those items
 * (their phrases, and the file's lines — by default the dev set) scored apart from the kept items'.
 * `--intents <dir>` reads another content directory, `--cache <dir>` keeps the cache elsewhere.
 */
import { readFile } from 'node:fs/promises';
import { configuredThresholds, resolveThresholds } from '../classifier.js';
import { loadContent } from '../content/load.js';
import { chooseThresholds, crossValidatedRankings, formatCrossValidation, formatSweep, knownItemsReport, thresholdSweep } from '../crossValidation.js';
import { evaluate, formatReport, parseQueries } from '../evaluate.js';
import { formatHeldOutRuns, heldOutItemRuns } from '../heldOutItems.js';
import { loadConfig } from '../../config.js';
import { evaluateAspects, formatAspectReport, hasAspectLabels, parseAspectQueries } from '../evaluateAspects.js';
import { cacheDirFrom, collectGarbage, failWith, intentsDirFrom, nluFromConfig, stderrLogger } from './setup.js';

const DEV_SET = 'test/fixtures/dev-queries.jsonl';

/** The rule `--sweep` applies (chooseThresholds): at least 80 % out-of-scope recall. */
const SWEEP_MIN_RECALL = 0.8;

function usage(): never {
  console.error('usage: npm run eval -- <queries.jsonl> [--json] | --cv <k> [--sweep] [--json] | --held-out-items <share> [--repeat <n>] [<queries.jsonl>] [--json]');
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const cvAt = args.indexOf('--cv');
  const log = stderrLogger(process.env.LOG_LEVEL ?? 'warn');
  if (cvAt >= 0) {
    const folds = Number(args[cvAt + 1]);
    if (!Number.isInteger(folds) || folds < 2) usage();
    const config = loadConfig();
    const thresholds = resolveThresholds(configuredThresholds(config));
    const content = await loadContent(intentsDirFrom(args));
    const rankings = crossValidatedRankings(content, folds);
    if (args.includes('--sweep')) {
      const rows = thresholdSweep(rankings);
      const chosen = chooseThresholds(rows, SWEEP_MIN_RECALL);
      console.log(json ? JSON.stringify({ rows, chosen }, null, 2) : formatSweep(rows, chosen));
      return;
    }
    const report = knownItemsReport(rankings, folds, thresholds);
    console.log(json ? JSON.stringify(report, null, 2) : formatCrossValidation(report));
    return;
  }
  const valued = new Set(['--intents', '--cache', '--held-out-items', '--repeat']);
  const positional = args.find((arg, i) => !arg.startsWith('--') && !valued.has(args[i - 1] ?? ''));
  const heldOutAt = args.indexOf('--held-out-items');
  if (heldOutAt >= 0) {
    const share = Number(args[heldOutAt + 1]);
    const repeatAt = args.indexOf('--repeat');
    const repeats = repeatAt >= 0 ? Number(args[repeatAt + 1]) : 1;
    if (!(share > 0 && share < 1) || !Number.isInteger(repeats) || repeats < 1) usage();
    const config = loadConfig();
    const thresholds = resolveThresholds(configuredThresholds(config));
    const queriesFile = positional ?? DEV_SET;
    const content = await loadContent(intentsDirFrom(args));
    const runs = heldOutItemRuns(content, parseQueries(await readFile(queriesFile, 'utf8'), queriesFile), { share, repeats, thresholds });
    console.log(json ? JSON.stringify(runs, null, 2) : formatHeldOutRuns(runs, share));
    return;
  }
  const file = positional;
  if (file === undefined) usage();
  const source = await readFile(file, 'utf8');
  if (hasAspectLabels(source)) {
    const nlu = await nluFromConfig({ intentsDir: intentsDirFrom(args), cacheDir: cacheDirFrom(args), log });
    const report = evaluateAspects(nlu.understanding, parseAspectQueries(source, file));
    console.log(json ? JSON.stringify(report, null, 2) : formatAspectReport(report));
    return;
  }
  const queries = parseQueries(source, file);
  const classifier = (await nluFromConfig({ intentsDir: intentsDirFrom(args), cacheDir: cacheDirFrom(args), log })).classifier;
  collectGarbage();
  const report = evaluate(classifier, queries);
  console.log(json ? JSON.stringify({ thresholds: classifier.thresholds, ...report }, null, 2) : `thresholds ${JSON.stringify(classifier.thresholds)}\n${formatReport(report)}`);
}

main().catch(failWith);

/**
 * Runs mongoose's own test suite against the embedded store, as a conformance measure written by
 * someone else than us:
 *   npm run conformance:mongoose -- <mongoose checkout> [file ...] [--failures] [--timeout ms]
 * The checkout needs its dependencies (`npm install --ignore-scripts`). With no files named, every
 * `test/*.test.js` runs; a file may be named with or without `test/` and `.test.js`. Prints
 * passing / failing / pending per file and in total (and with --failures, each failing test).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { EmbeddedMongoServer } from '../../../src/db/embedded/server.js';

interface MochaTest {
  title: string;
  fullTitle: string;
  file?: string;
  err?: { message?: string };
}

interface MochaReport {
  passes: MochaTest[];
  failures: MochaTest[];
  pending: MochaTest[];
}

interface FileCounts {
  passing: number;
  failing: number;
  pending: number;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    failures: { type: 'boolean', default: false },
    // mongoose's own CI runs with 10 s; the default 2 s flakes on a loaded machine.
    timeout: { type: 'string', default: '10000' },
    // The whole run is stopped after this long, which counts as the store hanging.
    'max-minutes': { type: 'string', default: '30' },
  },
});

const [checkoutArg, ...selected] = positionals;
if (!checkoutArg) {
  console.error('usage: npm run conformance:mongoose -- <mongoose checkout> [file ...] [--failures]');
  process.exit(2);
}
const checkout = resolve(checkoutArg);
const mocha = join(checkout, 'node_modules', 'mocha', 'bin', 'mocha.js');
if (!existsSync(mocha)) {
  console.error(`${mocha} not found: run \`npm install --ignore-scripts\` in the checkout first`);
  process.exit(2);
}

function testFiles(): string[] {
  if (selected.length === 0) {
    return readdirSync(join(checkout, 'test'))
      .filter((name) => name.endsWith('.test.js'))
      .sort()
      .map((name) => `test/${name}`);
  }
  return selected.map((name) => {
    const base = name.replace(/^test\//, '').replace(/\.test\.js$/, '');
    return `test/${base}.test.js`;
  });
}

/** Runs mocha once over all files, the JSON report going to a file (tests print to stdout). */
function runMocha(uri: string, files: string[], reportPath: string): Promise<number | null> {
  const args = [mocha, '--exit', '--timeout', values.timeout, '--reporter', 'json', '--reporter-option', `output=${reportPath}`, ...files];
  const child = spawn(process.execPath, args, {
    cwd: checkout,
    env: { ...process.env, MONGOOSE_TEST_URI: uri, CI: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const limit = setTimeout(() => {
    console.error(`stopped after ${values['max-minutes']} minutes: the store hung or the suite is too slow`);
    child.kill('SIGKILL');
  }, Number(values['max-minutes']) * 60_000);
  return new Promise((done) => {
    child.on('exit', (code) => {
      clearTimeout(limit);
      done(code);
    });
  });
}

function countByFile(report: MochaReport, files: string[]): Map<string, FileCounts> {
  const counts = new Map<string, FileCounts>(files.map((file) => [file, { passing: 0, failing: 0, pending: 0 }]));
  const tally = (tests: MochaTest[], field: keyof FileCounts): void => {
    for (const test of tests) {
      const file = test.file ? test.file.slice(checkout.length + 1) : '(unknown file)';
      const entry = counts.get(file) ?? { passing: 0, failing: 0, pending: 0 };
      entry[field]++;
      counts.set(file, entry);
    }
  };
  tally(report.passes, 'passing');
  tally(report.failures, 'failing');
  tally(report.pending, 'pending');
  return counts;
}

function print(report: MochaReport, counts: Map<string, FileCounts>): void {
  const total: FileCounts = { passing: 0, failing: 0, pending: 0 };
  console.log(`${'file'.padEnd(50)} passing failing pending`);
  for (const [file, entry] of counts) {
    console.log(`${file.padEnd(50)} ${String(entry.passing).padStart(7)} ${String(entry.failing).padStart(7)} ${String(entry.pending).padStart(7)}`);
    total.passing += entry.passing;
    total.failing += entry.failing;
    total.pending += entry.pending;
  }
  console.log(`${'total'.padEnd(50)} ${String(total.passing).padStart(7)} ${String(total.failing).padStart(7)} ${String(total.pending).padStart(7)}`);
  if (!values.failures) return;
  for (const test of report.failures) {
    const message = (test.err?.message ?? '').split('\n')[0]?.slice(0, 200);
    console.log(`\n✗ ${test.file?.slice(checkout.length + 1) ?? ''}: ${test.fullTitle}\n  ${message}`);
  }
}

const work = mkdtempSync(join(tmpdir(), 'conformance-mongoose-'));
// mongoose's suite starts its MongoDB with a TTL monitor every second; its TTL tests wait on that.
const server = new EmbeddedMongoServer({ dataDir: join(work, 'data'), port: 0, ttlIntervalMs: 1000, log: pino({ level: 'silent' }) });
const uri = await server.start();
const files = testFiles();
const reportPath = join(work, 'report.json');
console.log(`store at ${uri}; running ${files.length} mongoose test files`);
const code = await runMocha(uri, files, reportPath);
await server.stop();
const report = existsSync(reportPath) ? (JSON.parse(readFileSync(reportPath, 'utf8')) as MochaReport) : undefined;
rmSync(work, { recursive: true, force: true });
if (!report) {
  console.error(`mocha exited with ${code} and wrote no report`);
  process.exit(1);
}
print(report, countByFile(report, files));

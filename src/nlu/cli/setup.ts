/** Shared start-up of the command-line tools: configuration, a stderr logger, the classifier. */
import { resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../../config.js';
import { configuredThresholds, loadNlu, type Nlu } from '../classifier.js';
import type { Classifier } from '../types.js';

/** `--intents <dir>` points the tools at another content directory (default ./intents). */
export function intentsDirFrom(args: readonly string[]): string {
  const at = args.indexOf('--intents');
  return resolve(at >= 0 ? (args[at + 1] ?? 'intents') : 'intents');
}
/** `--cache <dir>` puts the parameter cache elsewhere (default ./.cache/nlu). */
export function cacheDirFrom(args: readonly string[]): string {
  const at = args.indexOf('--cache');
  return resolve(at >= 0 ? (args[at + 1] ?? '.cache/nlu') : '.cache/nlu');
}

/** Logs go to stderr so stdout carries only the tool's output. */
export function stderrLogger(level: string): Logger {
  return pino({ name: 'nlu', level }, pino.destination(2));
}

export async function classifierFromConfig(options: { intentsDir: string; cacheDir: string; log: Logger }): Promise<Classifier> {
  return (await nluFromConfig(options)).classifier;
}

export async function nluFromConfig(options: { intentsDir: string; cacheDir: string; log: Logger }): Promise<Nlu> {
  const config = loadConfig();
  return loadNlu({
    intentsDir: options.intentsDir,
    cacheDir: options.cacheDir,
    log: options.log,
    thresholds: configuredThresholds(config),
  });
}

/**
 * A full garbage collection, so latency is measured in steady state and not charged with the
 * collection of what training left behind (which otherwise lands in the middle of the timing).
 */
export function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  (runInNewContext('gc') as () => void)();
}

/** Prints an error's message (a ContentError lists every file:line) and exits non-zero. */
export function failWith(error: unknown): never {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}

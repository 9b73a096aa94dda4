/**
 * Starts a worker thread from a module beside the caller. Under tsx (`npm start`, the tests)
 * the module is TypeScript, and a worker does not inherit tsx's loader from the thread that
 * starts it, so the worker registers it before importing the module; built code needs nothing.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `relativePath` without extension, e.g. './threadMain'; it takes the caller's own (.ts or .js). */
export function startModuleWorker(callerUrl: string, relativePath: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const extension = extname(new URL(callerUrl).pathname);
  const module = new URL(`${relativePath}${extension}`, callerUrl);
  if (extension !== '.ts') return new Worker(module, options);
  const tsx = tsxApiUrl(callerUrl);
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

/**
 * tsx's ESM API, found from the caller's location: an eval'd worker would resolve the package
 * from the working directory instead, which need not be the project's.
 */
function tsxApiUrl(callerUrl: string): string {
  const manifestPath = createRequire(callerUrl).resolve('tsx/package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  const entry = manifest.exports['./esm/api']?.import.default;
  if (!entry) throw new Error(`tsx at ${manifestPath} has no ESM API export`);
  return pathToFileURL(join(dirname(manifestPath), entry)).href;
}

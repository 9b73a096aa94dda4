/**
 * Starts a worker thread from a module beside the caller. Under tsx (`npm start`, the tests)
 * the module is TypeScript, and a worker does not inherit tsx's loader from the thread that
 * starts it, so the worker registers it before importing the module; built code needs nothing.
 */
import { extname } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/** `relativePath` without extension, e.g. './threadMain'; it takes the caller's own (.ts or .js). */
export function startModuleWorker(callerUrl: string, relativePath: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const extension = extname(new URL(callerUrl).pathname);
  const module = new URL(`${relativePath}${extension}`, callerUrl);
  if (extension !== '.ts') return new Worker(module, options);
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(module.href)}); });`;
  return new Worker(bootstrap, { ...options, eval: true });
}

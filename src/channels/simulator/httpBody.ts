/** Reads a request body as text with a size limit; the simulator parses it itself. */
import type { Context } from 'koa';
import getRawBody from 'raw-body';

export const BODY_LIMIT = '2mb';

export async function readText(ctx: Context): Promise<string> {
  return getRawBody(ctx.req, { limit: BODY_LIMIT, encoding: 'utf8' });
}

export async function readJson(ctx: Context): Promise<unknown> {
  const text = await readText(ctx);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

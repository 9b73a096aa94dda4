/** What every carrier webhook does the same way: time its answers, and blame the store, not the platform, when it is down. */
import type { Middleware } from 'koa';
import { RequestError, UnavailableError } from '../../http/errors.js';
import { webhookAckSeconds } from '../metrics.js';

/** A store failure is not the platform's fault: 503, so it retries the callback later. */
export async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RequestError) throw error;
    // Driver write errors carry errmsg rather than message.
    const { message, errmsg } = (error ?? {}) as { message?: unknown; errmsg?: unknown };
    throw new UnavailableError(`store unavailable: ${String(message ?? errmsg ?? error).slice(0, 120)}`);
  }
}

/** Observes how long each callback took to answer, labelled by `routeLabel` (a bounded set, never the raw path). */
export function ackTiming(routeLabel: (method: string, path: string) => string): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    let status = 500;
    try {
      await next();
      status = ctx.status;
    } catch (error) {
      status = error instanceof RequestError ? error.status : 500;
      throw error;
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      webhookAckSeconds.observe({ route: routeLabel(ctx.method, ctx.path), status: String(status) }, seconds);
    }
  };
}

/** The router already decoded the path segment once; a doubly encoded id is accepted too. */
export function decodedOnceMore(received: string): string | undefined {
  try {
    return decodeURIComponent(received);
  } catch {
    return undefined;
  }
}

/** Whether an address as received (possibly URL-encoded once more) names `chatbotId`. */
export function namesChatbot(received: string, chatbotId: string): boolean {
  return received === chatbotId || decodedOnceMore(received) === chatbotId;
}

/**
 * The one error path: a RequestError becomes its status and `{ status, reason }`; anything else is
 * logged and answered 500 without details. An unmatched route is a 404 with a reason too.
 */
import type { Middleware } from 'koa';
import type { Logger } from '../log.js';
import { RequestError } from './errors.js';

export function errorMiddleware(log: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        ctx.status = 404;
        ctx.body = { status: 404, reason: `no route for ${ctx.method} ${ctx.path.slice(0, 200)}` };
      }
    } catch (error) {
      if (error instanceof RequestError) {
        ctx.status = error.status;
        ctx.body = { status: error.status, reason: error.reason };
        if (error.status >= 500) log.warn({ reason: error.reason, path: ctx.path }, 'request refused');
        else log.debug({ status: error.status, reason: error.reason, path: ctx.path }, 'request refused');
        return;
      }
      log.error({ err: error, method: ctx.method, path: ctx.path }, 'unhandled request error');
      ctx.status = 500;
      ctx.body = { status: 500, reason: 'internal error' };
    }
  };
}

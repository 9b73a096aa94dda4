/**
 * The bot API over HTTP: `{serverRoot}/bot/{apiVersion}/{chatbotId}/accessToken | messages | revoke |
 * update/chatBotInfo/menu`.
 * Reads the request, lets Platform decide, writes the answer (or stalls, for injected timeouts).
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { readJson, readText, sleep } from './httpBody.js';
import type { Platform, PlatformAnswer } from './platform.js';

export interface PlatformApiOptions {
  chatbotId: string;
  apiVersion: string;
  latencyMs: number;
  stallMs: number;
  /** Aborted when the simulator closes, ending any stalled request. */
  closing: AbortSignal;
}

function headersOf(ctx: Context): Record<string, string | undefined> {
  const pick = (name: string): string | undefined => ctx.get(name) || undefined;
  return { authorization: pick('authorization'), 'content-type': pick('content-type'), date: pick('date') };
}

export function platformRouter(platform: Platform, options: PlatformApiOptions): Router {
  const router = new Router({ prefix: '/bot/:apiVersion/:chatbotId' });

  router.use(async (ctx, next) => {
    if (ctx.params.apiVersion !== options.apiVersion || ctx.params.chatbotId !== options.chatbotId) {
      ctx.status = 404;
      ctx.body = { errorCode: 20002, errorMessage: 'unknown chatbot or API version' };
      return;
    }
    await sleep(options.latencyMs, options.closing);
    await next();
  });

  async function write(ctx: Context, result: PlatformAnswer): Promise<void> {
    if (result.stall) {
      await sleep(options.stallMs, options.closing);
      ctx.respond = false;
      ctx.req.socket.destroy();
      return;
    }
    if (result.afterAnswer) ctx.res.once('finish', result.afterAnswer);
    ctx.status = result.httpStatus;
    ctx.body = result.body;
  }

  router.post('/accessToken', async (ctx) => write(ctx, platform.issueToken(await readJson(ctx))));
  router.post('/messages', async (ctx) => write(ctx, platform.send(headersOf(ctx), await readText(ctx))));
  router.post('/revoke', async (ctx) => write(ctx, platform.revoke(headersOf(ctx), await readJson(ctx))));
  router.post('/update/chatBotInfo/menu', async (ctx) => write(ctx, platform.updateMenu(headersOf(ctx), await readText(ctx))));
  return router;
}

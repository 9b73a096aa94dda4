/**
 * The CT/CU bot API over HTTP, for every CT/CU chatbot the simulator plays:
 * `{serverRoot}/bot/{apiVersion}/{chatbotId}/accessToken | messages | revoke | update/chatBotInfo/menu`.
 * Reads the request,
 * lets the chatbot's platform decide, writes the answer (or stalls, for injected timeouts).
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { headersOf, writeAnswer, type SimApiOptions } from './apiAnswer.js';
import { readJson, readText, sleep } from './httpBody.js';
import type { CtcuSimPlatform, PlatformAnswer } from './ctcuPlatform.js';

export type PlatformApiOptions = SimApiOptions;

interface ApiState {
  platform: CtcuSimPlatform;
}

export function platformRouter(platforms: CtcuSimPlatform[], options: PlatformApiOptions): Router {
  const router = new Router({ prefix: '/bot/:apiVersion/:chatbotId' });

  router.use(async (ctx, next) => {
    const platform = platforms.find((each) => each.chatbotId === ctx.params.chatbotId);
    if (!platform || ctx.params.apiVersion !== platform.options.apiVersion) {
      ctx.status = 404;
      ctx.body = { errorCode: 20002, errorMessage: 'unknown chatbot or API version' };
      return;
    }
    (ctx.state as ApiState).platform = platform;
    await sleep(options.latencyMs, options.closing);
    await next();
  });

  const write = (ctx: Context, result: PlatformAnswer): Promise<void> => writeAnswer(ctx, result, options);

  const platformOf = (ctx: Context): CtcuSimPlatform => (ctx.state as ApiState).platform;
  router.post('/accessToken', async (ctx) => write(ctx, platformOf(ctx).issueToken(await readJson(ctx))));
  router.post('/messages', async (ctx) => write(ctx, platformOf(ctx).send(headersOf(ctx), await readText(ctx))));
  router.post('/revoke', async (ctx) => write(ctx, platformOf(ctx).revoke(headersOf(ctx), await readJson(ctx))));
  router.post('/update/chatBotInfo/menu', async (ctx) => write(ctx, platformOf(ctx).updateMenu(headersOf(ctx), await readText(ctx))));
  return router;
}

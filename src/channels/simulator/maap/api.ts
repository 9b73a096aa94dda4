/**
 * The MaaP gateway API over HTTP, for every MaaP chatbot the simulator plays: the XML dialect's
 * `messaging/{group|interaction}/v1/outbound/{chatbotURI}/requests` (and `messaging/v1/...`), the
 * JSON dialect's `openchatbot/v2/{chatbotURI}/outbound`, and the two revoke paths. Reads the
 * request, lets the chatbot's platform decide, writes the answer (or stalls, for timeouts).
 */
import { Router } from '@koa/router';
import type { Context } from 'koa';
import { headersOf, writeAnswer, type SimApiOptions } from '../apiAnswer.js';
import { readText, sleep } from '../httpBody.js';
import type { MaapAnswer, MaapSimPlatform } from './platform.js';

export type MaapApiOptions = SimApiOptions;

export function maapRouter(platforms: MaapSimPlatform[], options: MaapApiOptions): Router {
  const router = new Router();
  const find = (ctx: Context, dialect: 'xml' | 'json'): MaapSimPlatform | undefined => {
    const platform = platforms.find((each) => each.chatbotId === ctx.params.chatbotId && each.dialect === dialect);
    if (!platform) {
      ctx.status = 404;
      ctx.body = { requestError: { serviceException: { messageId: 'SVC0002', text: 'unknown chatbot' } } };
    }
    return platform;
  };

  async function write(ctx: Context, answer: MaapAnswer): Promise<void> {
    await sleep(options.latencyMs, options.closing);
    // Bodies are XML or JSON text: typed here, not guessed from their first character.
    await writeAnswer(ctx, { ...answer, contentType: answer.contentType ?? 'text/plain' }, options);
  }

  const sendAs = (dialect: 'xml' | 'json') => async (ctx: Context) => {
    const platform = find(ctx, dialect);
    if (platform) await write(ctx, platform.send(headersOf(ctx), await readText(ctx)));
  };
  for (const variant of ['group/v1', 'interaction/v1', 'v1']) router.post(`/messaging/${variant}/outbound/:chatbotId/requests`, sendAs('xml'));
  router.post('/openchatbot/v2/:chatbotId/outbound', sendAs('json'));

  router.put('/messaging/v1/outbound/:chatbotId/requests/:messageId/status', async (ctx) => {
    const platform = find(ctx, 'xml');
    if (platform) await write(ctx, platform.revoke(headersOf(ctx), String(ctx.params.messageId)));
  });
  router.put('/messaging/v2/:chatbotId/:messageId/outbound', async (ctx) => {
    const platform = find(ctx, 'json');
    if (platform) await write(ctx, platform.revoke(headersOf(ctx), String(ctx.params.messageId)));
  });
  return router;
}

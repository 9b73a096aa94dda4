/**
 * The CT/CU callback endpoints under the notify base path: callback URL verification, inbound
 * messages, delivery reports and platform notices. Every request is signed (callbackAuth), for
 * this chatbot only (any other chatbotId is a 404), and validated before anything is stored.
 * An inbound message is persisted, then acknowledged; it is processed from the stored record.
 */
import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../../log.js';
import type { DeliveryReportSink, InboundEvent } from '../model.js';
import { NotFoundError, RequestError, UnavailableError } from '../../http/errors.js';
import { readJsonBody, DEFAULT_BODY_LIMIT_BYTES } from '../../http/body.js';
import type { Inbox } from '../../inbound/inbox.js';
import { inboundDuplicates, inboundMessages, webhookAckSeconds } from '../../inbound/metrics.js';
import { callbackAuth, callbackKeyOf, replayed } from './callbackAuth.js';
import { CHANNEL, parseMessageNotification } from './inbound.js';
import { parseDeliveryNotification } from './deliveryNotification.js';
import { parseAuditResult, parseInformationChange, parseSpamComplaint, type PlatformNotice } from './notices.js';

export interface CtcuWebhookOptions {
  chatbotId: string;
  appId: string;
  callbackToken: string;
  /** The notify base path: '' or '/something'. */
  notifyPath: string;
  /** Persists a message (and sees to its processing) and uses up callback nonces. */
  inbox: Inbox;
  reports: DeliveryReportSink;
  log: Logger;
  onNotice?: (notice: PlatformNotice) => Promise<void> | void;
  bodyLimitBytes?: number;
}

const NOTIFICATION_ROUTES = {
  messages: '/messageNotification/:chatbotId/messages',
  status: '/deliveryNotification/:chatbotId/status',
  informationChange: '/notifyInfoNotification/:chatbotId/notice/informationChange',
  rcsspam: '/notifyInfoNotification/:chatbotId/notice/rcsspam',
  check: '/notifyInfoNotification/:chatbotId/check',
} as const;

export function ctcuWebhook(options: CtcuWebhookOptions): Router {
  const log = options.log.child({ module: 'ctcu-webhook' });
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const router = new Router(options.notifyPath ? { prefix: options.notifyPath } : {});
  const signed = callbackAuth({ token: options.callbackToken });
  const firstUse: Middleware = async (ctx, next) => {
    if (!(await storeCall(() => options.inbox.takeCallbackKey(callbackKeyOf(ctx))))) throw replayed();
    await next();
  };

  router.use(ackTiming());
  router.param('chatbotId', async (chatbotId, ctx, next) => {
    if (!isThisChatbot(chatbotId, options.chatbotId)) throw new NotFoundError(`unknown chatbot ${chatbotId.slice(0, 100)}`);
    return next();
  });

  const verify = verification(options);
  router.get('/', signed, firstUse, verify);
  for (const path of Object.values(NOTIFICATION_ROUTES)) router.get(path, signed, firstUse, verify);

  // The message's nonce is used up in the same write that stores it (see callbackAuth.ts).
  router.post(NOTIFICATION_ROUTES.messages, signed, async (ctx) => {
    let event: InboundEvent;
    try {
      event = parseMessageNotification(await readJsonBody(ctx, limit), options.chatbotId);
    } catch (error) {
      // A refused body still uses up the nonce: its signed headers must not carry another body.
      await storeCall(() => options.inbox.takeCallbackKey(callbackKeyOf(ctx))).catch(() => undefined);
      throw error;
    }
    const outcome = await storeCall(() => options.inbox.receive(event, callbackKeyOf(ctx)));
    if (outcome === 'replayed') throw replayed();
    if (outcome === 'new') {
      inboundMessages.inc({ channel: CHANNEL, type: event.content.type });
    } else {
      inboundDuplicates.inc({ channel: CHANNEL });
      log.debug({ messageId: event.messageId }, 'repeated messageId acknowledged again');
    }
    accepted(ctx);
  });

  router.post(NOTIFICATION_ROUTES.status, signed, firstUse, async (ctx) => {
    const reports = parseDeliveryNotification(await readJsonBody(ctx, limit));
    await storeCall(() => options.reports.applyDeliveryReports(reports));
    accepted(ctx);
  });

  const notices: Array<[string, (body: unknown) => PlatformNotice]> = [
    [NOTIFICATION_ROUTES.informationChange, parseInformationChange],
    [NOTIFICATION_ROUTES.rcsspam, parseSpamComplaint],
    [NOTIFICATION_ROUTES.check, parseAuditResult],
  ];
  for (const [path, parse] of notices) {
    router.post(path, signed, firstUse, async (ctx) => {
      const notice = parse(await readJsonBody(ctx, limit));
      log.info({ notice }, 'platform notice');
      await options.onNotice?.(notice);
      accepted(ctx);
    });
  }
  return router;
}

/** Callback URL verification: answer with the echoStr (and our appId) in the response headers. */
function verification(options: CtcuWebhookOptions): Middleware {
  return (ctx) => {
    const echoStr = ctx.get('echoStr');
    if (echoStr === '') throw new RequestError(400, 'echoStr: header missing');
    const claimedChatbot = ctx.get('chatbotId');
    if (claimedChatbot !== '' && !isThisChatbot(claimedChatbot, options.chatbotId)) {
      throw new NotFoundError(`unknown chatbot ${claimedChatbot.slice(0, 100)}`);
    }
    ctx.set('echoStr', echoStr);
    ctx.set('appId', options.appId);
    ctx.status = 200;
    ctx.body = echoStr;
  };
}

/** The router already decoded the path segment once; a doubly encoded id is accepted too. */
function isThisChatbot(received: string, chatbotId: string): boolean {
  if (received === chatbotId) return true;
  try {
    return decodeURIComponent(received) === chatbotId;
  } catch {
    return false;
  }
}

function accepted(ctx: Context): void {
  ctx.status = 200;
  ctx.body = { errorCode: 0, errorMessage: 'success' };
}

/** A store failure is not the platform's fault: 503, so it retries the callback later. */
async function storeCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof RequestError) throw error;
    // Driver write errors carry errmsg rather than message.
    const { message, errmsg } = (error ?? {}) as { message?: unknown; errmsg?: unknown };
    throw new UnavailableError(`store unavailable: ${String(message ?? errmsg ?? error).slice(0, 120)}`);
  }
}

function ackTiming(): Middleware {
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

const ROUTE_LABELS = ['messageNotification', 'deliveryNotification', 'notifyInfoNotification'];

/** A bounded label set: the kind of callback, never the raw path. */
function routeLabel(method: string, path: string): string {
  if (method === 'GET') return 'verification';
  return ROUTE_LABELS.find((label) => path.includes(`/${label}/`)) ?? 'other';
}

/**
 * The CT/CU callback endpoints under one notify base path, for every CT/CU chatbot configured
 * there: callback URL verification, inbound messages, delivery reports and platform notices.
 * Each request names its chatbot (in the path, or the `chatbotId` header of a verification);
 * an unknown one is a 404. Every request is signed with that chatbot's callback token
 * (callbackAuth) and validated before anything is stored. An inbound message is persisted, then
 * acknowledged; it is processed from the stored record.
 */
import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { Logger } from '../../log.js';
import type { ComplaintSink, DeliveryReportSink, InboundEvent, Inbox } from '../model.js';
import { NotFoundError, RequestError } from '../../http/errors.js';
import { readJsonBody, DEFAULT_BODY_LIMIT_BYTES } from '../../http/body.js';
import { inboundDuplicates, inboundMessages, spamReports } from '../metrics.js';
import { ackTiming, decodedOnceMore, namesChatbot, storeCall } from '../common/webhookSupport.js';
import { callbackAuth, callbackKeyOf, replayed } from './callbackAuth.js';
import { CHANNEL, parseMessageNotification } from './inbound.js';
import { parseDeliveryNotification } from './deliveryNotification.js';
import { parseAuditResult, parseInformationChange, parseSpamComplaint, type PlatformNotice } from './notices.js';

/** One CT/CU chatbot as its callbacks see it. */
export interface CtcuWebhookPlatform {
  platformId: string;
  chatbotId: string;
  appId: string;
  callbackToken: string;
}

export interface CtcuWebhookOptions {
  platforms: CtcuWebhookPlatform[];
  /** The notify base path: '' or '/something'. */
  notifyPath: string;
  /** Persists a message (and sees to its processing) and uses up callback nonces. */
  inbox: Inbox;
  reports: DeliveryReportSink;
  /** Where user spam complaints go (the user is then not messaged unless they write first). */
  complaints?: ComplaintSink;
  log: Logger;
  onNotice?: (notice: PlatformNotice, platformId: string) => Promise<void> | void;
  bodyLimitBytes?: number;
}

const NOTIFICATION_ROUTES = {
  messages: '/messageNotification/:chatbotId/messages',
  status: '/deliveryNotification/:chatbotId/status',
  informationChange: '/notifyInfoNotification/:chatbotId/notice/informationChange',
  rcsspam: '/notifyInfoNotification/:chatbotId/notice/rcsspam',
  check: '/notifyInfoNotification/:chatbotId/check',
} as const;

interface PlatformState {
  platform: CtcuWebhookPlatform;
}

function platformOf(ctx: Context): CtcuWebhookPlatform {
  return (ctx.state as PlatformState).platform;
}

export function ctcuWebhook(options: CtcuWebhookOptions): Router {
  const log = options.log.child({ module: 'ctcu-webhook' });
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const router = new Router(options.notifyPath ? { prefix: options.notifyPath } : {});
  const forChatbot = platformResolver(options.platforms);
  const signed = callbackAuth({ token: (ctx) => platformOf(ctx).callbackToken });
  const firstUse: Middleware = async (ctx, next) => {
    if (!(await storeCall(() => options.inbox.takeCallbackKey(callbackKeyOf(ctx))))) throw replayed();
    await next();
  };

  router.use(ackTiming(routeLabel));
  router.get('/', forChatbot, signed, firstUse, verification);
  for (const path of Object.values(NOTIFICATION_ROUTES)) router.get(path, forChatbot, signed, firstUse, verification);

  // The message's nonce is used up in the same write that stores it (see callbackAuth.ts).
  router.post(NOTIFICATION_ROUTES.messages, forChatbot, signed, async (ctx) => {
    const platform = platformOf(ctx);
    let event: InboundEvent;
    try {
      event = parseMessageNotification(await readJsonBody(ctx, limit), platform);
    } catch (error) {
      // A refused body still uses up the nonce: its signed headers must not carry another body.
      await storeCall(() => options.inbox.takeCallbackKey(callbackKeyOf(ctx))).catch(() => undefined);
      throw error;
    }
    const outcome = await storeCall(() => options.inbox.receive(event, callbackKeyOf(ctx)));
    if (outcome === 'replayed') throw replayed();
    if (outcome === 'new') {
      inboundMessages.inc({ channel: CHANNEL, platform: platform.platformId, type: event.content.type });
    } else {
      inboundDuplicates.inc({ channel: CHANNEL, platform: platform.platformId });
      log.debug({ messageId: event.messageId }, 'repeated messageId acknowledged again');
    }
    accepted(ctx);
  });

  router.post(NOTIFICATION_ROUTES.status, forChatbot, signed, firstUse, async (ctx) => {
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
    router.post(path, forChatbot, signed, firstUse, async (ctx) => {
      const platformId = platformOf(ctx).platformId;
      const notice = parse(await readJsonBody(ctx, limit));
      log.info({ notice, platformId }, 'platform notice');
      if (notice.kind === 'spamComplaint' && options.complaints) {
        const report = { platformId, messageIds: notice.messageIds, spamType: notice.spamType, freeText: notice.freeText, at: new Date() };
        await storeCall(() => (options.complaints as ComplaintSink).recordSpamReport(report));
        spamReports.inc({ platform: platformId });
      }
      await options.onNotice?.(notice, platformId);
      accepted(ctx);
    });
  }
  return router;
}

/**
 * Finds the chatbot a request is for: the `:chatbotId` of its path, else (the verification on the
 * base path) its `chatbotId` header, else the only chatbot there is.
 */
function platformResolver(platforms: CtcuWebhookPlatform[]): Middleware {
  const byChatbot = new Map(platforms.map((platform) => [platform.chatbotId, platform]));
  return async (ctx, next) => {
    const claimed: string | undefined = (ctx.params as Record<string, string | undefined>).chatbotId ?? (ctx.get('chatbotId') || undefined);
    const platform =
      claimed === undefined
        ? platforms.length === 1
          ? platforms[0]
          : undefined
        : (byChatbot.get(claimed) ?? byChatbot.get(decodedOnceMore(claimed) ?? ''));
    if (!platform) throw new NotFoundError(`unknown chatbot ${(claimed ?? '(none named)').slice(0, 100)}`);
    // A chatbotId header naming another chatbot than the path is refused like a wrong path.
    const header = ctx.get('chatbotId');
    if (header !== '' && !namesChatbot(header, platform.chatbotId)) throw new NotFoundError(`chatbotId header names another chatbot: ${header.slice(0, 100)}`);
    (ctx.state as PlatformState).platform = platform;
    await next();
  };
}


/** Callback URL verification: answer with the echoStr (and our appId) in the response headers. */
function verification(ctx: Context): void {
  const platform = platformOf(ctx);
  const echoStr = ctx.get('echoStr');
  if (echoStr === '') throw new RequestError(400, 'echoStr: header missing');
  ctx.set('echoStr', echoStr);
  ctx.set('appId', platform.appId);
  ctx.status = 200;
  ctx.body = echoStr;
}

function accepted(ctx: Context): void {
  ctx.status = 200;
  ctx.body = { errorCode: 0, errorMessage: 'success' };
}

const ROUTE_LABELS = ['messageNotification', 'deliveryNotification', 'notifyInfoNotification'];

/** A bounded label set: the kind of callback, never the raw path. */
function routeLabel(method: string, path: string): string {
  if (method === 'GET') return 'verification';
  return ROUTE_LABELS.find((label) => path.includes(`/${label}/`)) ?? 'other';
}

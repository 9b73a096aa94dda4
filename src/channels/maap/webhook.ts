/**
 * The MaaP callback endpoints under one notify base path, for every MaaP chatbot configured
 * there (either dialect): `InboundMessageNotification/{chatbotURI}`,
 * `DeliveryInfoNotification/{chatbotURI}` and `MessageStatusNotification/{chatbotURI}`. The
 * chatbot in the path picks the platform, hence the dialect and credentials; an unknown one is a
 * 404. Each callback is checked (allow-list, credentials: 401 with the reason), decoded and
 * validated before anything is stored; a message is persisted, then acknowledged (204), and
 * processed from the stored record. What a body holds decides what is done with it, whichever
 * of the three paths it came to.
 */
import { Router } from '@koa/router';
import type { Context, Middleware } from 'koa';
import type { BlockList } from 'node:net';
import type { Logger } from '../../log.js';
import type { ComplaintSink, DeliveryReportSink, Inbox } from '../model.js';
import { NotFoundError, UnauthenticatedError } from '../../http/errors.js';
import { DEFAULT_BODY_LIMIT_BYTES, readTextBody } from '../../http/body.js';
import { inboundDuplicates, inboundMessages, spamReports } from '../metrics.js';
import { ackTiming, decodedOnceMore, storeCall } from '../common/webhookSupport.js';
import { parseIpBlock } from '../platformConfig.js';
import { addressAllowed, credentialsProblem } from './auth.js';
import { decodeNotification, type Dialect } from './codec.js';
import { CHANNEL, parseCallback, type MaapCallback } from './notifications.js';

/** One MaaP chatbot as its callbacks see it. */
export interface MaapWebhookPlatform {
  platformId: string;
  chatbotId: string;
  dialect: Dialect;
  appId: string;
  password: string;
  verifyCallbackCredentials: boolean;
  callbackAllowedIps: string[];
}

export interface MaapWebhookOptions {
  platforms: MaapWebhookPlatform[];
  /** The notify base path: '' or '/something'. */
  notifyPath: string;
  inbox: Inbox;
  reports: DeliveryReportSink;
  complaints: ComplaintSink;
  log: Logger;
  bodyLimitBytes?: number;
}

export const MAAP_ROUTES = {
  inbound: '/InboundMessageNotification/:chatbotId',
  delivery: '/DeliveryInfoNotification/:chatbotId',
  status: '/MessageStatusNotification/:chatbotId',
} as const;

interface Receiver extends MaapWebhookPlatform {
  allowList: BlockList[];
}

export function maapWebhook(options: MaapWebhookOptions): Router {
  const log = options.log.child({ module: 'maap-webhook' });
  const limit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const router = new Router(options.notifyPath ? { prefix: options.notifyPath } : {});
  const receivers = new Map<string, Receiver>(
    options.platforms.map((platform) => [
      platform.chatbotId,
      { ...platform, allowList: platform.callbackAllowedIps.map((entry) => parseIpBlock(entry)).filter((list): list is BlockList => list !== undefined) },
    ]),
  );
  const handle = async (ctx: Context): Promise<void> => {
    const receiver = ctx.state.receiver as Receiver;
    const callback = parseCallback(decodeNotification(receiver.dialect, await readTextBody(ctx, limit)), receiver);
    await act(callback, receiver, options, log);
    ctx.status = 204;
  };
  router.use(ackTiming(routeLabel));
  for (const path of Object.values(MAAP_ROUTES)) router.post(path, authenticated(receivers), handle);
  return router;
}

/** Finds the chatbot of the path and checks the caller: its address, then its credentials. */
function authenticated(receivers: Map<string, Receiver>): Middleware {
  return async (ctx, next) => {
    const claimed = String(ctx.params.chatbotId ?? '');
    const receiver = receivers.get(claimed) ?? receivers.get(decodedOnceMore(claimed) ?? '');
    if (!receiver) throw new NotFoundError(`unknown chatbot ${claimed.slice(0, 100)}`);
    if (!addressAllowed(receiver.allowList, ctx.req.socket.remoteAddress)) {
      throw new UnauthenticatedError(`caller address ${String(ctx.req.socket.remoteAddress).slice(0, 64)} is not in the allow-list`);
    }
    if (receiver.verifyCallbackCredentials) {
      const problem = credentialsProblem(ctx.get('authorization'), ctx.get('date'), receiver);
      if (problem) throw new UnauthenticatedError(problem);
    }
    ctx.state.receiver = receiver;
    await next();
  };
}

async function act(callback: MaapCallback, receiver: Receiver, options: MaapWebhookOptions, log: Logger): Promise<void> {
  const platform = receiver.platformId;
  switch (callback.kind) {
    case 'message': {
      const outcome = await storeCall(() => options.inbox.receive(callback.event));
      if (outcome === 'new') inboundMessages.inc({ channel: CHANNEL, platform, type: callback.event.content.type });
      else inboundDuplicates.inc({ channel: CHANNEL, platform });
      return;
    }
    case 'spam':
      await storeCall(() => options.complaints.recordSpamReport(callback.report));
      spamReports.inc({ platform });
      log.info({ platformId: platform, userId: callback.report.userId, messageIds: callback.report.messageIds }, 'spam report recorded');
      return;
    case 'reports': {
      const unrecognised = callback.reports.filter((report) => report.status === 'unrecognised');
      if (unrecognised.length > 0) log.warn({ platformId: platform, statuses: unrecognised.map((report) => report.carrierStatus) }, 'unrecognised delivery status recorded');
      await storeCall(() => options.reports.applyDeliveryReports(callback.reports));
      return;
    }
  }
}

/** A bounded label set: the kind of callback, never the raw path. */
function routeLabel(_method: string, path: string): string {
  if (path.includes('/InboundMessageNotification/')) return 'maapInbound';
  if (path.includes('/DeliveryInfoNotification/')) return 'maapDelivery';
  if (path.includes('/MessageStatusNotification/')) return 'maapStatus';
  return 'other';
}

/**
 * The configured platforms assembled: one transport that sends each outbox message through the
 * adapter of its platform (CT/CU or MaaP), and the webhook routers that receive their callbacks
 * (one per carrier family and notify path, each serving every chatbot configured there).
 */
import type { Router } from '@koa/router';
import type { Connection } from 'mongoose';
import type { Logger } from '../log.js';
import type { ComplaintSink, DeliveryReportSink, Inbox, OutboundMessage, OutboundTransport, SendOutcome } from './model.js';
import type { PlatformConfig } from './platformConfig.js';
import { createCtcuTransport, type CtcuTransportOptions } from './ctcu/index.js';
import { ctcuWebhook } from './ctcu/webhook.js';
import { createMaapTransport } from './maap/index.js';
import { maapWebhook } from './maap/webhook.js';

export interface PlatformTransportOptions extends CtcuTransportOptions {
  /** Where a platform without serverRoot is reached (the simulator). */
  simulatorRoot?: string;
}

/**
 * Routes each message to its platform's transport. A platform's sendRate is kept by the sender's
 * shared pace (ratelimit/), over every process, not here.
 */
export class PlatformTransport implements OutboundTransport {
  private readonly routes = new Map<string, { transport: OutboundTransport }>();

  constructor(entries: Array<{ platformId: string; transport: OutboundTransport }>) {
    for (const entry of entries) this.routes.set(entry.platformId, { transport: entry.transport });
  }

  async send(messageId: string, message: OutboundMessage): Promise<SendOutcome> {
    const route = this.route(message);
    if (!route) return noSuchPlatform(message);
    return route.transport.send(messageId, message);
  }

  async revoke(messageId: string, message: OutboundMessage): Promise<SendOutcome> {
    const route = this.route(message);
    if (!route?.transport.revoke) return noSuchPlatform(message);
    return route.transport.revoke(messageId, message);
  }

  /** The transport of each platform, for what is done per platform (a fixed menu, where the carrier has one). */
  byPlatform(): Array<{ platformId: string; transport: OutboundTransport }> {
    return [...this.routes].map(([platformId, route]) => ({ platformId, transport: route.transport }));
  }

  close(): void {
    for (const route of this.routes.values()) route.transport.close?.();
  }

  private route(message: OutboundMessage): { transport: OutboundTransport } | undefined {
    return message.platformId === undefined ? undefined : this.routes.get(message.platformId);
  }
}

/** A message for a platform no longer configured cannot be sent by waiting. */
function noSuchPlatform(message: OutboundMessage): SendOutcome {
  return { kind: 'rejected', reason: `no platform "${message.platformId ?? '(none)'}" is configured` };
}

export function createPlatformTransport(connection: Connection, platforms: PlatformConfig[], log: Logger, options: PlatformTransportOptions = {}): PlatformTransport {
  const entries = platforms.map((platform) => {
    const serverRoot = platform.serverRoot ?? options.simulatorRoot;
    if (serverRoot === undefined) throw new Error(`platform ${platform.id} has no serverRoot and no simulator plays it`);
    const transport =
      platform.family === 'ctcu'
        ? createCtcuTransport(connection, { ...platform, serverRoot }, log.child({ platformId: platform.id }), options)
        : createMaapTransport({ ...platform, serverRoot }, options);
    return { platformId: platform.id, transport };
  });
  return new PlatformTransport(entries);
}

export interface WebhookPorts {
  /** The notify path of a platform that names none (NOTIFY_PATH). */
  defaultNotifyPath: string;
  inbox: Inbox;
  reports: DeliveryReportSink;
  complaints: ComplaintSink;
  log: Logger;
}

export function notifyPathOf(platform: PlatformConfig, defaultNotifyPath: string): string {
  return platform.notifyPath ?? defaultNotifyPath;
}

export function createWebhooks(platforms: PlatformConfig[], ports: WebhookPorts): Router[] {
  const groups = new Map<string, PlatformConfig[]>();
  for (const platform of platforms) {
    const key = `${platform.family} ${notifyPathOf(platform, ports.defaultNotifyPath)}`;
    groups.set(key, [...(groups.get(key) ?? []), platform]);
  }
  return [...groups.entries()].map(([key, group]) => {
    const notifyPath = key.slice(key.indexOf(' ') + 1);
    const ctcu = group.flatMap((platform) => (platform.family === 'ctcu' ? [{ ...platform, platformId: platform.id }] : []));
    if (ctcu.length > 0) return ctcuWebhook({ ...ports, platforms: ctcu, notifyPath });
    const maap = group.flatMap((platform) => (platform.family === 'maap' ? [{ ...platform, platformId: platform.id }] : []));
    return maapWebhook({ ...ports, platforms: maap, notifyPath });
  });
}

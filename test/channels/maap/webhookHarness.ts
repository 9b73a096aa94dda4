/**
 * The MaaP webhook alone over real HTTP on a free port, with the real store in a temp directory,
 * for one XML and one JSON chatbot: for the tests about what the edge accepts, refuses and
 * persists. Turns are not run here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { connectDatabase } from '../../../src/db/connect.js';
import { maapWebhook, type MaapWebhookPlatform } from '../../../src/channels/maap/webhook.js';
import { InboundStore } from '../../../src/inbound/inboundMessage.js';
import { createApp } from '../../../src/http/app.js';
import { Readiness } from '../../../src/http/readiness.js';
import type { DeliveryReport, InboundEvent, SpamReport } from '../../../src/channels/model.js';
import { authHeaders } from '../../../src/channels/maap/auth.js';
import { inboundBody, type InboundFields } from '../../../src/channels/simulator/maap/callbacks.js';

export const XML_PLATFORM: MaapWebhookPlatform = {
  platformId: 'cmcc-xml',
  chatbotId: 'sip:12599@botplatform.rcs.chinamobile.com',
  dialect: 'xml',
  appId: 'xml-app',
  password: 'xml-password',
  verifyCallbackCredentials: true,
  callbackAllowedIps: [],
};
export const JSON_PLATFORM: MaapWebhookPlatform = {
  platformId: 'cmcc-json',
  chatbotId: 'sip:12520@botplatform.rcs.chinamobile.com',
  dialect: 'json',
  appId: 'json-app',
  password: 'json-password',
  verifyCallbackCredentials: true,
  callbackAllowedIps: [],
};

export interface MaapWebhookHarness {
  url: string;
  inbound: InboundStore;
  persisted: InboundEvent[];
  reports: DeliveryReport[];
  spam: SpamReport[];
  close(): Promise<void>;
}

export async function startMaapWebhook(platforms: MaapWebhookPlatform[] = [XML_PLATFORM, JSON_PLATFORM]): Promise<MaapWebhookHarness> {
  const log = pino({ level: 'silent' });
  const dataDir = await mkdtemp(join(tmpdir(), 'maap-webhook-test-'));
  const db = await connectDatabase({ dataDir }, log);
  const inbound = new InboundStore(db.connection);
  await inbound.init();
  const persisted: InboundEvent[] = [];
  const reports: DeliveryReport[] = [];
  const spam: SpamReport[] = [];
  const webhook = maapWebhook({
    platforms,
    notifyPath: '',
    inbox: {
      async receive(event) {
        const outcome = await inbound.record(event);
        if (outcome === 'new') persisted.push(event);
        return outcome;
      },
      takeCallbackKey: (key) => inbound.takeCallbackKey(key),
    },
    reports: { applyDeliveryReports: async (batch) => void reports.push(...batch) },
    complaints: { recordSpamReport: async (report) => void spam.push(report) },
    log,
  });
  const server: Server = createApp({ log, readiness: new Readiness(), routers: [webhook] }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    inbound,
    persisted,
    reports,
    spam,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export function inboundPath(platform: MaapWebhookPlatform): string {
  return `/InboundMessageNotification/${encodeURIComponent(platform.chatbotId)}`;
}

export function deliveryPath(platform: MaapWebhookPlatform): string {
  return `/DeliveryInfoNotification/${encodeURIComponent(platform.chatbotId)}`;
}

/** The headers the platform authenticates with, and the content type of its dialect. */
export function platformHeaders(platform: MaapWebhookPlatform): Record<string, string> {
  return { ...authHeaders(platform.dialect, platform), 'content-type': platform.dialect === 'xml' ? 'application/xml' : 'application/json' };
}

let counter = 0;
/** An inbound text message's fields, addressed to `platform`'s chatbot unless `patch` says otherwise. */
export function textFields(text: string, patch: Partial<InboundFields> = {}, platform: MaapWebhookPlatform = XML_PLATFORM): InboundFields {
  counter++;
  return {
    destinationAddress: platform.chatbotId,
    senderAddress: 'sip:+8613912345678@ims.mnc000.mcc460.3gppnetwork.org',
    dateTime: '2024-05-01T16:00:00.000+08:00',
    messageId: `in-${Date.now()}-${counter}`,
    contentType: 'text/plain',
    bodyText: text,
    conversationID: 'conversation-1',
    contributionID: `contribution-${counter}`,
    ...patch,
  };
}

export function textBody(platform: MaapWebhookPlatform, text: string, patch: Partial<InboundFields> = {}): string {
  return inboundBody(platform.dialect, textFields(text, patch, platform));
}

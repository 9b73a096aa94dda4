/**
 * The webhook alone over real HTTP on a free port, with the real store in a temp directory:
 * for the tests about what the edge accepts, refuses and persists. Turns are not run here.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { connectDatabase, type DatabaseHandle } from '../../../src/db/connect.js';
import { ctcuWebhook } from '../../../src/channels/ctcu/webhook.js';
import { InboundStore } from '../../../src/inbound/inboundMessage.js';
import { createApp } from '../../../src/http/app.js';
import { Readiness } from '../../../src/http/readiness.js';
import type { DeliveryReport, InboundEvent } from '../../../src/channels/model.js';
import { APP_ID, CALLBACK_TOKEN, CHATBOT_ID } from './signedRequest.js';

export interface WebhookHarness {
  url: string;
  inbound: InboundStore;
  persisted: InboundEvent[];
  reports: DeliveryReport[];
  close(): Promise<void>;
}

export async function startWebhook(options: { notifyPath?: string; bodyLimitBytes?: number } = {}): Promise<WebhookHarness> {
  const log = pino({ level: 'silent' });
  const dataDir = await mkdtemp(join(tmpdir(), 'webhook-test-'));
  const db: DatabaseHandle = await connectDatabase({ dataDir }, log);
  const inbound = new InboundStore(db.connection);
  await inbound.init();
  const persisted: InboundEvent[] = [];
  const reports: DeliveryReport[] = [];
  const readiness = new Readiness();
  readiness.register('store', () => db.connection.readyState === 1);
  const webhook = ctcuWebhook({
    platforms: [{ platformId: 'ctcu', chatbotId: CHATBOT_ID, appId: APP_ID, callbackToken: CALLBACK_TOKEN }],
    notifyPath: options.notifyPath ?? '',
    // Stored but not processed: these tests are about the edge.
    inbox: {
      async receive(event, callbackKey) {
        const outcome = await inbound.record(event, { callbackKey });
        if (outcome === 'new') persisted.push(event);
        return outcome;
      },
      takeCallbackKey: (key) => inbound.takeCallbackKey(key),
    },
    // Delivery reports are checked end to end against the real outbox elsewhere; here only that
    // the webhook hands over what it parsed.
    reports: { applyDeliveryReports: async (batch) => void reports.push(...batch) },
    log,
    bodyLimitBytes: options.bodyLimitBytes,
  });
  const server: Server = createApp({ log, readiness, routers: [webhook] }).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.notifyPath ?? ''}`,
    inbound,
    persisted,
    reports,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The inbound side alone, for the benchmark: webhook, embedded store, inbox processor with the
 * echo bot, replies queued in the outbox — but no sender, so nothing is sent and no delivery
 * reports come back. Separates the capacity of the inbound path from the outbound one.
 * Prints `{"msg":"bot listening","url":...}` like the bot.
 */
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { pino } from 'pino';
import { connectDatabase } from '../../src/db/connect.js';
import { ctcuWebhook } from '../../src/channels/ctcu/webhook.js';
import { createOutbox } from '../../src/outbox/index.js';
import { InboundStore } from '../../src/inbound/inboundMessage.js';
import { InboundProcessor } from '../../src/inbound/processor.js';
import { createEchoBot } from '../support/echoHandler.js';
import { createApp } from '../../src/http/app.js';
import { Readiness } from '../../src/http/readiness.js';

const log = pino({ level: 'warn' });
const db = await connectDatabase({ dataDir: process.env.DATA_DIR ?? (await mkdtemp(join(tmpdir(), 'bench-inbound-'))) }, log);
const inbound = new InboundStore(db.connection);
const outbox = createOutbox(db.connection, { defaultPlatformId: 'ctcu' });
await Promise.all([inbound.init(), outbox.model.init()]);
const processor = new InboundProcessor({ store: inbound, handler: createEchoBot(), queue: outbox, log });
processor.start();
const webhook = ctcuWebhook({
  platforms: [
    {
      platformId: 'ctcu',
      chatbotId: process.env.CHATBOT_ID ?? 'sip:106500@botplatform.rcs.domain.cn',
      appId: 'bench-app',
      callbackToken: process.env.CALLBACK_TOKEN ?? 'bench-callback-token',
    },
  ],
  notifyPath: '',
  inbox: processor,
  reports: outbox,
  log,
});
const server = createApp({ log, readiness: new Readiness(), routers: [webhook] }).listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'bot listening', url: `http://127.0.0.1:${port}` }));
});
server.keepAliveTimeout = 65_000;
// How long the event loop (HTTP and turns; the store has a thread of its own) was held up, for the report.
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
process.on('SIGTERM', () => {
  const ms = (ns: number): string => (ns / 1e6).toFixed(1);
  console.error(`  inbound-only event loop delay: p50=${ms(loopDelay.percentile(50))} p99=${ms(loopDelay.percentile(99))} max=${ms(loopDelay.max)} ms`);
  server.close(() => void processor.stop().then(() => db.close()).then(() => process.exit(0)));
  server.closeIdleConnections();
});

/**
 * The bot assembled: store → (simulator when no platform is configured) → outbox and sender →
 * inbox processor → HTTP server with the carrier webhook. `startBot` returns a handle whose
 * `close` shuts down in the reverse order: stop accepting requests, finish in-flight work, stop
 * the sender and processor, close the store.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DAY_MS, type Config } from './config.js';
import type { Logger } from './log.js';
import { connectDatabase } from './db/connect.js';
import { startSimulator, type Simulator } from './channels/simulator/index.js';
import { ctcuWebhook } from './channels/ctcu/webhook.js';
import { createOutbox, startSender, type Outbox } from './outbox/index.js';
import { InboundStore } from './inbound/inboundMessage.js';
import { InboundProcessor } from './inbound/processor.js';
import type { TurnHandler } from './inbound/turnHandler.js';
import { createEchoBot } from './conversation/echo.js';
import { createApp } from './http/app.js';
import { Readiness } from './http/readiness.js';

export interface Bot {
  /** Where the bot listens, e.g. http://127.0.0.1:3000 */
  url: string;
  /** The notify URL to give the platform (url + NOTIFY_PATH). */
  notifyUrl: string;
  /** Set when PLATFORM_URL was not: the local platform simulator the bot talks to. */
  simulator?: Simulator;
  readiness: Readiness;
  inbound: InboundStore;
  outbox: Outbox;
  close(): Promise<void>;
}

export interface BotOverrides {
  handler?: TurnHandler;
  /** Simulator settings for tests and benchmarks (only when PLATFORM_URL is unset). */
  simulator?: { rateLimitPerSecond?: number; latencyMs?: number; reportDelayMs?: number; port?: number };
}

export async function startBot(config: Config, log: Logger, overrides: BotOverrides = {}): Promise<Bot> {
  const readiness = new Readiness();
  const db = await connectDatabase({ mongodbUri: config.MONGODB_URI, dataDir: config.DATA_DIR }, log);
  readiness.register('store', () => db.connection.readyState === 1);
  const stack: Array<() => Promise<void>> = [() => db.close()];
  const closeAll = async (): Promise<void> => {
    for (const close of stack.reverse()) await close().catch((error: unknown) => log.error({ err: error }, 'shutdown step failed'));
  };
  try {
    const inbound = new InboundStore(db.connection, { retentionMs: config.INBOUND_RETENTION_DAYS * DAY_MS });
    const outbox = createOutbox(db.connection, config.OUTBOX_RETENTION_DAYS * DAY_MS);
    await Promise.all([inbound.init(), outbox.model.init()]);

    let simulator: Simulator | undefined;
    if (!config.PLATFORM_URL) {
      simulator = await startSimulator(
        {
          chatbotId: config.CHATBOT_ID,
          appId: config.APP_ID,
          appKey: config.APP_KEY,
          callbackToken: config.CALLBACK_TOKEN,
          apiVersion: config.PLATFORM_API_VERSION,
          host: '127.0.0.1',
          ...overrides.simulator,
        },
        log,
      );
      const running = simulator;
      stack.push(() => running.close());
    }
    const platformUrl = config.PLATFORM_URL ?? (simulator as Simulator).serverRoot;

    const sender = startSender({
      connection: db.connection,
      config: { ...config, PLATFORM_URL: platformUrl },
      log,
      outbox,
      tuning: { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000 },
    });
    stack.push(() => sender.stop());

    const markHandlerReady = readiness.pending('turnHandler');
    const handler = overrides.handler ?? createEchoBot();
    markHandlerReady();
    const processor = new InboundProcessor({
      store: inbound,
      handler,
      queue: outbox,
      log: log.child({ module: 'inbound' }),
      leaseMs: config.INBOUND_LEASE_SECONDS * 1000,
    });
    processor.start();
    stack.push(() => processor.stop());

    const webhook = ctcuWebhook({
      chatbotId: config.CHATBOT_ID,
      appId: config.APP_ID,
      callbackToken: config.CALLBACK_TOKEN,
      notifyPath: config.NOTIFY_PATH,
      inbox: processor,
      reports: outbox,
      log,
    });
    const server = await listen(createApp({ log, readiness, routers: [webhook] }).callback(), config.PORT, config.HOST);
    stack.push(() => closeServer(server));
    const { port } = server.address() as AddressInfo;
    const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    const url = `http://${shownHost}:${port}`;
    const notifyUrl = `${url}${config.NOTIFY_PATH}`;
    simulator?.setNotifyUrl(notifyUrl);
    return { url, notifyUrl, simulator, readiness, inbound, outbox, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

async function listen(handler: RequestListener, port: number, host: string): Promise<Server> {
  const server = createServer((req, res) => {
    // While shutting down, every answer closes its connection, so keep-alive clients go away.
    if (!server.listening) res.setHeader('connection', 'close');
    handler(req, res);
  });
  // Platforms and load balancers reuse connections; keep them open a little longer than they do.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve));
  return server;
}

/** Stops accepting connections and waits for the requests in flight to be answered. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const forced = setTimeout(() => server.closeAllConnections(), 5_000);
  await closed;
  clearTimeout(forced);
}

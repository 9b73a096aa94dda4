/**
 * The bot assembled: store → (simulator when no platform is configured) → outbox and sender →
 * the conversation → inbox processor → HTTP server with the carrier webhook (and, in
 * development, the card preview). `startBot` returns a handle whose `close` shuts down in the
 * reverse order: stop accepting requests, finish in-flight work, stop the sender and processor,
 * close the store.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Router } from '@koa/router';
import { DAY_MS, type Config } from './config.js';
import type { Logger } from './log.js';
import { connectDatabase } from './db/connect.js';
import { startSimulator, type Simulator } from './channels/simulator/index.js';
import { ctcuWebhook } from './channels/ctcu/webhook.js';
import { createOutbox, startSender, type Outbox } from './outbox/index.js';
import { createCtcuTransport } from './outbox/start.js';
import { InboundStore } from './inbound/inboundMessage.js';
import { InboundProcessor, type InboundProcessorOptions } from './inbound/processor.js';
import type { TurnHandler } from './inbound/turnHandler.js';
import { setUpConversation, type ContentPaths } from './conversation/setup.js';
import { publishMenuInBackground } from './conversation/menuPublisher.js';
import { previewRouter } from './render/preview/previewRouter.js';
import { appointmentsAdminRouter } from './admin/appointmentsRouter.js';
import { Reminders } from './appointments/reminders.js';
import { SeatReconciler } from './appointments/reconcile.js';
import { AppointmentScheduler } from './appointments/scheduler.js';
import { createApp } from './http/app.js';
import { Readiness } from './http/readiness.js';

/** The project root (from src/ under tsx, from dist/ once built): where cards/ and intents/ are. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const DEFAULT_CONTENT_PATHS: ContentPaths = { cards: `${ROOT}cards`, intents: `${ROOT}intents`, nluCache: `${ROOT}.cache/nlu` };

/** A port the bot or its simulator cannot listen on, named by the variable that sets it. */
export class PortInUse extends Error {
  constructor(
    readonly variable: string,
    readonly port: number,
  ) {
    super(`port ${port} is already in use: set ${variable} to a free port (or stop what is listening there)`);
    this.name = 'PortInUse';
  }
}

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
  /** Another turn handler (channel tests and benchmarks use an echo); the conversation when absent. */
  handler?: TurnHandler;
  /** Simulator settings for tests and benchmarks (only when PLATFORM_URL is unset). */
  simulator?: { rateLimitPerSecond?: number; latencyMs?: number; reportDelayMs?: number; port?: number };
  /** Content directories other than the project's own. */
  content?: Partial<ContentPaths>;
  /** The clock of the conversation, appointments and their reminders, for tests. */
  clock?: () => Date;
  /** How often each process looks for due reminders (tests make it short). */
  appointmentPollMs?: number;
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
      const options = {
        chatbotId: config.CHATBOT_ID,
        appId: config.APP_ID,
        appKey: config.APP_KEY,
        callbackToken: config.CALLBACK_TOKEN,
        apiVersion: config.PLATFORM_API_VERSION,
        host: '127.0.0.1',
        port: config.SIMULATOR_PORT,
        ...overrides.simulator,
      };
      simulator = await startSimulator(options, log).catch((error: unknown) => {
        throw isAddressInUse(error) ? new PortInUse('SIMULATOR_PORT', options.port) : error;
      });
      const running = simulator;
      stack.push(() => running.close());
    }
    const senderConfig = { ...config, PLATFORM_URL: config.PLATFORM_URL ?? (simulator as Simulator).serverRoot };
    const transport = createCtcuTransport(db.connection, senderConfig, log.child({ module: 'sender' }));
    const sender = startSender({
      connection: db.connection,
      config: senderConfig,
      log,
      outbox,
      transport,
      tuning: { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000 },
    });
    stack.push(() => sender.stop());

    const markHandlerReady = readiness.pending('turnHandler');
    const routers: Router[] = [];
    let handler = overrides.handler;
    let onGiveUp: InboundProcessorOptions['onGiveUp'];
    if (!handler) {
      const content = { ...DEFAULT_CONTENT_PATHS, ...overrides.content };
      const clock = overrides.clock ?? (() => new Date());
      const setup = await setUpConversation({ connection: db.connection, config, paths: content, log, queue: outbox, clock });
      stack.push(async () => setup.close());
      const appointmentLog = log.child({ module: 'appointments' });
      const { appointments, appointmentNotices } = setup;
      const scheduler = new AppointmentScheduler({
        reminders: new Reminders(appointments.models, appointments.rules, appointments.zone, appointmentNotices.reminder, appointmentLog, config.OUTBOX_LEASE_SECONDS * 1000),
        reconciler: new SeatReconciler(appointments.models, appointments.changes),
        clock,
        log: appointmentLog,
        pollMs: overrides.appointmentPollMs,
      });
      scheduler.start();
      stack.push(() => scheduler.stop());
      routers.push(appointmentsAdminRouter({ appointments, catalog: setup.catalog, adminToken: config.ADMIN_TOKEN, clock, onCalled: (called) => appointmentNotices.called(called) }));
      handler = setup.conversation.handle;
      onGiveUp = setup.conversation.apologize;
      const menu = publishMenuInBackground(transport, setup.fixedMenu, log.child({ module: 'menu' }));
      stack.push(() => menu.stop());
      if (config.NODE_ENV === 'development') routers.push(previewRouter(setup.templates, setup.catalog));
    }
    markHandlerReady();
    const processor = new InboundProcessor({
      store: inbound,
      handler,
      queue: outbox,
      log: log.child({ module: 'inbound' }),
      leaseMs: config.INBOUND_LEASE_SECONDS * 1000,
      onGiveUp,
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
    const server = await listen(createApp({ log, readiness, routers: [webhook, ...routers] }).callback(), config.PORT, config.HOST);
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
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve)).catch((error: unknown) => {
    throw isAddressInUse(error) ? new PortInUse('PORT', port) : error;
  });
  return server;
}

function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/** Stops accepting connections and waits for the requests in flight to be answered. */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const forced = setTimeout(() => server.closeAllConnections(), 5_000);
  await closed;
  clearTimeout(forced);
}

/**
 * The bot assembled: store → (simulator for the platforms without serverRoot) → outbox and
 * sender, with one transport over every configured platform → the conversation → inbox
 * processor → HTTP server with the carrier webhooks, the staff API (and, in development, the card
 * preview); with the conversation, 好差评's background sweep. `startBot` returns a handle whose `close` shuts down in the reverse order: stop
 * accepting requests, finish in-flight work, stop the sender and processor, close the store.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Router } from '@koa/router';
import Koa from 'koa';
import { DAY_MS, type Config } from './config.js';
import type { Logger } from './log.js';
import { connectDatabase } from './db/connect.js';
import { startSimulator, type SimulatedPlatform, type Simulator } from './channels/simulator/index.js';
import type { PlatformConfig } from './channels/platformConfig.js';
import { createPlatformTransport, createWebhooks, notifyPathOf } from './channels/platforms.js';
import { Complaints, createOutbox, startSender, type Outbox } from './outbox/index.js';
import { InboundStore } from './inbound/inboundMessage.js';
import { InboundProcessor, type InboundProcessorOptions } from './inbound/processor.js';
import type { TurnHandler } from './inbound/turnHandler.js';
import type { ChatbotProfile, OutboundTransport } from './channels/model.js';
import { setUpConversation, type ContentPaths } from './conversation/setup.js';
import { publishMenuInBackground } from './conversation/menuPublisher.js';
import { previewRouter } from './render/preview/previewRouter.js';
import { Reminders } from './appointments/reminders.js';
import { SeatReconciler } from './appointments/reconcile.js';
import { AppointmentScheduler } from './appointments/scheduler.js';
import { createApp } from './http/app.js';
import { errorMiddleware } from './http/errorMiddleware.js';
import { metricsRoute } from './http/health.js';
import { Readiness } from './http/readiness.js';
import { setUpStaff } from './staff/setup.js';
import { HandoffDesk } from './handoff/desk.js';
import type { HallDesk } from './staff/endpoints/appointments.js';
import type { Catalog } from './catalog/catalog.js';
import { RateSlots } from './ratelimit/slots.js';
import { SharedRate } from './ratelimit/sharedRate.js';
import { SharedPacer } from './outbox/pacer.js';
import { setUpCampaigns, type CampaignsSetup } from './campaigns/setup.js';
import type { DispatcherTuning } from './campaigns/dispatcher.js';
import { seedDemoDirectory } from './directory/demo/seed.js';

/** Sends are counted in slots this long (ratelimit/): short enough that a slot's burst is small. */
const RATE_SLOT_MS = 100;
/** The web phone's default number: the demo directory's first enterprise has it as its contact. */
const DEMO_CONTACT = '13800138000';
import { startRatings, type Ratings } from './ratings/setup.js';

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
  /** Set when some platform has no serverRoot: the local simulator that plays those platforms. */
  simulator?: Simulator;
  /** The platforms this bot serves. */
  platforms: PlatformConfig[];
  readiness: Readiness;
  inbound: InboundStore;
  outbox: Outbox;
  complaints: Complaints;
  /** Present when the bot runs the conversation. */
  campaigns?: CampaignsSetup;
  /** 好差评, when the bot runs the conversation. */
  ratings?: Ratings;
  close(): Promise<void>;
}

export interface BotOverrides {
  /** Another turn handler (channel tests and benchmarks use an echo); the conversation when absent. */
  handler?: TurnHandler;
  /** Simulator settings for tests and benchmarks (only when some platform has no serverRoot). */
  simulator?: { rateLimitPerSecond?: number; latencyMs?: number; reportDelayMs?: number; stallMs?: number; port?: number };
  /** Content directories other than the project's own. */
  content?: Partial<ContentPaths>;
  /** The clock of the conversation, appointments and their reminders, and the campaigns, for tests. */
  clock?: () => Date;
  /** How often each process looks for due reminders (tests make it short). */
  appointmentPollMs?: number;
  /** How often the rating sweep runs; 0: never (tests run it by hand). */
  ratingSweepMs?: number;
  /** The campaign dispatcher's settings, for tests and benchmarks. */
  dispatcher?: Partial<DispatcherTuning>;
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
    const { platforms } = config;
    const inbound = new InboundStore(db.connection, { retentionMs: config.INBOUND_RETENTION_DAYS * DAY_MS });
    // With one platform a message that names none can only mean it; with several it is refused.
    const outbox = createOutbox(db.connection, { retentionMs: config.OUTBOX_RETENTION_DAYS * DAY_MS, defaultPlatformId: platforms.length === 1 ? platforms[0]?.id : undefined });
    const complaints = new Complaints(db.connection, outbox.model);
    const rateSlots = new RateSlots(db.connection, RATE_SLOT_MS);
    await Promise.all([inbound.init(), outbox.model.init(), complaints.model.init(), rateSlots.init()]);
    // One rate per chatbot over every process: replies first, campaigns in what they leave.
    const shared = new SharedRate(rateSlots, { replyReserve: config.REPLY_RESERVE }, log.child({ module: 'rate' }));
    const rates = new Map(platforms.map((platform) => [platform.id, platform.sendRate ?? config.SEND_RATE]));
    const pacer = new SharedPacer(shared, (platformId) => rates.get(platformId) ?? config.SEND_RATE);

    const simulator = await simulatorFor(config, overrides, log);
    if (simulator) stack.push(() => simulator.close());

    const transport = createPlatformTransport(db.connection, platforms, log, { simulatorRoot: simulator?.serverRoot });
    stack.push(async () => transport.close());
    const sender = startSender({
      connection: db.connection,
      transport,
      pacer,
      log,
      outbox,
      complaints,
      tuning: { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000 },
    });
    stack.push(async () => {
      await sender.stop();
      shared.stop();
    });

    const markHandlerReady = readiness.pending('turnHandler');
    const routers: Router[] = [];
    let handler = overrides.handler;
    let onGiveUp: InboundProcessorOptions['onGiveUp'];
    let handoffDesk: HandoffDesk | undefined;
    let hallDesk: HallDesk | undefined;
    let preview: ((access: Parameters<typeof previewRouter>[2]) => Router) | undefined;
    let catalog: Catalog | undefined;
    let campaigns: CampaignsSetup | undefined;
    let ratings: Ratings | undefined;
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
      handler = setup.conversation.handle;
      onGiveUp = setup.conversation.apologize;
      const started = startRatings({
        stores: setup.ratings,
        config,
        conversation: setup.conversation,
        outbox,
        postbacks: setup.postbacks,
        catalog: setup.catalog,
        handoffs: setup.handoffs,
        sessions: { model: setup.sessions.model, idleMs: config.SESSION_IDLE_MINUTES * 60_000 },
        log: log.child({ module: 'ratings' }),
        ...(overrides.clock ? { clock: overrides.clock } : {}),
        ...(overrides.ratingSweepMs !== undefined ? { sweepIntervalMs: overrides.ratingSweepMs } : {}),
      });
      stack.push(() => started.stop());
      ratings = started;
      hallDesk = {
        appointments,
        catalog: setup.catalog,
        clock,
        async onCalled(called) {
          await appointmentNotices.called(called);
          // Called to a window: a visit, asked about (好差评) once the citizen has been served.
          const booking = await appointments.bookings.find(called.ticket.bookingId);
          if (booking) await started.visited({ appointmentId: booking._id, userKey: booking.userKey, userId: booking.userId, platformId: booking.platformId, item: booking.itemCode, hallId: booking.hallId, at: called.ticket.calledAt ?? clock() });
        },
      };
      handoffDesk = new HandoffDesk({
        handoffs: setup.handoffs,
        conversation: setup.conversation,
        outbox,
        inbound,
        postbacks: setup.postbacks,
        catalog: setup.catalog,
        afterClose: (handoff) => started.handoffClosed(handoff),
      });
      // The fixed menu, on every platform whose carrier has one.
      for (const { platformId, transport: each } of transport.byPlatform()) {
        if (!hasFixedMenu(each)) continue;
        const menu = publishMenuInBackground(each, setup.fixedMenu, log.child({ module: 'menu', platformId }));
        stack.push(() => menu.stop());
      }
      preview = (access) => previewRouter(setup.templates, setup.catalog, access);
      catalog = setup.catalog;
      if (config.NODE_ENV === 'development') {
        const seeded = await seedDemoDirectory(setup.directory, setup.vocabulary, config.DEMO_DIRECTORY_SIZE, DEMO_CONTACT);
        if (seeded > 0) log.info({ enterprises: seeded, contact: `tel:+86${DEMO_CONTACT}` }, 'demo enterprise directory seeded');
      }
      const campaignSetup = await setUpCampaigns({
        connection: db.connection,
        conversation: setup,
        outbox,
        complaints,
        config,
        platformIds: platforms.map((platform) => platform.id),
        log,
        clock: overrides.clock,
        // A crashed process's recipients come back after the same lease as its outbox messages.
        tuning: { leaseMs: config.OUTBOX_LEASE_SECONDS * 1000, ...overrides.dispatcher },
      });
      campaigns = campaignSetup;
      stack.push(() => campaignSetup.close());
    }
    markHandlerReady();
    const processor = new InboundProcessor({
      store: inbound,
      handler,
      queue: outbox,
      log: log.child({ module: 'inbound' }),
      leaseMs: config.INBOUND_LEASE_SECONDS * 1000,
      concurrency: config.TURN_CONCURRENCY,
      onGiveUp,
    });
    processor.start();
    stack.push(() => processor.stop());

    const webhooks = createWebhooks(platforms, { defaultNotifyPath: config.NOTIFY_PATH, inbox: processor, reports: outbox, complaints, log });
    const staff = await setUpStaff({
      connection: db.connection,
      ...(config.ADMIN_TOKEN ? { adminToken: config.ADMIN_TOKEN } : {}),
      timeZone: config.TIMEZONE,
      secureCookies: config.NODE_ENV === 'production',
      ...(handoffDesk ? { desk: handoffDesk } : {}),
      ...(hallDesk ? { hallDesk } : {}),
      ...(catalog ? { catalog } : {}),
      ...(campaigns ? { campaigns } : {}),
      ...(ratings ? { ratings } : {}),
    });
    if (preview) routers.push(preview(staff.console.guard(['content'])));
    const metrics = { serve: config.METRICS_PORT === undefined, ...(config.METRICS_TOKEN ? { token: config.METRICS_TOKEN } : {}) };
    const server = await listen(createApp({ log, readiness, routers: [...webhooks, ...staff.routers, ...routers], metrics }).callback(), config.PORT, config.HOST);
    stack.push(() => closeServer(server));
    if (config.METRICS_PORT !== undefined) {
      const metricsApp = new Koa().use(errorMiddleware(log)).use(metricsRoute(config.METRICS_TOKEN).routes());
      const metricsServer = await listen(metricsApp.callback(), config.METRICS_PORT, '127.0.0.1', 'METRICS_PORT');
      stack.push(() => closeServer(metricsServer));
    }
    const { port } = server.address() as AddressInfo;
    const shownHost = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
    const url = `http://${shownHost}:${port}`;
    const notifyUrl = `${url}${config.NOTIFY_PATH}`;
    // Each simulated platform adds its own notify path.
    simulator?.setNotifyUrl(url);
    return { url, notifyUrl, simulator, platforms, readiness, inbound, outbox, complaints, ...(campaigns ? { campaigns } : {}), ...(ratings ? { ratings } : {}), close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** The local simulator, playing the platforms that have no serverRoot (none: no simulator). */
async function simulatorFor(config: Config, overrides: BotOverrides, log: Logger): Promise<Simulator | undefined> {
  const simulated = config.platforms.filter((platform) => platform.serverRoot === undefined);
  if (simulated.length === 0) return undefined;
  const platforms = simulated.map((platform) => simulatedPlatform(platform, config.NOTIFY_PATH));
  const options = { platforms, host: '127.0.0.1', port: config.SIMULATOR_PORT, ...overrides.simulator };
  return startSimulator(options, log).catch((error: unknown) => {
    throw isAddressInUse(error) ? new PortInUse('SIMULATOR_PORT', options.port) : error;
  });
}

/** What the simulator needs to play a configured platform (its credentials, where its callbacks go). */
function simulatedPlatform(platform: PlatformConfig, defaultNotifyPath: string): SimulatedPlatform {
  const common = { id: platform.id, chatbotId: platform.chatbotId, appId: platform.appId, notifyPath: notifyPathOf(platform, defaultNotifyPath), label: platform.label };
  return platform.family === 'ctcu'
    ? { ...common, family: 'ctcu', appKey: platform.appKey, callbackToken: platform.callbackToken, apiVersion: platform.apiVersion }
    : { ...common, family: 'maap', dialect: platform.dialect, password: platform.password };
}

async function listen(handler: RequestListener, port: number, host: string, variable = 'PORT'): Promise<Server> {
  const server = createServer((req, res) => {
    // While shutting down, every answer closes its connection, so keep-alive clients go away.
    if (!server.listening) res.setHeader('connection', 'close');
    handler(req, res);
  });
  // Platforms and load balancers reuse connections; keep them open a little longer than they do.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, host, resolve)).catch((error: unknown) => {
    throw isAddressInUse(error) ? new PortInUse(variable, port) : error;
  });
  return server;
}

/** Whether a carrier's transport can set a fixed menu (CT/CU can; the MaaP brief has no menu API). */
function hasFixedMenu(transport: OutboundTransport): transport is OutboundTransport & ChatbotProfile {
  return 'publishMenu' in transport;
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

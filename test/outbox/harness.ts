/**
 * The outbound path under test: a database (test/support/mongo.ts), an outbox, the simulator as
 * the platform, a small receiver that applies the simulator's delivery reports to the outbox
 * (through the real CT/CU delivery notification parser), and senders started on demand.
 */
import Koa from 'koa';
import mongoose, { type Connection } from 'mongoose';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import getRawBody from 'raw-body';
import { parseDeliveryNotification } from '../../src/channels/ctcu/deliveryNotification.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/channels/simulator/index.js';
import type { DeliveryStatus } from '../../src/channels/model.js';
import { createLogger } from '../../src/log.js';
import { createOutbox, startSender, type Outbox, type RunningSender, type StartSenderOptions } from '../../src/outbox/index.js';
import { createCtcuTransport } from '../../src/channels/ctcu/index.js';
import type { TokenManagerOptions } from '../../src/channels/ctcu/tokenManager.js';
import type { SendPacer } from '../../src/outbox/pacer.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

export const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
export const PLATFORM_ID = 'ctcu';
const log = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');

export interface HarnessOptions {
  simulator?: Partial<SimulatorOptions>;
  sendRate?: number;
  tuning?: StartSenderOptions['tuning'] & { requestTimeoutMs?: number; token?: TokenManagerOptions };
  /** How long messages that left the queue are kept, and how often the embedded store expires them. */
  retentionMs?: number;
  ttlIntervalMs?: number;
}

export class OutboundHarness {
  mongo!: TestMongo;
  connection!: Connection;
  outbox!: Outbox;
  simulator!: Simulator;
  readonly reportCalls: number[] = [];
  private readonly connections: Connection[] = [];
  private readonly senders: RunningSender[] = [];
  private receiver: Server | undefined;

  constructor(private readonly options: HarnessOptions = {}) {}

  async start(name: string): Promise<this> {
    this.mongo = await startTestMongo({ name, ttlIntervalMs: this.options.ttlIntervalMs });
    this.connection = await this.connect();
    this.outbox = createOutbox(this.connection, { retentionMs: this.options.retentionMs, defaultPlatformId: PLATFORM_ID });
    await this.outbox.model.init();
    const notifyUrl = await this.startReceiver();
    this.simulator = await startSimulator(
      { chatbotId: CHATBOT_ID, appId: 'app', appKey: 'key', callbackToken: 'cb', apiVersion: 'v1', notifyUrl, stallMs: 1500, reportDelayMs: 5, ...this.options.simulator },
      log,
    );
    return this;
  }

  /** Another mongoose connection to the same database, as a second bot process would have. */
  async connect(): Promise<Connection> {
    const connection = await mongoose.createConnection(this.mongo.uri, { dbName: this.mongo.dbName }).asPromise();
    this.connections.push(connection);
    return connection;
  }

  /** The CT/CU transport to the simulator, as a bot process builds it. */
  transport(connection = this.connection): ReturnType<typeof createCtcuTransport> {
    const { requestTimeoutMs = 1000, token } = this.options.tuning ?? {};
    const platform = { chatbotId: CHATBOT_ID, serverRoot: this.simulator.serverRoot, apiVersion: 'v1', appId: 'app', appKey: 'key' };
    return createCtcuTransport(connection, platform, log, { requestTimeoutMs, token });
  }

  startSender(connection = this.connection, outbox: Outbox | undefined = this.outbox, pacer?: SendPacer): RunningSender {
    const { requestTimeoutMs: _timeout, token: _token, ...tuning } = this.options.tuning ?? {};
    const sender = startSender({
      connection,
      outbox,
      log,
      transport: this.transport(connection),
      ...(pacer ? { pacer } : {}),
      sendRate: this.options.sendRate ?? 1000,
      tuning: { pollMs: 20, backoff: { baseMs: 20, maxMs: 200, maxAttempts: 20 }, ...tuning },
    });
    this.senders.push(sender);
    return sender;
  }

  /** Texts the simulator showed to `user`, in the order it accepted them. */
  textsFor(user: string): string[] {
    return this.simulator.received(user).flatMap((message) => message.parts.flatMap((part) => (part.kind === 'text' ? [part.text] : [])));
  }

  async waitForStatus(ids: string[], statuses: DeliveryStatus[], timeoutMs = 8000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const done = await this.outbox.model.countDocuments({ _id: { $in: ids }, status: { $in: statuses } });
      if (done === ids.length) return;
      if (Date.now() > deadline) throw new Error(`only ${done} of ${ids.length} messages reached ${statuses.join('/')}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.senders.map((sender) => sender.stop()));
    await this.simulator?.close();
    const receiver = this.receiver;
    if (receiver) {
      await new Promise<void>((resolve) => {
        receiver.close(() => resolve());
        receiver.closeAllConnections();
      });
    }
    await Promise.all(this.connections.map((connection) => connection.close()));
    await this.mongo?.close();
  }

  private async startReceiver(): Promise<string> {
    const app = new Koa();
    app.use(async (ctx) => {
      const body: unknown = JSON.parse(await getRawBody(ctx.req, { encoding: 'utf8' }));
      if (ctx.path.startsWith('/deliveryNotification/')) {
        const reports = parseDeliveryNotification(body);
        this.reportCalls.push(reports.length);
        await this.outbox.applyDeliveryReports(reports);
      }
      ctx.body = { errorCode: 0 };
    });
    const server = app.listen(0, '127.0.0.1');
    this.receiver = server;
    await new Promise((resolve) => server.once('listening', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
}

export function text(userId: string, body: string): { userId: string; body: { type: 'text'; text: string } } {
  return { userId, body: { type: 'text', text: body } };
}

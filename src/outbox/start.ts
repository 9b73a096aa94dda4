/**
 * Starting the outbound side for the CT/CU carrier: the token manager, the platform client and
 * the sender, wired to one outbox. The process entry point calls this once.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { PlatformClient } from '../channels/ctcu/platformClient.js';
import { TokenManager, type TokenManagerOptions } from '../channels/ctcu/tokenManager.js';
import { CtcuTransport } from '../channels/ctcu/transport.js';
import type { OutboundTransport } from '../channels/model.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { Claims } from './claims.js';
import { Outcomes } from './outcomes.js';
import { DEFAULT_OUTBOX_RETENTION_MS, outboxModel } from './model.js';
import type { Outbox } from './outbox.js';
import { Sender, type SenderTuning } from './sender.js';

export type SenderConfig = Pick<Config, 'CHATBOT_ID' | 'PLATFORM_API_VERSION' | 'APP_ID' | 'APP_KEY' | 'SEND_RATE'> & {
  /** The platform serverRoot (the simulator's when PLATFORM_URL is unset). */
  PLATFORM_URL: string;
};

export interface StartSenderOptions {
  connection: Connection;
  config: SenderConfig;
  log: Logger;
  /** Enqueues into this outbox wake the sender at once instead of at the next poll; its retention applies to what is sent. */
  outbox?: Outbox;
  /** Overrides for tests and benchmarks. */
  tuning?: Partial<SenderTuning & { leaseMs: number; requestTimeoutMs: number; token: TokenManagerOptions }>;
  /** Another carrier; the CT/CU transport from `config` when not given. */
  transport?: OutboundTransport;
}

export interface RunningSender {
  stop(): Promise<void>;
}

export function createCtcuTransport(
  connection: Connection,
  config: SenderConfig,
  log: Logger,
  options: { requestTimeoutMs?: number; token?: TokenManagerOptions } = {},
): CtcuTransport {
  const client = new PlatformClient({
    serverRoot: config.PLATFORM_URL,
    apiVersion: config.PLATFORM_API_VERSION,
    chatbotId: config.CHATBOT_ID,
    timeoutMs: options.requestTimeoutMs ?? 10_000,
  });
  const tokens = new TokenManager(connection, config.CHATBOT_ID, () => client.requestToken(config.APP_ID, config.APP_KEY), log, options.token);
  return new CtcuTransport(client, tokens, config.CHATBOT_ID);
}

export function startSender(options: StartSenderOptions): RunningSender {
  const { connection, config, tuning = {} } = options;
  const log = options.log.child({ module: 'sender' });
  const transport = options.transport ?? createCtcuTransport(connection, config, log, { requestTimeoutMs: tuning.requestTimeoutMs, token: tuning.token });
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const model = outboxModel(connection);
  const sender = new Sender(
    new Claims(model, owner, tuning.leaseMs ?? 60_000),
    new Outcomes(model, owner, options.outbox?.retentionMs ?? DEFAULT_OUTBOX_RETENTION_MS),
    transport,
    {
      concurrency: tuning.concurrency ?? 64,
      pollMs: tuning.pollMs ?? 250,
      maintenanceMs: tuning.maintenanceMs ?? 5_000,
      ratePerSecond: tuning.ratePerSecond ?? config.SEND_RATE,
      backoff: tuning.backoff ?? DEFAULT_BACKOFF,
    },
    log,
  );
  const unsubscribe = options.outbox?.onEnqueued(() => sender.poke());
  const detach = options.outbox?.attachSender(sender);
  sender.start();
  log.info({ owner, ratePerSecond: config.SEND_RATE, platform: config.PLATFORM_URL }, 'sender started');
  return {
    async stop() {
      unsubscribe?.();
      detach?.();
      await sender.stop();
    },
  };
}

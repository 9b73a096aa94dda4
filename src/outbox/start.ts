/**
 * Starting the outbound side: the sender, wired to one outbox and to the transport the carrier
 * adapters hand in (channels/transports.ts routes each message to its platform's adapter).
 * The process entry point calls this once.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Logger } from '../log.js';
import type { OutboundTransport } from '../channels/model.js';
import { DEFAULT_BACKOFF } from './backoff.js';
import { Claims } from './claims.js';
import type { Complaints } from './complaints.js';
import { Outcomes } from './outcomes.js';
import { DEFAULT_OUTBOX_RETENTION_MS, outboxModel } from './model.js';
import type { Outbox } from './outbox.js';
import { Sender, type SenderTuning } from './sender.js';
import { LocalPacer, type SendPacer } from './pacer.js';

export interface StartSenderOptions {
  connection: Connection;
  /** How the messages reach their platforms. */
  transport: OutboundTransport;
  /**
   * What each send waits for: in a bot the shared rate (each chatbot's rate over every process,
   * replies first). Without it, `sendRate` per second for this process alone.
   */
  pacer?: SendPacer;
  sendRate?: number;
  log: Logger;
  /** Enqueues into this outbox wake the sender at once instead of at the next poll; its retention applies to what is sent. */
  outbox?: Outbox;
  /** Users who complained of spam are not messaged unless they wrote since. */
  complaints?: Complaints;
  /** Overrides for tests and benchmarks. */
  tuning?: Partial<SenderTuning & { leaseMs: number; ratePerSecond: number }>;
}

export interface RunningSender {
  stop(): Promise<void>;
}

export function startSender(options: StartSenderOptions): RunningSender {
  const { connection, tuning = {} } = options;
  const log = options.log.child({ module: 'sender' });
  const owner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const model = outboxModel(connection);
  const ratePerSecond = tuning.ratePerSecond ?? options.sendRate ?? 50;
  const pacer = options.pacer ?? new LocalPacer(ratePerSecond);
  const sender = new Sender(
    new Claims(model, owner, tuning.leaseMs ?? 60_000),
    new Outcomes(model, owner, options.outbox?.retentionMs ?? DEFAULT_OUTBOX_RETENTION_MS),
    options.transport,
    pacer,
    {
      concurrency: tuning.concurrency ?? 64,
      pollMs: tuning.pollMs ?? 250,
      maintenanceMs: tuning.maintenanceMs ?? 5_000,
      backoff: tuning.backoff ?? DEFAULT_BACKOFF,
    },
    log,
    options.complaints,
    options.outbox ? (document) => (options.outbox as Outbox).messageOf(document) : undefined,
  );
  const unsubscribe = options.outbox?.onEnqueued(() => sender.poke());
  const detach = options.outbox?.attachSender(sender);
  sender.start();
  log.info({ owner, ...(options.pacer ? { pace: 'shared' } : { ratePerSecond }) }, 'sender started');
  return {
    async stop() {
      unsubscribe?.();
      detach?.();
      await sender.stop();
    },
  };
}

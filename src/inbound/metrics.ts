/** Inbound metrics on the prom-client default register (served at /metrics). */
import { Counter, Gauge, Histogram } from 'prom-client';

export const inboundMessages = new Counter({
  name: 'rcs_inbound_messages_total',
  help: 'Inbound user messages accepted, by channel and content type (retried duplicates excluded)',
  labelNames: ['channel', 'type'] as const,
});

export const inboundDuplicates = new Counter({
  name: 'rcs_inbound_duplicates_total',
  help: 'Inbound callbacks repeating an already recorded messageId',
  labelNames: ['channel'] as const,
});

export const webhookAckSeconds = new Histogram({
  name: 'rcs_webhook_ack_seconds',
  help: 'Time from receiving a platform callback to answering it',
  labelNames: ['route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

export const turnSeconds = new Histogram({
  name: 'rcs_inbound_turn_seconds',
  help: 'Time from persisting an inbound message to its replies being queued',
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

export const turnFailures = new Counter({
  name: 'rcs_inbound_turn_failures_total',
  help: 'Turn attempts that threw, by whether the message will be retried',
  labelNames: ['outcome'] as const,
});

export const inboundInProgress = new Gauge({
  name: 'rcs_inbound_in_progress',
  help: 'Inbound messages this process has taken on and not yet finished',
});

/** Inbound processing metrics on the prom-client default register (the webhook's are in channels/metrics.ts). */
import { Counter, Gauge, Histogram } from 'prom-client';

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

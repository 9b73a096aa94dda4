/** Outbound metrics on the default prom-client register (served at /metrics). */
import { Counter, Gauge, Histogram } from 'prom-client';

export const outboundByStatus = new Counter({
  name: 'rcs_outbound_messages_total',
  help: 'Outbound messages by what the sender did with them (queued, sent, retried, failed)',
  labelNames: ['status'] as const,
});

export const sendLatency = new Histogram({
  name: 'rcs_outbound_send_duration_seconds',
  help: 'Time of one send attempt to the platform, by outcome',
  labelNames: ['outcome'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
});

export const queueDepth = new Gauge({
  name: 'rcs_outbox_queue_depth',
  help: 'Outbox messages waiting to be sent (queued or sending)',
});

export const deliveryReports = new Counter({
  name: 'rcs_delivery_reports_total',
  help: 'Delivery reports received from the platform, by reported status',
  labelNames: ['status'] as const,
});

/** Metrics of the carrier webhooks, on the prom-client default register (served at /metrics). */
import { Counter, Histogram } from 'prom-client';

export const inboundMessages = new Counter({
  name: 'rcs_inbound_messages_total',
  help: 'Inbound user messages accepted, by channel, platform and content type (retried duplicates excluded)',
  labelNames: ['channel', 'platform', 'type'] as const,
});

export const inboundDuplicates = new Counter({
  name: 'rcs_inbound_duplicates_total',
  help: 'Inbound callbacks repeating an already recorded messageId',
  labelNames: ['channel', 'platform'] as const,
});

export const spamReports = new Counter({
  name: 'rcs_spam_reports_total',
  help: 'User spam complaints received, by platform',
  labelNames: ['platform'] as const,
});

export const webhookAckSeconds = new Histogram({
  name: 'rcs_webhook_ack_seconds',
  help: 'Time from receiving a platform callback to answering it',
  labelNames: ['route', 'status'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

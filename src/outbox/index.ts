export { Outbox, NoPlatformError, createOutbox, type OutboxOptions } from './outbox.js';
export { startSender, type RunningSender, type StartSenderOptions } from './start.js';
export { Complaints } from './complaints.js';
export { outboundOf, type OutboxDocument } from './model.js';

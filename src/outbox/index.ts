export { Outbox, createOutbox } from './outbox.js';
export { startSender, createCtcuTransport, type RunningSender, type SenderConfig, type StartSenderOptions } from './start.js';
export type { OutboxDocument } from './model.js';

/** The inbox port lives in the internal model (channels/model.ts), beside the other ports. */
export type { CallbackKey, Inbox, ReceiveOutcome } from '../channels/model.js';

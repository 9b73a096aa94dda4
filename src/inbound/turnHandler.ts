import type { InboundEvent, OutboundMessage } from '../channels/model.js';

/**
 * What the bot does with one inbound message: the replies to send, in order. It must be safe to
 * run twice for the same event (a crash between the turn and its completion re-runs it); the
 * replies are queued with per-message dedupe keys so a re-run sends nothing twice.
 */
export type TurnHandler = (event: InboundEvent) => Promise<OutboundMessage[]>;

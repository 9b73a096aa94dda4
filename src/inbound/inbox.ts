import type { InboundEvent } from '../channels/model.js';

/** The outcome of handing over a message: stored, already stored, or refused by its admission. */
export type ReceiveOutcome = 'new' | 'duplicate' | 'refused';

/**
 * Where a channel adapter hands a parsed inbound message. `receive` resolves once the message is
 * durably stored (the adapter may then acknowledge it), with 'duplicate' for a messageId already
 * received. Processing happens from the stored record (InboundProcessor implements this).
 *
 * `admission`, when given, is a check that runs while the message is being written (the replay
 * check of its callback): when it resolves false the message is refused — a record just written
 * for it is removed again and it is never processed — so both writes cost one round trip.
 */
export interface Inbox {
  receive(event: InboundEvent, admission?: Promise<boolean>): Promise<ReceiveOutcome>;
}

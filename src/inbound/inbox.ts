import type { InboundEvent } from '../channels/model.js';

/**
 * Where a channel adapter hands a parsed inbound message. `receive` resolves once the message is
 * durably stored (the adapter may then acknowledge it), with 'duplicate' for a messageId already
 * received. Processing happens from the stored record (InboundProcessor implements this).
 */
export interface Inbox {
  receive(event: InboundEvent): Promise<'new' | 'duplicate'>;
}

import type { InboundEvent } from '../channels/model.js';

/** What became of a message handed to the inbox. */
export type ReceiveOutcome = 'new' | 'duplicate' | 'replayed';

/**
 * Where a channel adapter hands what the platform sent. `receive` resolves once the message is
 * durably stored (the adapter may then acknowledge it), with 'duplicate' for a messageId already
 * received. Processing happens from the stored record (InboundProcessor implements this).
 *
 * Callback keys: a carrier whose callbacks carry a single-use key (the CT/CU nonce) passes it
 * along. Every key is accepted once across every kind of callback and every process on the
 * store: `receive` stores a message and uses up its key in one write ('replayed', with nothing
 * stored, when the key was already used), and `takeCallbackKey` uses up the key of a callback
 * that carries no message (delivery reports, notices).
 */
export interface Inbox {
  receive(event: InboundEvent, callbackKey?: CallbackKey): Promise<ReceiveOutcome>;
  /** False when a callback already used the key. */
  takeCallbackKey(key: CallbackKey): Promise<boolean>;
}

export interface CallbackKey {
  key: string;
  /** Until when a replay must be refused by its key (after that, its timestamp is refused). */
  keepUntil: Date;
}

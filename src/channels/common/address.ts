/** User addresses as carriers write them, normalised to the one form the bot uses. */
import type { UserAddress } from '../model.js';
import { InvalidRequestError } from '../../http/errors.js';

const TEL = /^tel:\+?(\d{5,15})$/i;
const SIP_NUMBER = /^sips?:\+?(\d{5,15})@[^@\s]+$/i;

/**
 * Users are `tel:+<digits>`; some platforms send `sip:+86…@ims-domain`. Both become `tel:+…`.
 * Anything else is not a user this bot can answer; `field` names it in the reason.
 */
export function normaliseUserAddress(address: string, field = 'senderAddress'): UserAddress {
  const match = TEL.exec(address.trim()) ?? SIP_NUMBER.exec(address.trim());
  if (!match) throw new InvalidRequestError(`${field}: "${address.slice(0, 64)}" is not a tel: user address`);
  return `tel:+${match[1]}`;
}

/** An unparseable dateTime is not worth refusing a message for: it is informational. */
export function parseDateTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

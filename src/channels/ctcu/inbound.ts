/**
 * CT/CU `messageNotification` bodies → InboundEvent. The only place that knows the carrier's
 * inbound field names. Validates once; everything after this speaks the internal model.
 */
import { z } from 'zod';
import type { InboundEvent, UserAddress } from '../model.js';
import { InvalidRequestError } from '../../http/errors.js';
import { messagePartSchema, parseMessagePart } from './content.js';
import { describeIssues } from './zodIssues.js';

export const CHANNEL = 'ctcu';

const id = z.string().min(1).max(256);

const messageNotificationSchema = z.object({
  messageId: id,
  messageList: z.array(messagePartSchema).min(1).max(10),
  dateTime: z.string().max(64).optional(),
  destinationAddress: z.string().min(1).max(256),
  senderAddress: z.string().min(1).max(256),
  conversationId: id,
  contributionId: id,
  inReplyTo: z.string().max(256).optional(),
});

/** Parses a messageNotification JSON value; throws InvalidRequestError with the reason. */
export function parseMessageNotification(body: unknown, chatbotId: string): InboundEvent {
  const result = messageNotificationSchema.safeParse(body);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error));
  const notification = result.data;
  // Several parts only ever carry one meaningful content (e.g. a file part holds file + thumbnail).
  const [first] = notification.messageList;
  if (!first) throw new InvalidRequestError('messageList: empty');
  const event: InboundEvent = {
    messageId: notification.messageId,
    channel: CHANNEL,
    chatbotId,
    userId: normaliseUserAddress(notification.senderAddress),
    conversationId: notification.conversationId,
    contributionId: notification.contributionId,
    content: parseMessagePart(first, 'messageList[0]'),
  };
  if (notification.inReplyTo) event.inReplyTo = notification.inReplyTo;
  const sentAt = parseDateTime(notification.dateTime);
  if (sentAt) event.sentAt = sentAt;
  return event;
}

const TEL = /^tel:\+?(\d{5,15})$/;
const SIP_NUMBER = /^sip:\+?(\d{5,15})@[^@\s]+$/;

/**
 * Users are `tel:+<digits>`; some platforms send `sip:+86…@ims-domain`. Both become `tel:+…`.
 * Anything else is not a user this bot can answer.
 */
export function normaliseUserAddress(address: string): UserAddress {
  const match = TEL.exec(address.trim()) ?? SIP_NUMBER.exec(address.trim());
  if (!match) throw new InvalidRequestError(`senderAddress: "${address.slice(0, 64)}" is not a tel: user address`);
  return `tel:+${match[1]}`;
}

/** An unparseable dateTime is not worth refusing the message for: it is informational. */
function parseDateTime(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * CT/CU `messageNotification` bodies → InboundEvent. The only place that knows the carrier's
 * inbound field names. Validates once; everything after this speaks the internal model.
 */
import { z } from 'zod';
import type { InboundEvent } from '../model.js';
import { InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { namesChatbot } from '../common/webhookSupport.js';
import { normaliseUserAddress, parseDateTime } from '../common/address.js';
import { describeIssues } from '../common/zodIssues.js';
import { messagePartSchema, parseMessagePart } from './content.js';

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

/** The platform (one configured chatbot) a callback came in for. */
export interface ReceivingPlatform {
  platformId: string;
  chatbotId: string;
}


/** Parses a messageNotification JSON value; throws InvalidRequestError with the reason (NotFoundError for another chatbot). */
export function parseMessageNotification(body: unknown, platform: ReceivingPlatform): InboundEvent {
  const result = messageNotificationSchema.safeParse(body);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error));
  const notification = result.data;
  // A message for another chatbot is refused like a wrong path, whoever signed it.
  if (!namesChatbot(notification.destinationAddress, platform.chatbotId)) {
    throw new NotFoundError(`destinationAddress names another chatbot: ${notification.destinationAddress.slice(0, 100)}`);
  }
  // Several parts only ever carry one meaningful content (e.g. a file part holds file + thumbnail).
  const [first] = notification.messageList;
  if (!first) throw new InvalidRequestError('messageList: empty');
  const event: InboundEvent = {
    messageId: notification.messageId,
    channel: CHANNEL,
    platformId: platform.platformId,
    chatbotId: platform.chatbotId,
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

/**
 * MaaP callbacks (either dialect, decoded by codec.ts) → the internal model: an inbound message
 * becomes an InboundEvent, or a SpamReport when it is a complaint; delivery and message status
 * notifications become DeliveryReports. The only place that knows the family's callback field
 * names. Validates once (zod); every problem is an InvalidRequestError with the reason.
 */
import { z } from 'zod';
import type { DeliveryReport, InboundEvent, SpamReport } from '../model.js';
import { InvalidRequestError, NotFoundError } from '../../http/errors.js';
import { namesChatbot } from '../common/webhookSupport.js';
import { normaliseUserAddress, parseDateTime } from '../common/address.js';
import { describeIssues } from '../common/zodIssues.js';
import { decodeContent, mediaType } from '../common/gsmaContent.js';
import type { RawNotification } from './codec.js';
import { parseMaapContent, parseSpamReport } from './content.js';
import { MAAP_CONTENT_TYPES } from './outbound.js';
import { xmlText } from './xml.js';

export const CHANNEL = 'maap';

/** A field as either dialect carries it: a string, a number, or an XML element's text. */
const text = (max: number) => z.preprocess((value) => xmlText(value), z.string().max(max));
const required = (max: number) => z.preprocess((value) => xmlText(value), z.string().min(1).max(max));

const inboundMessageSchema = z.object({
  destinationAddress: text(256).optional(),
  senderAddress: required(256),
  origUser: text(256).optional(),
  dateTime: text(64).optional(),
  messageId: required(256),
  contentType: required(200),
  contentEncoding: text(16).optional(),
  bodyText: z.preprocess((value) => xmlText(value), z.string().max(1_000_000)),
  // Spelled with ID in the OMA schema; some gateways write Id.
  conversationID: text(256).optional(),
  conversationId: text(256).optional(),
  contributionID: text(256).optional(),
  contributionId: text(256).optional(),
  inReplyToContributionID: text(256).optional(),
});

const deliveryInfoSchema = z.object({
  address: text(256).optional(),
  messageId: required(256),
  deliveryStatus: required(64),
  description: text(2000).optional(),
  text: text(2000).optional(),
});

const messageStatusSchema = z.object({
  address: text(256).optional(),
  messageId: required(256),
  status: required(64),
  description: text(2000).optional(),
});

/** The chatbot a callback came in for. */
export interface MaapReceiver {
  platformId: string;
  chatbotId: string;
}

export type MaapCallback = { kind: 'message'; event: InboundEvent } | { kind: 'spam'; report: SpamReport } | { kind: 'reports'; reports: DeliveryReport[] };

export function parseCallback(raw: RawNotification, receiver: MaapReceiver, now = new Date()): MaapCallback {
  switch (raw.kind) {
    case 'inbound':
      return parseInbound(raw.message, receiver, now);
    case 'delivery':
      return { kind: 'reports', reports: raw.infos.map((info, index) => deliveryReport(validate(deliveryInfoSchema, info, `deliveryInfo[${index}]`))) };
    case 'status':
      return { kind: 'reports', reports: raw.statuses.map((status) => statusReport(validate(messageStatusSchema, status, 'messageStatusNotification'))) };
  }
}

function parseInbound(record: Record<string, unknown>, receiver: MaapReceiver, now: Date): MaapCallback {
  const message = validate(inboundMessageSchema, record, 'inboundMessage');
  // A message for another chatbot is refused like a wrong path, whoever sent it with our credentials.
  if (message.destinationAddress !== undefined && !namesChatbot(message.destinationAddress, receiver.chatbotId)) {
    throw new NotFoundError(`destinationAddress names another chatbot: ${message.destinationAddress.slice(0, 100)}`);
  }
  const userId = normaliseUserAddress(message.senderAddress, 'inboundMessage.senderAddress');
  const body = decodeContent(message.bodyText, message.contentEncoding, 'inboundMessage.bodyText');
  if (mediaType(message.contentType) === MAAP_CONTENT_TYPES.spamReport) {
    const spam = parseSpamReport(body, 'inboundMessage.bodyText');
    return { kind: 'spam', report: { platformId: receiver.platformId, reportId: message.messageId, userId, ...spam, at: now } };
  }
  const event: InboundEvent = {
    messageId: message.messageId,
    channel: CHANNEL,
    platformId: receiver.platformId,
    chatbotId: receiver.chatbotId,
    userId,
    conversationId: message.conversationID ?? message.conversationId ?? '',
    contributionId: message.contributionID ?? message.contributionId ?? message.messageId,
    content: parseMaapContent(message.contentType, body, 'inboundMessage.bodyText'),
  };
  if (message.inReplyToContributionID) event.inReplyTo = message.inReplyToContributionID;
  const sentAt = parseDateTime(message.dateTime);
  if (sentAt) event.sentAt = sentAt;
  return { kind: 'message', event };
}

/**
 * Every status of the family mapped onto the outbox's states. DeliveredToNetwork, and the SMS
 * and VMS fallbacks, mean the message reached the phone through the network's fallback.
 */
const DELIVERY_STATUS: Record<string, DeliveryReport['status']> = {
  messagesent: 'sent',
  deliveredtoterminal: 'delivered',
  messagedisplayed: 'displayed',
  deliveredtonetwork: 'deliveredToNetwork',
  deliveredtosms: 'deliveredToNetwork',
  // Sic: some gateways spell it so.
  deliverdtosms: 'deliveredToNetwork',
  deliveredtovms: 'deliveredToNetwork',
  deliveryimpossible: 'failed',
  deliveredtosmsfailed: 'failed',
  deliveredtovmsfailed: 'failed',
  revoked: 'revoked',
  revokefailed: 'revokeFailed',
};

function reportFor(messageId: string, carrierStatus: string, address: string | undefined, description: string | undefined): DeliveryReport {
  const status = DELIVERY_STATUS[carrierStatus.toLowerCase()] ?? 'unrecognised';
  const report: DeliveryReport = { messageId, status, carrierStatus };
  if (address) {
    try {
      report.userId = normaliseUserAddress(address, 'address');
    } catch {
      // The user is informational here: the messageId names the message.
    }
  }
  // The description is opaque (UP2, SMS, 800, SVC…): kept as the reason of a failure.
  if (status === 'failed') report.errorMessage = description ? `${carrierStatus}: ${description}` : carrierStatus;
  return report;
}

function deliveryReport(info: z.infer<typeof deliveryInfoSchema>): DeliveryReport {
  return reportFor(info.messageId, info.deliveryStatus, info.address, info.description ?? info.text);
}

function statusReport(status: z.infer<typeof messageStatusSchema>): DeliveryReport {
  return reportFor(status.messageId, status.status, status.address, status.description);
}

function validate<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new InvalidRequestError(describeIssues(result.error, where));
  return result.data;
}

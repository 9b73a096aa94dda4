/**
 * The MaaP `outboundMessageRequest` for one outbound message, dialect-neutral: the body as text,
 * card JSON, or a multipart/mixed of the body and its chip list; SMS and plain-RCS fallback;
 * traffic type; reply threading. A pure function of the message and its id, so a retried send
 * is the same request. The codecs (xmlCodec.ts, jsonCodec.ts) put it on the wire.
 */
import type { OutboundMessage } from '../model.js';
import { conversationIdFor, derivedId } from '../common/ids.js';
import { buildMultipart, type MimePart } from './multipart.js';

export const MAAP_CONTENT_TYPES = {
  text: 'text/plain',
  botMessage: 'application/vnd.gsma.botmessage.v1.0+json',
  chipList: 'application/vnd.gsma.botsuggestion.v1.0+json',
  file: 'application/vnd.gsma.rcs-ft-http+xml',
  suggestionResponse: 'application/vnd.gsma.botsuggestion.response.v1.0+json',
  sharedClientData: 'application/vnd.gsma.botsharedclientdata.v1.0+json',
  spamReport: 'application/vnd.gsma.rcsspam-report+xml',
} as const;

export const SERVICE_CAPABILITY = { capabilityId: 'ChatbotSA', version: '+g.gsma.rcs.botversion="#=1"' } as const;
/** Not `Sent`: the 201 already says the platform took the message (one callback fewer per message). */
export const REPORT_REQUEST = ['Delivered', 'Displayed', 'Failed', 'SMS'] as const;

export interface MaapIMMessage {
  contentType: string;
  contentEncoding: 'utf8';
  bodyText: string;
  messageId: string;
  conversationID: string;
  contributionID: string;
  inReplyToContributionID?: string;
  serviceCapability: typeof SERVICE_CAPABILITY;
  reportRequest: readonly string[];
  storeSupported: boolean;
  fallbackSupported?: boolean;
  fallbackContentType?: string;
  rcsBodyText?: string;
  shortMessageSupported?: boolean;
  smsBodyText?: string;
  trafficType?: string;
  imFormat: 'IM';
}

export interface MaapRequest {
  address: string;
  destinationAddress: string[];
  senderAddress: string;
  senderName?: string;
  clientCorrelator: string;
  outboundIMMessage: MaapIMMessage;
  /** JSON dialect: "1" notification, "2" marketing. */
  productType: '1' | '2';
}

export interface MaapEnvelope {
  messageId: string;
  chatbotId: string;
  senderName?: string;
}

/** The body part (text or card) and, with chips, the chip list: one part alone, or a multipart. */
export function bodyOf(message: OutboundMessage): { contentType: string; bodyText: string } {
  const main: MimePart =
    message.body.type === 'text'
      ? { contentType: `${MAAP_CONTENT_TYPES.text};charset=UTF-8`, body: message.body.text }
      : { contentType: MAAP_CONTENT_TYPES.botMessage, disposition: 'inline; filename="Message"', body: JSON.stringify(message.body.card) };
  if (!message.suggestions || message.suggestions.length === 0) {
    return { contentType: message.body.type === 'text' ? MAAP_CONTENT_TYPES.text : MAAP_CONTENT_TYPES.botMessage, bodyText: main.body };
  }
  const chips: MimePart = {
    contentType: MAAP_CONTENT_TYPES.chipList,
    disposition: 'inline; filename="Chiplist.lst"',
    body: JSON.stringify({ suggestions: message.suggestions }),
  };
  const multipart = buildMultipart([main, chips]);
  return { contentType: multipart.contentType, bodyText: multipart.body };
}

export function toMaapRequest(message: OutboundMessage, envelope: MaapEnvelope): MaapRequest {
  const { contentType, bodyText } = bodyOf(message);
  const fallback = message.smsFallback ? message.smsFallback : undefined;
  // A card or chips need a chatbot-capable phone: an RCS phone without one shows the fallback text.
  const rich = contentType !== MAAP_CONTENT_TYPES.text;
  const im: MaapIMMessage = {
    contentType,
    contentEncoding: 'utf8',
    bodyText,
    messageId: envelope.messageId,
    conversationID: message.conversationId ?? conversationIdFor(envelope.chatbotId, message.userId),
    contributionID: derivedId('contribution', envelope.messageId),
    ...(message.inReplyTo ? { inReplyToContributionID: message.inReplyTo } : {}),
    serviceCapability: SERVICE_CAPABILITY,
    reportRequest: REPORT_REQUEST,
    storeSupported: true,
    ...(fallback && rich ? { fallbackSupported: true, fallbackContentType: MAAP_CONTENT_TYPES.text, rcsBodyText: fallback } : {}),
    ...(fallback ? { shortMessageSupported: true, smsBodyText: fallback } : { shortMessageSupported: false }),
    ...(message.trafficType ? { trafficType: message.trafficType } : {}),
    imFormat: 'IM',
  };
  return {
    address: message.userId,
    destinationAddress: [message.userId],
    senderAddress: envelope.chatbotId,
    ...(envelope.senderName ? { senderName: envelope.senderName } : {}),
    clientCorrelator: envelope.messageId,
    outboundIMMessage: im,
    productType: message.trafficType === 'advertisement' ? '2' : '1',
  };
}

/**
 * The CT/CU send request for one outbound message: the message body as its part, the chip list
 * as a second part, SMS fallback, traffic type and reply threading. The body is a pure function
 * of the message and its id, so a retried send is byte-for-byte the same request.
 */
import type { OutboundMessage, TrafficType } from '../model.js';
import { conversationIdFor, derivedId } from '../common/ids.js';

export { conversationIdFor } from '../common/ids.js';

export const CONTENT_TYPE = {
  text: 'text/plain',
  botMessage: 'application/vnd.gsma.botmessage.v1.0+json',
  chipList: 'application/vnd.gsma.botsuggestion.v1.0+json',
} as const;

export interface CtcuPart {
  contentType: string;
  contentEncoding?: 'utf8' | 'base64';
  contentText: string;
}

export interface CtcuSendRequest {
  messageId: string;
  messageList: CtcuPart[];
  destinationAddress: [string];
  senderAddress: string;
  conversationId: string;
  contributionId: string;
  inReplyTo?: string;
  serviceCapability: { capabilityId: string; version: string }[];
  trafficType?: TrafficType;
  smsSupported: boolean;
  smsContent?: string;
  storeSupported: boolean;
  imFormat: 'IM';
  reportRequest: ('sent' | 'failed' | 'delivered' | 'displayed' | 'deliveredToNetwork')[];
}

const SERVICE_CAPABILITY = [{ capabilityId: 'ChatbotSA', version: '+g.gsma.rcs.botversion="#=1"' }];
/** Not `sent`: the send answer already says the platform took the message (one callback fewer per message). */
const REPORTS: CtcuSendRequest['reportRequest'] = ['failed', 'delivered', 'displayed', 'deliveredToNetwork'];

function bodyPart(message: OutboundMessage): CtcuPart {
  const body = message.body;
  return body.type === 'text'
    ? { contentType: CONTENT_TYPE.text, contentText: body.text }
    : { contentType: CONTENT_TYPE.botMessage, contentText: JSON.stringify(body.card) };
}

export function toSendRequest(message: OutboundMessage, envelope: { messageId: string; chatbotId: string }): CtcuSendRequest {
  const messageList = [bodyPart(message)];
  if (message.suggestions && message.suggestions.length > 0) {
    messageList.push({ contentType: CONTENT_TYPE.chipList, contentText: JSON.stringify({ suggestions: message.suggestions }) });
  }
  const sms = message.smsFallback;
  return {
    messageId: envelope.messageId,
    messageList,
    destinationAddress: [message.userId],
    senderAddress: envelope.chatbotId,
    conversationId: message.conversationId ?? conversationIdFor(envelope.chatbotId, message.userId),
    contributionId: derivedId('contribution', envelope.messageId),
    ...(message.inReplyTo ? { inReplyTo: message.inReplyTo } : {}),
    serviceCapability: SERVICE_CAPABILITY,
    ...(message.trafficType ? { trafficType: message.trafficType } : {}),
    smsSupported: sms !== undefined && sms !== '',
    ...(sms ? { smsContent: sms } : {}),
    storeSupported: true,
    imFormat: 'IM',
    reportRequest: REPORTS,
  };
}

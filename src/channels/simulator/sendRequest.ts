/**
 * The platform's check of a send request envelope: one recipient, the chatbot as sender, known
 * part types within their limits, an SMS text whenever SMS fallback is offered. Returns the
 * decoded parts the phone will show; throws PlatformRejection with the spec's code otherwise.
 */
import { z } from 'zod';
import type { BotMessage, Suggestion } from '../gsma.js';
import { PlatformRejection, checkBotMessage, checkChipList, checkTextPart, parseShape } from './cardRules.js';
import type { ReceivedPart } from './types.js';

const CONTENT_TYPES = {
  text: 'text/plain',
  card: 'application/vnd.gsma.botmessage.v1.0+json',
  chips: 'application/vnd.gsma.botsuggestion.v1.0+json',
  files: 'application/vnd.gsma.rcs-ft-http',
} as const;

const MAX_FILES = 2;
const MAX_SMS_CHARACTERS = 500;

const part = z.object({
  contentType: z.string().min(1),
  contentEncoding: z.enum(['utf8', 'base64']).optional(),
  contentText: z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]),
});

const envelope = z.object({
  messageId: z.string().min(1).max(128),
  messageList: z.array(part).min(1).max(3),
  destinationAddress: z.array(z.string().regex(/^tel:\+\d{6,15}$/, 'must be tel:+<digits>')).length(1, 'exactly one recipient'),
  senderAddress: z.string().min(1),
  conversationId: z.string().optional(),
  contributionId: z.string().optional(),
  inReplyTo: z.string().optional(),
  serviceCapability: z.array(z.object({ capabilityId: z.string(), version: z.string() })).optional(),
  trafficType: z.enum(['advertisement', 'payment', 'premium', 'subscription', 'token']).optional(),
  smsSupported: z.boolean().optional(),
  smsContent: z.string().optional(),
  storeSupported: z.boolean().optional(),
  imFormat: z.string().optional(),
  reportRequest: z.array(z.enum(['sent', 'failed', 'delivered', 'displayed', 'deliveredToNetwork'])).optional(),
});

export interface AcceptedSend {
  messageId: string;
  user: string;
  parts: ReceivedPart[];
  smsContent?: string;
  trafficType?: string;
  inReplyTo?: string;
  conversationId?: string;
  contributionId?: string;
  raw: Record<string, unknown>;
}

function decodeText(value: z.infer<typeof part>, where: string): string {
  if (typeof value.contentText !== 'string') throw new PlatformRejection(20002, `${where}.contentText must be a string`);
  if (value.contentEncoding !== 'base64') return value.contentText;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value.contentText)) throw new PlatformRejection(20002, `${where}.contentText is not base64`);
  return Buffer.from(value.contentText, 'base64').toString('utf8');
}

/** A JSON part may arrive as a JSON string (the usual way) or as an embedded object. */
function decodeJson(value: z.infer<typeof part>, where: string): unknown {
  if (typeof value.contentText !== 'string') return value.contentText;
  try {
    return JSON.parse(decodeText(value, where));
  } catch (error) {
    if (error instanceof PlatformRejection) throw error;
    throw new PlatformRejection(47001, `${where}.contentText is not valid JSON`);
  }
}

function decodePart(value: z.infer<typeof part>, index: number): ReceivedPart {
  const where = `messageList[${index}]`;
  switch (value.contentType) {
    case CONTENT_TYPES.text: {
      const text = decodeText(value, where);
      checkTextPart(text, `${where}.contentText`);
      return { kind: 'text', text };
    }
    case CONTENT_TYPES.card: {
      const card = decodeJson(value, where);
      checkBotMessage(card, where);
      return { kind: 'card', card: card as BotMessage };
    }
    case CONTENT_TYPES.chips: {
      const chips = decodeJson(value, where);
      checkChipList(chips, where);
      return { kind: 'chips', suggestions: (chips as { suggestions: Suggestion[] }).suggestions };
    }
    case CONTENT_TYPES.files: {
      const files = decodeJson(value, where);
      if (!Array.isArray(files) || files.length === 0 || files.length > MAX_FILES) {
        throw new PlatformRejection(20002, `${where}: 1–${MAX_FILES} file descriptors`);
      }
      return { kind: 'files', files };
    }
    default:
      throw new PlatformRejection(40008, `${where}: unsupported contentType ${value.contentType}`);
  }
}

/** Validates a send request body for the given chatbot. */
export function acceptSendRequest(body: unknown, chatbotId: string): AcceptedSend {
  const request = parseShape(envelope, body, 'body');
  if (request.senderAddress !== chatbotId) {
    throw new PlatformRejection(20002, `senderAddress must be ${chatbotId}`);
  }
  if (request.smsSupported === true) {
    const length = [...(request.smsContent ?? '')].length;
    if (length === 0 || length > MAX_SMS_CHARACTERS) {
      throw new PlatformRejection(20002, `smsContent must be 1–${MAX_SMS_CHARACTERS} characters when smsSupported`);
    }
  }
  const parts = request.messageList.map(decodePart);
  const chipLists = parts.filter((item) => item.kind === 'chips').length;
  if (chipLists > 1 || chipLists === parts.length) {
    throw new PlatformRejection(20002, 'messageList: a chip list goes with exactly one message part');
  }
  return {
    messageId: request.messageId,
    user: request.destinationAddress[0] as string,
    parts,
    smsContent: request.smsSupported === true ? request.smsContent : undefined,
    trafficType: request.trafficType,
    inReplyTo: request.inReplyTo,
    conversationId: request.conversationId,
    contributionId: request.contributionId,
    raw: body as Record<string, unknown>,
  };
}

/**
 * The MaaP platform's check of a send request in either dialect: the envelope (recipients, the
 * chatbot as sender, fallbacks), then the body — text, card, or a multipart/mixed of a message
 * and its chip list whose Content-Lengths must be exact UTF-8 byte counts — against the card
 * spec and carrier limits. Throws MaapRejection with the exception a gateway would answer.
 */
import type { BotMessage, Suggestion } from '../../gsma.js';
import { decodeContent, mediaType } from '../../common/gsmaContent.js';
import { isRecord, type Dialect, type MaapException } from '../../maap/codec.js';
import { boundaryOf, MultipartError, parseMultipart } from '../../maap/multipart.js';
import { MAAP_CONTENT_TYPES } from '../../maap/outbound.js';
import { asArray, parseXml, xmlText } from '../../maap/xml.js';
import { PlatformRejection, checkBotMessage, checkChipList, checkTextPart } from '../cardRules.js';
import type { AcceptedSend } from '../sendRequest.js';
import type { ReceivedPart } from '../types.js';

export class MaapRejection extends Error {
  constructor(
    readonly httpStatus: number,
    readonly exception: MaapException,
  ) {
    super(`${exception.id}: ${exception.text ?? ''}`);
    this.name = 'MaapRejection';
  }
}

const MAX_RECIPIENTS = 100;
const MAX_SMS_CHARACTERS = 500;
const TEL = /^tel:\+\d{6,15}$/;

const badRequest = (text: string): MaapRejection => new MaapRejection(400, { kind: 'serviceException', id: 'SVC0002', text });

export function acceptMaapRequest(dialect: Dialect, text: string, chatbotId: string): AcceptedSend & { reportRequest: string[] } {
  const request = envelopeOf(dialect, text);
  const im = isRecord(request.outboundIMMessage) ? request.outboundIMMessage : undefined;
  if (!im) throw badRequest('outboundIMMessage missing');
  const recipients = recipientsOf(dialect, request.destinationAddress ?? request.address);
  if (recipients.length === 0) throw badRequest('destinationAddress missing');
  if (recipients.length > MAX_RECIPIENTS) throw new MaapRejection(403, { kind: 'policyException', id: 'POL0003', text: `at most ${MAX_RECIPIENTS} addresses` });
  const wrong = recipients.find((address) => !TEL.test(address));
  if (wrong) throw badRequest(`destinationAddress ${wrong.slice(0, 40)} is not tel:+<digits>`);
  if (xmlText(request.senderAddress) !== chatbotId) throw badRequest(`senderAddress must be ${chatbotId}`);
  const field = (name: string): string | undefined => xmlText(im[name]);
  const messageId = field('messageId') ?? xmlText(request.clientCorrelator);
  if (!messageId) throw badRequest('outboundIMMessage.messageId missing');
  const smsOffered = field('shortMessageSupported') === 'true';
  const sms = field('smsBodyText');
  if (smsOffered && (!sms || [...sms].length > MAX_SMS_CHARACTERS)) throw badRequest(`smsBodyText must be 1–${MAX_SMS_CHARACTERS} characters when shortMessageSupported`);
  const body = decodeBody(field('contentType'), field('bodyText'), field('contentEncoding'));
  return {
    messageId,
    user: recipients[0] as string,
    parts: body,
    smsContent: smsOffered ? sms : undefined,
    trafficType: field('trafficType'),
    inReplyTo: field('inReplyToContributionID'),
    conversationId: field('conversationID'),
    contributionId: field('contributionID'),
    raw: request,
    reportRequest: asArray(im.reportRequest as unknown).map((value) => xmlText(value) ?? ''),
  };
}

/** The outboundMessageRequest record, wrapped in its root element (XML) or flat or wrapped (JSON). */
function envelopeOf(dialect: Dialect, text: string): Record<string, unknown> {
  let document: Record<string, unknown>;
  try {
    document = dialect === 'xml' ? parseXml(text) : (JSON.parse(text) as Record<string, unknown>);
  } catch (error) {
    throw badRequest(`body is not valid ${dialect.toUpperCase()}: ${error instanceof Error ? error.message.slice(0, 100) : ''}`);
  }
  if (!isRecord(document)) throw badRequest('body is not an object');
  const root = document.outboundMessageRequest;
  if (isRecord(root)) return root;
  if (dialect === 'xml') throw badRequest('root element must be outboundMessageRequest');
  return document;
}

function recipientsOf(dialect: Dialect, value: unknown): string[] {
  if (dialect === 'json' && typeof value === 'string') return value.split(',').map((address) => address.trim()).filter(Boolean);
  return asArray(value).map((item) => xmlText(item) ?? '').filter(Boolean);
}

function decodeBody(contentType: string | undefined, bodyText: string | undefined, encoding: string | undefined): ReceivedPart[] {
  if (!contentType) throw badRequest('outboundIMMessage.contentType missing');
  if (bodyText === undefined) throw badRequest('outboundIMMessage.bodyText missing');
  let text: string;
  try {
    text = decodeContent(bodyText, encoding, 'bodyText');
  } catch (error) {
    throw badRequest(error instanceof Error ? error.message : 'bodyText cannot be decoded');
  }
  if (mediaType(contentType) !== 'multipart/mixed') return [decodePart(contentType, text, 'bodyText')];
  const boundary = boundaryOf(contentType);
  if (!boundary) throw badRequest('multipart/mixed without a boundary');
  let parts;
  try {
    parts = parseMultipart(text, boundary);
  } catch (error) {
    if (error instanceof MultipartError) throw badRequest(`multipart body: ${error.message}`);
    throw error;
  }
  const decoded = parts.map((part, index) => decodePart(part.contentType, part.body, `bodyText part ${index}`));
  const chipLists = decoded.filter((part) => part.kind === 'chips').length;
  if (chipLists > 1 || chipLists === decoded.length) throw badRequest('a chip list goes with exactly one message part');
  return decoded;
}

function decodePart(contentType: string, text: string, where: string): ReceivedPart {
  try {
    switch (mediaType(contentType)) {
      case MAAP_CONTENT_TYPES.text:
        checkTextPart(text, where);
        return { kind: 'text', text };
      case MAAP_CONTENT_TYPES.botMessage: {
        const card = parseJson(text, where);
        checkBotMessage(card, where);
        return { kind: 'card', card: card as BotMessage };
      }
      case MAAP_CONTENT_TYPES.chipList: {
        const chips = parseJson(text, where);
        checkChipList(chips, where);
        return { kind: 'chips', suggestions: (chips as { suggestions: Suggestion[] }).suggestions };
      }
      default:
        throw badRequest(`${where}: unsupported contentType ${contentType.slice(0, 80)}`);
    }
  } catch (error) {
    // The card rules' own codes are CT/CU's; a MaaP gateway answers SVC0002 with the reason.
    if (error instanceof PlatformRejection) throw badRequest(`${error.message} (rule ${error.errorCode})`);
    throw error;
  }
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest(`${where}: not valid JSON`);
  }
}

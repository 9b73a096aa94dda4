/**
 * The two MaaP dialects on the wire. XML (China Mobile CSP gateways: OMA namespaces, repeated
 * elements, bodyText in CDATA) and JSON (openchatbot/v2: flat objects, comma-separated
 * destinationAddress, arrays for serviceCapability). Both carry the same field names, so each
 * codec only moves the same records in and out of its syntax; notifications come out as plain
 * records for notifications.ts to validate.
 */
import { InvalidRequestError } from '../../http/errors.js';
import type { MaapRequest } from './outbound.js';
import { asArray, buildXml, parseXml, xmlText, type XmlElement } from './xml.js';

export type Dialect = 'xml' | 'json';

export const OMA_MESSAGING_NS = 'urn:oma:xml:rest:netapi:messaging:1';
const OMA_COMMON_NS = 'urn:oma:xml:rest:netapi:common:1';

/** What a callback body holds, before validation. */
export type RawNotification =
  | { kind: 'inbound'; message: Record<string, unknown> }
  | { kind: 'delivery'; infos: Record<string, unknown>[] }
  | { kind: 'status'; statuses: Record<string, unknown>[] };

/** A MaaP error answer: `serviceException` / `policyException` with its id (SVC0002, POL0009…). */
export interface MaapException {
  kind: 'serviceException' | 'policyException';
  id: string;
  text?: string;
}

export interface Encoded {
  contentType: string;
  body: string;
}

export function encodeRequest(dialect: Dialect, request: MaapRequest): Encoded {
  return dialect === 'xml' ? encodeXmlRequest(request) : encodeJsonRequest(request);
}

function encodeXmlRequest(request: MaapRequest): Encoded {
  const { bodyText, serviceCapability, reportRequest, ...im } = request.outboundIMMessage;
  const element: XmlElement = {
    '@_xmlns:msg': OMA_MESSAGING_NS,
    address: request.address,
    destinationAddress: request.destinationAddress,
    senderAddress: request.senderAddress,
    ...(request.senderName ? { senderName: request.senderName } : {}),
    outboundIMMessage: {
      ...stringValues({ contentType: im.contentType, contentEncoding: im.contentEncoding }),
      bodyText: { '#cdata': bodyText },
      ...stringValues({ ...im, contentType: undefined, contentEncoding: undefined }),
      serviceCapability: { capabilityId: serviceCapability.capabilityId, version: serviceCapability.version },
      reportRequest: [...reportRequest],
    },
    clientCorrelator: request.clientCorrelator,
  };
  return { contentType: 'application/xml; charset=UTF-8', body: buildXml({ 'msg:outboundMessageRequest': element }) };
}

function encodeJsonRequest(request: MaapRequest): Encoded {
  const body = {
    ...request,
    // At most 100 recipients, comma-separated in this dialect.
    destinationAddress: request.destinationAddress.join(','),
    outboundIMMessage: { ...request.outboundIMMessage, serviceCapability: [request.outboundIMMessage.serviceCapability] },
  };
  return { contentType: 'application/json; charset=UTF-8', body: JSON.stringify(body) };
}

export function encodeRevoke(dialect: Dialect, userId: string): Encoded {
  if (dialect === 'json') return { contentType: 'application/json; charset=UTF-8', body: JSON.stringify({ address: userId, status: 'RevokeRequested' }) };
  const element: XmlElement = { '@_xmlns:msg': OMA_MESSAGING_NS, address: userId, status: 'RevokeRequested' };
  return { contentType: 'application/xml; charset=UTF-8', body: buildXml({ 'msg:messageStatusReport': element }) };
}

/** Scalars as the strings XML carries ("true", "1"); absent ones dropped. */
function stringValues(record: Record<string, unknown>): XmlElement {
  const out: XmlElement = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined && value !== null && typeof value !== 'object') out[key] = String(value);
  }
  return out;
}

/** Reads a callback body of the dialect; throws InvalidRequestError for anything that is no MaaP notification. */
export function decodeNotification(dialect: Dialect, text: string): RawNotification {
  return dialect === 'xml' ? decodeXmlNotification(parseXml(text)) : decodeJsonNotification(parseJsonObject(text));
}

function decodeXmlNotification(document: XmlElement): RawNotification {
  const [rootName, root] = Object.entries(document).find(([name]) => !name.startsWith('?')) ?? [];
  const element = isRecord(root) ? root : {};
  switch (rootName) {
    case 'inboundMessageNotification':
      return { kind: 'inbound', message: recordOf(element.inboundMessage, 'inboundMessageNotification.inboundMessage') };
    case 'deliveryInfoNotification':
      return { kind: 'delivery', infos: asArray(element.deliveryInfo).map((info) => recordOf(info, 'deliveryInfo')) };
    case 'messageStatusNotification':
      return { kind: 'status', statuses: [element] };
    default:
      throw new InvalidRequestError(`body: unexpected root element "${String(rootName ?? '(none)').slice(0, 60)}"`);
  }
}

/** The JSON dialect is liberal in its wrapping: flat, or under the XML dialect's element names. */
function decodeJsonNotification(body: Record<string, unknown>): RawNotification {
  const unwrapped = isRecord(body.inboundMessageNotification) ? body.inboundMessageNotification : body;
  if (isRecord(unwrapped.inboundMessage)) return { kind: 'inbound', message: unwrapped.inboundMessage };
  const delivery = isRecord(body.deliveryInfoNotification) ? body.deliveryInfoNotification : body;
  if (delivery.deliveryInfo !== undefined) {
    return { kind: 'delivery', infos: asArray(delivery.deliveryInfo as unknown).map((info) => recordOf(info, 'deliveryInfo')) };
  }
  if (isRecord(body.messageStatusNotification)) return { kind: 'status', statuses: [body.messageStatusNotification] };
  return { kind: 'inbound', message: unwrapped };
}

function parseJsonObject(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InvalidRequestError(`body is not valid JSON: ${(error as Error).message.slice(0, 120)}`);
  }
  if (!isRecord(value)) throw new InvalidRequestError('body: not a JSON object');
  return value;
}

/** The exception in an error answer of either dialect, if it carries one. */
export function decodeException(text: string): MaapException | undefined {
  let body: Record<string, unknown> | undefined;
  try {
    body = text.trimStart().startsWith('<') ? parseXml(text) : parseJsonObject(text);
  } catch {
    return undefined;
  }
  const requestError = isRecord(body.requestError) ? body.requestError : body;
  for (const kind of ['serviceException', 'policyException'] as const) {
    const exception = requestError[kind];
    if (!isRecord(exception)) continue;
    const id = xmlText(exception.messageId);
    if (id) return { kind, id, text: xmlText(exception.text) };
  }
  return undefined;
}

/** An exception answer in the dialect (the simulator answers with these). */
export function encodeException(dialect: Dialect, exception: MaapException): Encoded {
  const inner = { messageId: exception.id, text: exception.text ?? '' };
  if (dialect === 'json') return { contentType: 'application/json; charset=UTF-8', body: JSON.stringify({ requestError: { [exception.kind]: inner } }) };
  const element: XmlElement = { '@_xmlns:common': OMA_COMMON_NS, [exception.kind]: inner };
  return { contentType: 'application/xml; charset=UTF-8', body: buildXml({ 'common:requestError': element }) };
}

function recordOf(value: unknown, where: string): Record<string, unknown> {
  if (!isRecord(value)) throw new InvalidRequestError(`${where}: missing or not an element`);
  return value;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

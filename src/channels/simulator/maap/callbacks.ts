/**
 * MaaP platform → chatbot calls as the gateway makes them, in the chatbot's dialect: inbound
 * messages, delivery notifications and message status notifications, each authenticated with
 * the chatbot's credentials (XML: Basic digest with Date; JSON: Username/Password).
 */
import { authHeaders, type MaapCredentials } from '../../maap/auth.js';
import { OMA_MESSAGING_NS, type Dialect } from '../../maap/codec.js';
import { buildXml, type XmlElement } from '../../maap/xml.js';
import { CALLBACK_TIMEOUT_MS, type CallbackAnswer } from '../callbacks.js';
import { withoutUndefined } from '../../../util/withoutUndefined.js';

export interface MaapCallbackTarget extends MaapCredentials {
  dialect: Dialect;
  chatbotId: string;
  notifyUrl(): string | undefined;
}

export interface InboundFields {
  destinationAddress: string;
  senderAddress: string;
  dateTime: string;
  messageId: string;
  contentType: string;
  contentEncoding?: string;
  bodyText: string;
  conversationID: string;
  contributionID: string;
  inReplyToContributionID?: string;
}

export interface DeliveryFields {
  address: string;
  messageId: string;
  deliveryStatus: string;
  description?: string;
}

export type MaapCallbackKind = 'InboundMessageNotification' | 'DeliveryInfoNotification' | 'MessageStatusNotification';

export function callbackPath(kind: MaapCallbackKind, chatbotId: string): string {
  return `/${kind}/${encodeURIComponent(chatbotId)}`;
}


export function inboundBody(dialect: Dialect, fields: InboundFields): string {
  if (dialect === 'json') return JSON.stringify(withoutUndefined(fields));
  const { bodyText, ...rest } = fields;
  const message: XmlElement = { ...withoutUndefined(rest), bodyText: { '#cdata': bodyText } };
  return buildXml({
    'msg:inboundMessageNotification': { '@_xmlns:msg': OMA_MESSAGING_NS, inboundMessage: message, link: { '@_rel': 'InboundMessage', '@_href': `urn:message:${fields.messageId}` } },
  });
}

export function deliveryBody(dialect: Dialect, fields: DeliveryFields): string {
  const link = { rel: 'OutboundMessageRequest', href: `urn:message:${fields.messageId}` };
  if (dialect === 'json') return JSON.stringify({ deliveryInfo: withoutUndefined(fields), link: [link] });
  return buildXml({
    'msg:deliveryInfoNotification': { '@_xmlns:msg': OMA_MESSAGING_NS, deliveryInfo: withoutUndefined<object>(fields) as XmlElement, link: { '@_rel': link.rel, '@_href': link.href } },
  });
}

export function statusBody(dialect: Dialect, fields: { address: string; messageId: string; status: string }): string {
  if (dialect === 'json') return JSON.stringify({ messageStatusNotification: fields });
  return buildXml({ 'msg:messageStatusNotification': { '@_xmlns:msg': OMA_MESSAGING_NS, ...fields } });
}

/** POSTs a body to a path under the notify URL, authenticated unless `headers` override it; status 0 when the bot cannot be reached. */
export async function postMaap(target: MaapCallbackTarget, path: string, body: string, headers: Record<string, string> = {}): Promise<CallbackAnswer> {
  const base = target.notifyUrl();
  if (base === undefined) return { status: 0, body: 'no notify URL set' };
  const contentType = target.dialect === 'xml' ? 'application/xml; charset=UTF-8' : 'application/json; charset=UTF-8';
  try {
    const response = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: { ...authHeaders(target.dialect, target), 'content-type': contentType, ...headers },
      body,
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: error instanceof Error ? error.message : String(error) };
  }
}

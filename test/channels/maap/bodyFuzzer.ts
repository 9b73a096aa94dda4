/**
 * Malformed (and now and then valid) MaaP callback bodies from a seed, for either dialect:
 * mutations of a valid inbound message or delivery notification — fields dropped, retyped,
 * cut off, bytes flipped, declarations and deep nesting put in — plus random junk.
 */
import { deliveryBody, inboundBody } from '../../../src/channels/simulator/maap/callbacks.js';
import type { Dialect } from '../../../src/channels/maap/codec.js';
import { textFields } from './webhookHarness.js';

const CONTENT_TYPES = [
  'text/plain',
  'application/vnd.gsma.rcs-ft-http+xml',
  'application/vnd.gsma.botsuggestion.response.v1.0+json',
  'application/vnd.gsma.botsharedclientdata.v1.0+json',
  'application/vnd.gsma.rcsspam-report+xml',
  'multipart/mixed; boundary="next"',
  'application/unknown',
];

const ODD_TEXTS = [
  '', ' ', 'geo:', 'geo:999,999', 'tel:+', '\u0000', '😀'.repeat(50), '<file><file-info type="file"><data url=""/></file-info></file>',
  '<file><file-info type="video"/></file>', '{"response":{}}', '{"sharedData":{"deviceSpecifics":{"batteryRemainingMinutes":"x"}}}',
  '<spam-report><Message-ID>a</Message-ID></spam-report>', '<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', 'AAAA====', ']]>', '&amp;&lt;&#0;&#xD800;',
];

const FIELDS = ['destinationAddress', 'senderAddress', 'dateTime', 'messageId', 'contentType', 'contentEncoding', 'bodyText', 'conversationID', 'contributionID'] as const;

export function fuzzMaapBody(random: () => number, dialect: Dialect): string | Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const fields: Record<string, string> = { ...textFields('fuzz'), contentType: pick(CONTENT_TYPES), bodyText: pick(ODD_TEXTS) };
  if (random() < 0.3) fields.contentEncoding = pick(['base64', 'utf8', 'gzip']);
  for (let index = 0; index < 1 + Math.floor(random() * 3); index++) {
    const key = pick(FIELDS);
    if (random() < 0.5) delete fields[key];
    else fields[key] = pick(ODD_TEXTS);
  }
  const valid =
    random() < 0.2
      ? deliveryBody(dialect, { address: pick(['tel:+8613900000000', 'sip:x', '']), messageId: pick(['m', '']), deliveryStatus: pick(['DeliveredToTerminal', 'Teleported', '']) })
      : inboundBody(dialect, fields as unknown as Parameters<typeof inboundBody>[1]);
  const style = random();
  if (style < 0.4) return valid;
  if (style < 0.55) return valid.slice(0, Math.floor(random() * valid.length));
  if (style < 0.7) {
    const bytes = Buffer.from(valid, 'utf8');
    for (let flips = 0; flips < 4; flips++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return bytes;
  }
  if (style < 0.8) {
    const depth = 1 + Math.floor(random() * 20_000);
    return dialect === 'xml' ? `${'<a>'.repeat(depth)}${'</a>'.repeat(depth)}` : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  }
  if (style < 0.9) return valid.replace('?>', `?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>`).replace('fuzz', '&e;');
  return Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
}

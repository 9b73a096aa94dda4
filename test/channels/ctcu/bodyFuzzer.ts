/**
 * Generates malformed (and occasionally valid) callback bodies from a seed: mutations of a valid
 * message — fields dropped, retyped, nested, truncated, bytes flipped — plus random junk.
 * Shared by the CI fuzz test and the bigger run in the webhook benchmark.
 */
import { textMessage } from './signedRequest.js';

const CONTENT_TYPES = [
  'text/plain',
  'application/vnd.gsma.rcs-ft-http',
  'application/vnd.gsma.botsuggestion.response.v1.0+json',
  'application/vnd.gsma.botsharedclientdata.v1.0+json',
  'application/unknown',
];

const ODD_VALUES: unknown[] = [
  null, true, 0, -1, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER, '', ' ', 'geo:', 'geo:999,999', 'tel:+', '\u0000', '\ud800',
  '😀'.repeat(100), [], {}, [[[[[]]]]], { __proto__: { polluted: true } }, { constructor: { prototype: {} } },
  'x'.repeat(5000), '%E4%B8%AD', 'AAAA====', '{"response":{}}', '[{"type":"file"}]',
];

export function fuzzBody(random: () => number): string | Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const message: Record<string, unknown> = textMessage('fuzz');
  const part: Record<string, unknown> = { contentType: pick(CONTENT_TYPES), contentText: pick(ODD_VALUES) };
  if (random() < 0.3) part.contentEncoding = pick(['base64', 'utf8', 'gzip', 7]);
  message.messageList = random() < 0.8 ? [part] : pick(ODD_VALUES);
  const keys = Object.keys(message);
  const mutations = 1 + Math.floor(random() * 3);
  for (let index = 0; index < mutations; index += 1) {
    const key = pick(keys);
    if (random() < 0.5) delete message[key];
    else message[key] = pick(ODD_VALUES);
  }
  const text = JSON.stringify(message);
  const style = random();
  if (style < 0.45) return text;
  if (style < 0.65) return text.slice(0, Math.floor(random() * text.length));
  if (style < 0.8) {
    const bytes = Buffer.from(text, 'utf8');
    for (let flips = 0; flips < 4; flips += 1) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    return bytes;
  }
  if (style < 0.9) return '['.repeat(1 + Math.floor(random() * 5000));
  return Buffer.from(Array.from({ length: Math.floor(random() * 300) }, () => Math.floor(random() * 256)));
}

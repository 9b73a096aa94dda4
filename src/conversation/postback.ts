/**
 * Postback data: what a button sends back when tapped. The phone (or anyone) can send any string,
 * so the data is signed and checked here before it can change anything:
 *
 *   1;guide.step;residence-permit-apply,2;Xq3v9JmTbA0e
 *   │ │          │                        └ HMAC-SHA256 of the rest (POSTBACK_SECRET), 72 bits
 *   │ │          └ arguments, each URI-encoded, comma-separated
 *   │ └ action: <flow>.<name>
 *   └ format version
 *
 * Compact (a guide button is ~50 characters of the 2,048 allowed) and self-contained: the button
 * of an old card still works, and a flow checks its arguments against what exists now.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LIMITS } from '../render/limits.js';

const VERSION = '1';
const SEPARATOR = ';';
const MAC_LENGTH = 12;
const ACTION = /^[a-z][a-z_]*\.[a-z][a-z_]*$/;

export interface Postback {
  action: string;
  args: string[];
}

/** Why postback data was not accepted: it was not made by this bot, or by an older format. */
export type PostbackRefusal = 'malformed' | 'bad-signature' | 'old-version';

export type DecodedPostback = { ok: true; postback: Postback } | { ok: false; reason: PostbackRefusal };

/** Encoded postbacks kept for reuse: the same buttons (an item's guide, steps …) recur in every turn. */
const REMEMBERED = 5_000;

export class PostbackCodec {
  private readonly encoded = new Map<string, string>();

  constructor(private readonly secret: string) {}

  encode(action: string, ...args: Array<string | number>): string {
    const payload = [VERSION, action, args.map((arg) => encodeURIComponent(String(arg))).join(',')].join(SEPARATOR);
    const known = this.encoded.get(payload);
    if (known !== undefined) return known;
    if (!ACTION.test(action)) throw new Error(`postback action must look like flow.name: ${action}`);
    const data = `${payload}${SEPARATOR}${this.mac(payload)}`;
    if (data.length > LIMITS.postbackData) throw new Error(`postback data over ${LIMITS.postbackData} characters: ${action}`);
    if (this.encoded.size >= REMEMBERED) this.encoded.clear();
    this.encoded.set(payload, data);
    return data;
  }

  decode(data: string): DecodedPostback {
    if (data.length > LIMITS.postbackData) return { ok: false, reason: 'malformed' };
    const parts = data.split(SEPARATOR);
    if (parts.length !== 4) return { ok: false, reason: 'malformed' };
    const [version, action, args, mac] = parts as [string, string, string, string];
    const payload = [version, action, args].join(SEPARATOR);
    if (!this.verify(payload, mac)) return { ok: false, reason: 'bad-signature' };
    if (version !== VERSION) return { ok: false, reason: 'old-version' };
    if (!ACTION.test(action)) return { ok: false, reason: 'malformed' };
    try {
      return { ok: true, postback: { action, args: args === '' ? [] : args.split(',').map(decodeURIComponent) } };
    } catch {
      return { ok: false, reason: 'malformed' };
    }
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url').slice(0, MAC_LENGTH);
  }

  private verify(payload: string, mac: string): boolean {
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

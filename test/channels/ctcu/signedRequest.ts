/** Test helper: HTTP requests to the bot's webhook signed the way the platform signs them. */
import { request } from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { inboundRecordId } from '../../../src/channels/identity.js';

export const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
/** The platform id the test bots and webhooks give this chatbot. */
export const PLATFORM_ID = 'ctcu';

/** The id a message of this platform is stored under. */
export function recordId(messageId: string): string {
  return inboundRecordId({ platformId: PLATFORM_ID, messageId });
}
export const CALLBACK_TOKEN = 'test-callback-token';
export const APP_ID = 'test-app-id';

/**
 * The signature as the CT/CU spec defines it, written out here rather than taken from the bot:
 * sha256 hex of token, timestamp and nonce sorted lexicographically and joined with nothing
 * between them. Tests that sign with this catch any drift of the bot's own computation.
 */
export function platformSignature(token: string, timestamp: string, nonce: string): string {
  const sorted = [token, timestamp, nonce].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return createHash('sha256').update(sorted.join(''), 'utf8').digest('hex');
}

export interface Signature {
  signature: string;
  timestamp: string;
  nonce: string;
}

export function sign(options: { token?: string; at?: number; nonce?: string } = {}): Signature {
  const timestamp = String(Math.floor((options.at ?? Date.now()) / 1000));
  const nonce = options.nonce ?? randomUUID();
  return { signature: platformSignature(options.token ?? CALLBACK_TOKEN, timestamp, nonce), timestamp, nonce };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * A raw HTTP request (node:http, so a body can lie about its length or be cut off).
 * `body` may be a string/Buffer; `truncateTo` sends only that many bytes while announcing the full length.
 */
export function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; truncateTo?: number } = {},
): Promise<Answer> {
  const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(url, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers: {
        ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}),
        ...options.headers,
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    if (body && options.truncateTo !== undefined) {
      req.on('error', () => resolve({ status: 0, headers: {}, body: 'hung up' }));
      req.write(body.subarray(0, options.truncateTo));
      // Give the server time to read what came, then hang up mid-body.
      setTimeout(() => req.destroy(), 50);
    } else {
      req.on('error', reject);
      req.end(body);
    }
  });
}

/** A signed POST of a JSON value (or raw text) to a path under the webhook base URL. */
export function postSigned(baseUrl: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return send(`${baseUrl}${path}`, { headers: { ...signatureHeaders(sign()), ...headers }, body: text });
}

export function signatureHeaders(signature: Signature): Record<string, string> {
  return { signature: signature.signature, timestamp: signature.timestamp, nonce: signature.nonce };
}

export function messagesPath(chatbotId = CHATBOT_ID, encode = true): string {
  return `/messageNotification/${encode ? encodeURIComponent(chatbotId) : chatbotId}/messages`;
}

export function textMessage(text: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    messageId: randomUUID(),
    messageList: [{ contentType: 'text/plain', contentText: text }],
    dateTime: new Date().toISOString(),
    destinationAddress: CHATBOT_ID,
    senderAddress: 'tel:+8613912345678',
    conversationId: 'conversation-1',
    contributionId: randomUUID(),
    ...overrides,
  };
}

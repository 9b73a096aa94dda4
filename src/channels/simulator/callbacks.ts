/**
 * Signed platform → chatbot calls. Every call carries `signature`, `timestamp` and `nonce`
 * computed with the chatbot's callback token, exactly as the platform does.
 */
import { randomUUID } from 'node:crypto';
import { computeSignature } from '../ctcu/signature.js';

export interface CallbackAnswer {
  status: number;
  body: string;
}

export interface CallbackTarget {
  chatbotId: string;
  callbackToken: string;
  notifyUrl(): string | undefined;
}

export const CALLBACK_TIMEOUT_MS = 10_000;

export function signedHeaders(callbackToken: string, chatbotId: string, now = Date.now()): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const nonce = randomUUID();
  return {
    signature: computeSignature(callbackToken, timestamp, nonce),
    timestamp,
    nonce,
    chatbotId,
  };
}

export function notificationPath(kind: 'messages' | 'status', chatbotId: string): string {
  const id = encodeURIComponent(chatbotId);
  return kind === 'messages' ? `/messageNotification/${id}/messages` : `/deliveryNotification/${id}/status`;
}

/**
 * POSTs a body to a path under the bot's notify URL, signed unless `headers` override the
 * signature headers; status 0 when the bot cannot be reached.
 */
export async function postSigned(
  target: CallbackTarget,
  path: string,
  body: string | object,
  headers: Record<string, string> = {},
): Promise<CallbackAnswer> {
  const base = target.notifyUrl();
  if (base === undefined) return { status: 0, body: 'no notify URL set' };
  try {
    const response = await fetch(`${base.replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: {
        ...signedHeaders(target.callbackToken, target.chatbotId),
        'content-type': 'application/json;charset=UTF-8',
        accept: 'application/json',
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS),
    });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    return { status: 0, body: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Proof that a callback comes from the platform: `signature` = sha256 over the sorted callback
 * token, `timestamp` and `nonce`; the timestamp within the window; the nonce never seen before.
 */
import type { Middleware } from 'koa';
import { UnauthenticatedError } from '../../http/errors.js';
import { signatureMatches } from './signature.js';
import type { NonceStore } from './nonceStore.js';

export const TIMESTAMP_WINDOW_SECONDS = 5 * 60;

export interface CallbackAuthOptions {
  token: string;
  nonces: NonceStore;
  windowSeconds?: number;
  now?: () => number;
}

export function callbackAuth(options: CallbackAuthOptions): Middleware {
  const windowSeconds = options.windowSeconds ?? TIMESTAMP_WINDOW_SECONDS;
  const now = options.now ?? Date.now;
  return async (ctx, next) => {
    const signature = header(ctx.get('signature'), 'signature');
    const timestamp = header(ctx.get('timestamp'), 'timestamp');
    const nonce = header(ctx.get('nonce'), 'nonce');
    if (!/^\d{1,12}$/.test(timestamp)) throw new UnauthenticatedError('timestamp: not unix seconds');
    if (Math.abs(now() / 1000 - Number(timestamp)) > windowSeconds) {
      throw new UnauthenticatedError(`timestamp: more than ${windowSeconds} s from server time`);
    }
    if (!signatureMatches(options.token, timestamp, nonce, signature)) {
      throw new UnauthenticatedError('signature: does not match');
    }
    // Recorded only once the signature is valid, so forged requests cannot burn real nonces.
    if (!(await options.nonces.firstUse(nonce))) throw new UnauthenticatedError('nonce: already used');
    await next();
  };
}

function header(value: string, name: string): string {
  if (value === '') throw new UnauthenticatedError(`${name}: header missing`);
  if (value.length > 256) throw new UnauthenticatedError(`${name}: header too long`);
  return value;
}

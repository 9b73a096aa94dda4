/**
 * Proof that a callback comes from the platform: `signature` = sha256 over the sorted callback
 * token, `timestamp` and `nonce`; the timestamp within the window; the nonce never used before.
 *
 * The nonce is a single-use key for every kind of callback (the signature covers neither the
 * route nor the body). `callbackAuth` checks the signature and the timestamp and leaves the nonce
 * as the callback's key (`callbackKeyOf`); the route then uses it up through the inbox — only
 * after the signature is valid, so forgeries cannot burn real nonces. The messages route does it
 * in the same write that stores the message.
 */
import type { Context, Middleware } from 'koa';
import { UnauthenticatedError } from '../../http/errors.js';
import type { CallbackKey } from '../model.js';
import { signatureMatches } from './signature.js';

export const TIMESTAMP_WINDOW_SECONDS = 5 * 60;

export interface CallbackAuthOptions {
  /** The callback token of the chatbot the request is for. */
  token: (ctx: Context) => string;
  windowSeconds?: number;
  now?: () => number;
}

interface SignedState {
  callbackKey: CallbackKey;
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
    if (!signatureMatches(options.token(ctx), timestamp, nonce, signature)) {
      throw new UnauthenticatedError('signature: does not match');
    }
    // Kept until a replay would be refused for its timestamp anyway, with a whole window more
    // for the clocks of this server and the store's (which runs the expiry) to disagree.
    (ctx.state as SignedState).callbackKey = { key: nonce, keepUntil: new Date((Number(timestamp) + 2 * windowSeconds) * 1000) };
    await next();
  };
}

export function replayed(): UnauthenticatedError {
  return new UnauthenticatedError('nonce: already used');
}

/** The nonce of a callback that passed callbackAuth (a route without it is a programming error). */
export function callbackKeyOf(ctx: Context): CallbackKey {
  const key = (ctx.state as Partial<SignedState>).callbackKey;
  if (!key) throw new Error('callbackKeyOf: the route is not behind callbackAuth');
  return key;
}

function header(value: string, name: string): string {
  if (value === '') throw new UnauthenticatedError(`${name}: header missing`);
  if (value.length > 256) throw new UnauthenticatedError(`${name}: header too long`);
  return value;
}

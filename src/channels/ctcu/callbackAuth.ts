/**
 * Proof that a callback comes from the platform: `signature` = sha256 over the sorted callback
 * token, `timestamp` and `nonce`; the timestamp within the window; the nonce never seen before.
 */
import type { Context, Middleware } from 'koa';
import { UnauthenticatedError } from '../../http/errors.js';
import { signatureMatches } from './signature.js';
import type { NonceStore } from './nonceStore.js';

export const TIMESTAMP_WINDOW_SECONDS = 5 * 60;

export interface CallbackAuthOptions {
  token: string;
  nonces: NonceStore;
  windowSeconds?: number;
  now?: () => number;
  /**
   * Lets the handler run while the nonce is being recorded: it finds the pending check with
   * `pendingNonceCheck` and must keep nothing it stores for the request unless that check says
   * first use. The request is refused for a replayed nonce all the same, whatever the handler did.
   */
  concurrentNonceCheck?: boolean;
}

const NONCE_CHECK = Symbol('pending nonce check');

/** The nonce check still in flight for this request, when callbackAuth left it to the handler. */
export function pendingNonceCheck(ctx: Context): Promise<boolean> | undefined {
  return (ctx.state as Record<symbol, Promise<boolean> | undefined>)[NONCE_CHECK];
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
    const firstUse = options.nonces.firstUse(nonce);
    if (!options.concurrentNonceCheck) {
      if (!(await firstUse)) throw replayed();
      return next();
    }
    // Handled from here on: a store failure must not surface as an unhandled rejection while the body is read.
    firstUse.catch(() => undefined);
    (ctx.state as Record<symbol, Promise<boolean>>)[NONCE_CHECK] = firstUse;
    try {
      await next();
    } catch (error) {
      // A replay is answered as one even when its body is also bad.
      if ((await firstUse.catch(() => true)) === false) throw replayed();
      throw error;
    }
    if (!(await firstUse)) throw replayed();
  };
}

function replayed(): UnauthenticatedError {
  return new UnauthenticatedError('nonce: already used');
}

function header(value: string, name: string): string {
  if (value === '') throw new UnauthenticatedError(`${name}: header missing`);
  if (value.length > 256) throw new UnauthenticatedError(`${name}: header too long`);
  return value;
}

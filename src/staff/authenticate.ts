/**
 * Who is calling a staff endpoint: the bearer key of an account, or ADMIN_TOKEN (the bootstrap
 * admin key, compared in constant time). No key or a wrong one is a 401 with a reason; an address
 * that keeps failing waits longer for each attempt (FailureThrottle).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Context } from 'koa';
import { UnauthenticatedError } from '../http/errors.js';
import type { StaffAccounts } from './accounts.js';
import type { StaffIdentity } from './roles.js';
import type { FailureThrottle } from './throttle.js';

export const BOOTSTRAP_ADMIN: StaffIdentity = { id: 'bootstrap', name: 'ADMIN_TOKEN', role: 'admin' };

export interface KeyCheck {
  accounts: StaffAccounts;
  throttle: FailureThrottle;
  /** ADMIN_TOKEN, when set. */
  adminToken?: string;
}

function sameSecret(a: string, b: string): boolean {
  // Hashing first makes the comparison constant-time whatever the lengths.
  const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** The address a request came from (the socket's: a proxy's forwarded header is not trusted). */
export function addressOf(ctx: Context): string {
  return ctx.req.socket.remoteAddress ?? 'unknown';
}

/** The identity a key proves, with failed attempts throttled per address; undefined when it proves none. */
export async function checkKey(check: KeyCheck, key: string, address: string): Promise<StaffIdentity | undefined> {
  const delay = check.throttle.delayFor(address);
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
  const identity = check.adminToken !== undefined && sameSecret(key, check.adminToken) ? BOOTSTRAP_ADMIN : await check.accounts.verify(key);
  if (identity) check.throttle.succeeded(address);
  else check.throttle.failed(address);
  return identity;
}

export function bearerAuthentication(check: KeyCheck): (ctx: Context) => Promise<StaffIdentity> {
  return async (ctx) => {
    const header = ctx.get('authorization');
    const key = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!key) throw new UnauthenticatedError('a staff key is needed: Authorization: Bearer <key>');
    const identity = await checkKey(check, key, addressOf(ctx));
    if (!identity) throw new UnauthenticatedError('the staff key is not valid (wrong, unknown or revoked)');
    return identity;
  };
}

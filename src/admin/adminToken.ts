/**
 * The staff endpoints' guard until staff accounts and roles exist: `Authorization: Bearer
 * <ADMIN_TOKEN>`, compared in constant time. Missing, wrong, or no token configured → 401.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import { UnauthenticatedError } from '../http/errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function requireAdminToken(token: string | undefined): Middleware {
  const expected = token === undefined ? undefined : digest(token);
  return async (ctx, next) => {
    const given = /^Bearer\s+(\S+)$/i.exec(ctx.get('authorization'))?.[1];
    if (!expected || given === undefined || !timingSafeEqual(digest(given), expected)) {
      ctx.set('www-authenticate', 'Bearer realm="admin"');
      throw new UnauthenticatedError(expected ? 'a valid admin bearer token is required' : 'the admin API is disabled: ADMIN_TOKEN is not set');
    }
    await next();
  };
}

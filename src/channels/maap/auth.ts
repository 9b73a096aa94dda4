/**
 * MaaP credentials on the wire. Sending: the XML dialect's
 * `Authorization: Basic base64(appId ":" sha256hex(sha256hex(password) + Date))` with that same
 * `Date` header, the JSON dialect's `Authorization: Username="<appId>",Password="<password>"`.
 * Callbacks: the configured credentials, in either form (and a plain `Basic appId:password`),
 * and, when configured, the caller's address in the allow-list.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { BlockList } from 'node:net';
import type { Dialect } from './codec.js';

export interface MaapCredentials {
  appId: string;
  password: string;
}

/** How far a callback's Date may be from our clock (the digest form is replayable within it). */
export const DATE_WINDOW_MS = 5 * 60_000;

const sha256hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** The XML dialect's digest: sha256hex(sha256hex(password) + date). */
export function passwordDigest(password: string, date: string): string {
  return sha256hex(sha256hex(password) + date);
}

export function basicAuthorization(credentials: MaapCredentials, date: string): string {
  return `Basic ${Buffer.from(`${credentials.appId}:${passwordDigest(credentials.password, date)}`, 'utf8').toString('base64')}`;
}

export function usernamePasswordAuthorization(credentials: MaapCredentials): string {
  return `Username="${credentials.appId}",Password="${credentials.password}"`;
}

/** The headers that authenticate a request of the dialect, sent at `now`. */
export function authHeaders(dialect: Dialect, credentials: MaapCredentials, now = new Date()): Record<string, string> {
  const date = now.toUTCString();
  return {
    date,
    authorization: dialect === 'xml' ? basicAuthorization(credentials, date) : usernamePasswordAuthorization(credentials),
  };
}

/** `Username="a",Password="b"` (quotes optional, any case, any spacing). */
export function parseUsernamePassword(header: string): { username: string; password: string } | undefined {
  const fields = new Map<string, string>();
  for (const match of header.matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^,\s]*))/g)) {
    fields.set((match[1] ?? '').toLowerCase(), match[2] ?? match[3] ?? '');
  }
  const username = fields.get('username');
  const password = fields.get('password');
  return username === undefined || password === undefined ? undefined : { username, password };
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Why a callback's credentials are refused, or undefined when they are the configured ones.
 * `date` is the request's Date header (needed by the digest form).
 */
export function credentialsProblem(authorization: string, date: string, expected: MaapCredentials, now = Date.now()): string | undefined {
  if (authorization === '') return 'authorization: header missing';
  if (authorization.length > 1024) return 'authorization: header too long';
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization.trim());
  if (basic) {
    const decoded = Buffer.from(basic[1] ?? '', 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const user = decoded.slice(0, Math.max(0, colon));
    const secret = decoded.slice(colon + 1);
    if (colon < 0 || !same(user, expected.appId)) return 'authorization: wrong credentials';
    if (same(secret, expected.password)) return undefined;
    const sentAt = Date.parse(date);
    if (date === '' || Number.isNaN(sentAt)) return 'date: header missing or not a date (the digest covers it)';
    if (Math.abs(now - sentAt) > DATE_WINDOW_MS) return `date: more than ${DATE_WINDOW_MS / 60_000} minutes from server time`;
    return same(secret, passwordDigest(expected.password, date)) ? undefined : 'authorization: wrong credentials';
  }
  const pair = parseUsernamePassword(authorization);
  if (!pair) return 'authorization: neither Basic nor Username/Password';
  return same(pair.username, expected.appId) && same(pair.password, expected.password) ? undefined : 'authorization: wrong credentials';
}

/** IPv4-mapped IPv6 peers (::ffff:10.0.0.1) are checked as the IPv4 address they are. */
export function addressAllowed(allowed: BlockList[], peer: string | undefined): boolean {
  if (allowed.length === 0) return true;
  if (!peer) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(peer);
  const address = mapped?.[1] ?? peer;
  const family = address.includes(':') ? 'ipv6' : 'ipv4';
  return allowed.some((list) => list.check(address, family));
}

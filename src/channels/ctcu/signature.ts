/**
 * CT/CU callback signatures: sha256 hex of the callback token, timestamp and nonce, sorted
 * lexicographically and concatenated with no separator. The platform signs every callback this
 * way; the simulator uses the same function to sign what it sends.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export function computeSignature(token: string, timestamp: string, nonce: string): string {
  const joined = [token, timestamp, nonce].sort().join('');
  return createHash('sha256').update(joined, 'utf8').digest('hex');
}

/** Constant-time comparison of a received signature with the expected one. */
export function signatureMatches(token: string, timestamp: string, nonce: string, signature: string): boolean {
  const expected = Buffer.from(computeSignature(token, timestamp, nonce), 'utf8');
  const received = Buffer.from(signature.toLowerCase(), 'utf8');
  return expected.length === received.length && timingSafeEqual(expected, received);
}

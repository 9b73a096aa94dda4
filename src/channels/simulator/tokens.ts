/**
 * Access tokens as the platform issues them: one valid token per chatbot at a time (a new one
 * supersedes the old), each with a lifetime.
 */
import { randomBytes } from 'node:crypto';

export const TOKEN_INVALID = 40001;
export const TOKEN_SUPERSEDED = 40014;
export const TOKEN_EXPIRED = 42001;

export class TokenIssuer {
  private current: { token: string; expiresAt: number } | undefined;
  private readonly superseded = new Set<string>();

  constructor(private readonly ttlSeconds: number) {}

  issue(now = Date.now()): { token: string; expiresIn: number } {
    if (this.current) this.superseded.add(this.current.token);
    const token = randomBytes(24).toString('hex');
    this.current = { token, expiresAt: now + this.ttlSeconds * 1000 };
    return { token, expiresIn: this.ttlSeconds };
  }

  /** 0 when the `authorization: accessToken <token>` header carries the valid token, else the error code. */
  check(authorization: string | undefined, now = Date.now()): number {
    const match = /^accessToken\s+(\S+)$/.exec(authorization ?? '');
    const token = match?.[1];
    if (token === undefined) return TOKEN_INVALID;
    if (this.current && token === this.current.token) return now < this.current.expiresAt ? 0 : TOKEN_EXPIRED;
    return this.superseded.has(token) ? TOKEN_SUPERSEDED : TOKEN_INVALID;
  }

  /** Makes the current token expire now (failure injection). */
  expireCurrent(): void {
    if (this.current) this.current.expiresAt = 0;
  }
}

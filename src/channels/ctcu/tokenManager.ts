/**
 * The platform access token, shared by every bot process through the database. The platform
 * keeps one valid token per chatbot (a new one invalidates the old) and a small daily quota, so
 * one process at a time fetches, under a short lock in the token document, and the others read
 * what it stored. A token is renewed shortly before it expires, or when the platform refuses it.
 */
import type { Connection, Model } from 'mongoose';
import { Schema } from 'mongoose';
import type { Logger } from '../../log.js';
import type { IssuedToken } from './platformClient.js';

interface TokenDocument {
  _id: string;
  token?: string;
  expiresAt?: Date;
  lockedUntil: Date;
  fetchedAt?: Date;
}

const tokenSchema = new Schema<TokenDocument>(
  {
    _id: { type: String, required: true },
    token: String,
    expiresAt: Date,
    lockedUntil: { type: Date, required: true },
    fetchedAt: Date,
  },
  { versionKey: false, collection: 'platform_tokens' },
);

function tokenModel(connection: Connection): Model<TokenDocument> {
  return (connection.models.PlatformToken as Model<TokenDocument> | undefined) ?? connection.model<TokenDocument>('PlatformToken', tokenSchema);
}

export interface TokenManagerOptions {
  /** Renew this long before expiry. */
  refreshBeforeMs?: number;
  /** How long a fetching process holds the lock. */
  lockMs?: number;
  /** How long to wait for another process's fetch before giving up. */
  waitMs?: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class TokenManager {
  private readonly model: Model<TokenDocument>;
  private cached: { token: string; expiresAt: number; fetchedAt: number } | undefined;
  private renewing: Promise<string> | undefined;
  private documentExists = false;
  private readonly refreshBeforeMs: number;
  private readonly lockMs: number;
  private readonly waitMs: number;

  constructor(
    connection: Connection,
    private readonly key: string,
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly log: Logger,
    options: TokenManagerOptions = {},
  ) {
    this.model = tokenModel(connection);
    this.refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
    this.lockMs = options.lockMs ?? 15_000;
    this.waitMs = options.waitMs ?? 20_000;
  }

  /** A token that is valid for a while yet. */
  async current(): Promise<string> {
    if (this.cached && this.isFresh(this.cached.expiresAt, this.cached.fetchedAt)) return this.cached.token;
    return this.renew(undefined);
  }

  /** The platform refused `rejected`: use a newer stored token, or fetch one (once for all callers). */
  renewAfterRejection(rejected: string): Promise<string> {
    return this.renew(rejected);
  }

  private renew(rejected: string | undefined): Promise<string> {
    this.renewing ??= this.obtain(rejected).finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  /** Fresh until the renewal margin before expiry (at most half the token's lifetime). */
  private isFresh(expiresAt: number, fetchedAt: number): boolean {
    const margin = Math.min(this.refreshBeforeMs, (expiresAt - fetchedAt) / 2);
    return expiresAt - margin > Date.now();
  }

  private async obtain(rejected: string | undefined): Promise<string> {
    await this.ensureDocument();
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt++) {
      const stored = await this.model.findById(this.key).lean();
      const expiresAt = stored?.expiresAt?.getTime() ?? 0;
      const fetchedAt = stored?.fetchedAt?.getTime() ?? 0;
      if (stored?.token && stored.token !== rejected && this.isFresh(expiresAt, fetchedAt)) {
        this.cached = { token: stored.token, expiresAt, fetchedAt };
        return stored.token;
      }
      if (await this.lock()) return this.fetchUnderLock();
      if (Date.now() > deadline) throw new Error('timed out waiting for another process to fetch the access token');
      await sleep(Math.min(50 * 2 ** attempt, 500));
    }
  }

  /** Creates the token document once; an upsert, so concurrent creation by other processes is fine. */
  private async ensureDocument(): Promise<void> {
    if (this.documentExists) return;
    await this.model.updateOne({ _id: this.key }, { $setOnInsert: { lockedUntil: new Date(0) } }, { upsert: true });
    this.documentExists = true;
  }

  private async lock(): Promise<boolean> {
    const now = new Date();
    const locked = await this.model.findOneAndUpdate(
      { _id: this.key, lockedUntil: { $lte: now } },
      { $set: { lockedUntil: new Date(now.getTime() + this.lockMs) } },
      { returnDocument: 'after' },
    );
    return locked !== null;
  }

  private async fetchUnderLock(): Promise<string> {
    try {
      const issued = await this.fetchToken();
      const fetchedAt = Date.now();
      const expiresAt = fetchedAt + issued.expiresInSeconds * 1000;
      await this.model.updateOne(
        { _id: this.key },
        { $set: { token: issued.accessToken, expiresAt: new Date(expiresAt), fetchedAt: new Date(fetchedAt), lockedUntil: new Date(0) } },
      );
      this.cached = { token: issued.accessToken, expiresAt, fetchedAt };
      this.log.info({ expiresInSeconds: issued.expiresInSeconds }, 'fetched a new platform access token');
      return issued.accessToken;
    } catch (error) {
      await this.model.updateOne({ _id: this.key }, { $set: { lockedUntil: new Date(0) } });
      throw error;
    }
  }
}

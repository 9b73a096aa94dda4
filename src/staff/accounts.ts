/**
 * Staff accounts and their API keys. A key is `rcs_<id>_<secret>`: the id finds the account, the
 * secret proves it. Only a slow hash of the secret is stored (scrypt, run off the event loop), so
 * a copy of the database does not give anyone a key; the key itself is shown once, at creation.
 *
 * Checking a key with scrypt costs tens of milliseconds, so a key that checked out is remembered
 * for a minute, by a hash of it (the plain key is never kept). Revoking removes the account's
 * remembered keys here at once; other processes stop accepting it when their minute is up.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { StaffIdentity, StaffRole } from './roles.js';
import { STAFF_ROLES } from './roles.js';

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt cost: about 50 ms per check on a server core, 32 MB of memory. */
const SCRYPT = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const HASH_BYTES = 32;
const REMEMBER_MS = 60_000;
const KEY_PATTERN = /^rcs_([a-z0-9]{10})_([A-Za-z0-9_-]{43})$/;

export interface StaffAccount {
  _id: string;
  name: string;
  role: StaffRole;
  /** A clerk's hall (see roles.ts). */
  hall?: string;
  salt: string;
  hash: string;
  createdAt: Date;
  createdBy: string;
  revokedAt?: Date;
}

export type AccountSummary = Pick<StaffAccount, 'name' | 'role' | 'hall' | 'createdAt' | 'createdBy' | 'revokedAt'> & { id: string };

export class AccountExists extends Error {}

function summary(account: StaffAccount): AccountSummary {
  return {
    id: account._id,
    name: account.name,
    role: account.role,
    ...(account.hall ? { hall: account.hall } : {}),
    createdAt: account.createdAt,
    createdBy: account.createdBy,
    ...(account.revokedAt ? { revokedAt: account.revokedAt } : {}),
  };
}

async function hashSecret(secret: string, salt: Buffer): Promise<Buffer> {
  return scryptAsync(secret, salt, HASH_BYTES, SCRYPT);
}

export class StaffAccounts {
  readonly model: Model<StaffAccount>;
  private readonly remembered = new Map<string, { identity: StaffIdentity; until: number }>();

  constructor(connection: Connection) {
    const schema = new Schema<StaffAccount>(
      {
        _id: { type: String, required: true },
        name: { type: String, required: true, unique: true },
        role: { type: String, required: true, enum: STAFF_ROLES },
        hall: String,
        salt: { type: String, required: true },
        hash: { type: String, required: true },
        createdAt: { type: Date, required: true },
        createdBy: { type: String, required: true },
        revokedAt: Date,
      },
      { versionKey: false, collection: 'staffAccounts' },
    );
    this.model = connection.models.StaffAccount ?? connection.model<StaffAccount>('StaffAccount', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /**
   * Creates an account and returns its key (shown once: only its hash is kept). Whether `hall`
   * fits `role` is the caller's to check (roles.ts hallProblem), against the halls it knows.
   */
  async create(name: string, role: StaffRole, createdBy: string, hall?: string): Promise<{ account: AccountSummary; key: string }> {
    const id = randomBytes(8).toString('hex').slice(0, 10);
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16);
    const hash = await hashSecret(secret, salt);
    const account: StaffAccount = { _id: id, name, role, ...(hall ? { hall } : {}), salt: salt.toString('base64'), hash: hash.toString('base64'), createdAt: new Date(), createdBy };
    try {
      await this.model.create(account);
    } catch (error) {
      if (isDuplicateKey(error)) throw new AccountExists(`an account named "${name}" exists already`);
      throw error;
    }
    return { account: summary(account), key: `rcs_${id}_${secret}` };
  }

  /** The identity a key proves, or undefined for a malformed, unknown, wrong or revoked key. */
  async verify(key: string): Promise<StaffIdentity | undefined> {
    const match = KEY_PATTERN.exec(key);
    if (!match) return undefined;
    const fingerprint = createHash('sha256').update(key).digest('hex');
    const known = this.remembered.get(fingerprint);
    if (known && known.until > Date.now()) return known.identity;
    const [, id, secret] = match as unknown as [string, string, string];
    const account = await this.model.findOne({ _id: id, revokedAt: { $exists: false } }).lean<StaffAccount>().exec();
    if (!account) return undefined;
    const expected = Buffer.from(account.hash, 'base64');
    const actual = await hashSecret(secret, Buffer.from(account.salt, 'base64'));
    if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) return undefined;
    const identity: StaffIdentity = { id: account._id, name: account.name, role: account.role, ...(account.hall ? { hall: account.hall } : {}) };
    this.remembered.set(fingerprint, { identity, until: Date.now() + REMEMBER_MS });
    return identity;
  }

  /** Revokes the account's key; false when there is no such active account. */
  async revoke(name: string): Promise<AccountSummary | undefined> {
    const account = await this.model
      .findOneAndUpdate({ name, revokedAt: { $exists: false } }, { $set: { revokedAt: new Date() } }, { returnDocument: 'after' })
      .lean<StaffAccount>()
      .exec();
    if (!account) return undefined;
    for (const [fingerprint, entry] of this.remembered) if (entry.identity.id === account._id) this.remembered.delete(fingerprint);
    return summary(account);
  }

  async list(): Promise<AccountSummary[]> {
    const accounts = await this.model.find({}).sort({ createdAt: 1 }).lean<StaffAccount[]>().exec();
    return accounts.map(summary);
  }
}

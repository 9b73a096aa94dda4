/**
 * Logins to the staff console. A login gets a random session token in an HttpOnly, SameSite=Strict
 * cookie (Secure in production); the store keeps only the token's hash, the identity, and the
 * session's CSRF token that every form must send back. Sessions end after a working day, or at
 * logout, or when the account is revoked (checked at each request).
 */
import { createHash, randomBytes } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { StaffIdentity } from '../roles.js';
import { STAFF_ROLES } from '../roles.js';

export const SESSION_HOURS = 10;

interface ConsoleSession {
  _id: string;
  staff: StaffIdentity;
  csrf: string;
  expiresAt: Date;
}

export interface ActiveSession {
  staff: StaffIdentity;
  csrf: string;
}

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export class ConsoleSessions {
  readonly model: Model<ConsoleSession>;

  constructor(connection: Connection) {
    const schema = new Schema<ConsoleSession>(
      {
        _id: { type: String, required: true },
        staff: { _id: false, id: { type: String, required: true }, name: { type: String, required: true }, role: { type: String, enum: STAFF_ROLES, required: true }, hall: String },
        csrf: { type: String, required: true },
        expiresAt: { type: Date, required: true },
      },
      { versionKey: false, collection: 'staffSessions' },
    );
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    this.model = connection.models.ConsoleSession ?? connection.model<ConsoleSession>('ConsoleSession', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /** Starts a session; returns the token for the cookie. */
  async start(staff: StaffIdentity, now = new Date()): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.model.create({ _id: hashOf(token), staff, csrf: randomBytes(24).toString('base64url'), expiresAt: new Date(now.getTime() + SESSION_HOURS * 3_600_000) });
    return token;
  }

  async find(token: string, now = new Date()): Promise<ActiveSession | undefined> {
    const session = await this.model.findById(hashOf(token)).lean<ConsoleSession>().exec();
    if (!session || session.expiresAt <= now) return undefined;
    return { staff: session.staff, csrf: session.csrf };
  }

  async end(token: string): Promise<void> {
    await this.model.deleteOne({ _id: hashOf(token) }).exec();
  }

  /** Ends every session of an account (it was revoked). */
  async endAllOf(accountId: string): Promise<void> {
    await this.model.deleteMany({ 'staff.id': accountId }).exec();
  }
}

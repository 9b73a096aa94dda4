/**
 * Two interchangeable session stores with one behaviour (test/conversation/sessionStore.test.ts
 * runs the same spec on both): MongoDB through mongoose for the bot, memory for transcript tests.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { SessionState, SessionStore, StoredSession, TurnRecord } from './session.js';

export interface SessionDocument {
  _id: string;
  version: number;
  state: SessionState;
  lastTurn?: TurnRecord;
  updatedAt: Date;
  /** The TTL index removes the record then: SESSION_IDLE_MINUTES after the last turn. */
  expiresAt: Date;
}

export class MongoSessionStore implements SessionStore {
  readonly model: Model<SessionDocument>;

  constructor(connection: Connection) {
    const schema = new Schema<SessionDocument>(
      {
        _id: { type: String, required: true },
        version: { type: Number, required: true },
        state: { type: Schema.Types.Mixed, default: {} },
        lastTurn: Schema.Types.Mixed,
        updatedAt: { type: Date, required: true },
        expiresAt: { type: Date, required: true },
      },
      { versionKey: false, collection: 'sessions', minimize: false },
    );
    schema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
    this.model = connection.models.Session ?? connection.model<SessionDocument>('Session', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  async load(key: string): Promise<StoredSession> {
    const found = await this.model.findById(key, { version: 1, state: 1, lastTurn: 1 }).lean<SessionDocument>().exec();
    if (!found) return { version: 0, state: {} };
    return { version: found.version, state: found.state ?? {}, ...(found.lastTurn ? { lastTurn: found.lastTurn } : {}) };
  }

  async save(key: string, version: number, update: { state: SessionState; lastTurn: TurnRecord }, expiresAt: Date): Promise<boolean> {
    const fields = { state: update.state, lastTurn: update.lastTurn, updatedAt: new Date(), expiresAt };
    if (version === 0) {
      try {
        await this.model.insertMany([{ _id: key, version: 1, ...fields }], { lean: true });
        return true;
      } catch (error) {
        if (isDuplicateKey(error)) return false;
        throw error;
      }
    }
    const result = await this.model.updateOne({ _id: key, version }, { $set: { ...fields, version: version + 1 } }).exec();
    return result.matchedCount === 1;
  }
}

export class MemorySessionStore implements SessionStore {
  private readonly records = new Map<string, StoredSession & { expiresAt: Date }>();

  constructor(private readonly clock: () => Date = () => new Date()) {}

  async load(key: string): Promise<StoredSession> {
    const record = this.live(key);
    if (!record) return { version: 0, state: {} };
    return structuredClone({ version: record.version, state: record.state, ...(record.lastTurn ? { lastTurn: record.lastTurn } : {}) });
  }

  async save(key: string, version: number, update: { state: SessionState; lastTurn: TurnRecord }, expiresAt: Date): Promise<boolean> {
    // Checked and written without yielding, as one atomic step (like the conditional update in MongoDB).
    if ((this.live(key)?.version ?? 0) !== version) return false;
    this.records.set(key, structuredClone({ version: version + 1, state: update.state, lastTurn: update.lastTurn, expiresAt }));
    return true;
  }

  private live(key: string): (StoredSession & { expiresAt: Date }) | undefined {
    const record = this.records.get(key);
    return record && record.expiresAt > this.clock() ? record : undefined;
  }
}

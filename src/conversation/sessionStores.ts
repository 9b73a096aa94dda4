/**
 * Two interchangeable session stores with one behaviour (test/conversation/sessionStore.test.ts
 * runs the same spec on both): MongoDB through mongoose for the bot, memory for transcript tests.
 */
import type { Collection } from 'mongodb';
import { Schema, type Connection, type Model } from 'mongoose';
import { GroupWrite } from '../db/groupWrite.js';
import type { SessionState, SessionStore, StoredSession, TurnRecord } from './session.js';

/**
 * The last turn as stored: its replies as one JSON string. They are only ever read back whole (a
 * turn run again returns them), and a string is one BSON element to write, read and compare
 * instead of a few hundred nested fields — the store's work per session save falls by about
 * half (2.9 KB sessions, of which 2.6 KB are replies).
 */
interface StoredTurn {
  messageId: string;
  replies: string | TurnRecord['replies'];
}

export interface SessionDocument {
  _id: string;
  version: number;
  state: SessionState;
  lastTurn?: StoredTurn;
  updatedAt: Date;
  /** The TTL index removes the record then: SESSION_IDLE_MINUTES after the last turn. */
  expiresAt: Date;
}

export class MongoSessionStore implements SessionStore {
  readonly model: Model<SessionDocument>;
  /** Every turn saves its session: saves of concurrent turns share a round trip. */
  private readonly saves: GroupWrite<SessionDocument>;

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
    // The driver's collection under the model: a save is a plain update, nothing for mongoose to cast.
    this.saves = new GroupWrite(() => this.model.collection as unknown as Collection<SessionDocument>);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  async load(key: string): Promise<StoredSession> {
    const found = await this.model.findById(key, { version: 1, state: 1, lastTurn: 1 }).lean<SessionDocument>().exec();
    if (!found) return { version: 0, state: {} };
    return { version: found.version, state: found.state ?? {}, ...(found.lastTurn ? { lastTurn: turnOf(found.lastTurn) } : {}) };
  }

  /**
   * A conditional upsert on the version read: where the record holds that version it moves on;
   * where it holds another, the upsert's insert collides with the record's _id, and that
   * duplicate key is the "someone else wrote first" answer, per save even inside a shared batch.
   * Version 0 (no record read) inserts. A record that expired between the read and the save is
   * written again, as the turn that read it left it.
   */
  async save(key: string, version: number, update: { state: SessionState; lastTurn: TurnRecord }, expiresAt: Date): Promise<boolean> {
    const lastTurn: StoredTurn = { messageId: update.lastTurn.messageId, replies: JSON.stringify(update.lastTurn.replies) };
    const fields = { state: update.state, lastTurn, updatedAt: new Date(), expiresAt, version: version + 1 };
    const result = await this.saves.submit({ updateOne: { filter: { _id: key, version }, update: { $set: fields }, upsert: true } });
    return result.outcome === 'written';
  }
}

/** Records written before replies were stored as a string hold them as documents: both read. */
function turnOf(stored: StoredTurn): TurnRecord {
  const replies = typeof stored.replies === 'string' ? (JSON.parse(stored.replies) as TurnRecord['replies']) : stored.replies;
  return { messageId: stored.messageId, replies };
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

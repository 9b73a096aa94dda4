/**
 * Nonces seen in signed callbacks, kept in the database so that every bot process on one store
 * refuses a replay, whichever process saw the original. A TTL index forgets them once the
 * timestamp window has passed (a replay older than that is refused for its stale timestamp).
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { GroupInsert } from '../../db/groupInsert.js';

interface SeenNonce {
  _id: string;
  seenAt: Date;
}

export class NonceStore {
  private readonly model: Model<SeenNonce>;
  private readonly inserts: GroupInsert;

  constructor(connection: Connection, retentionSeconds: number) {
    const schema = new Schema<SeenNonce>(
      { _id: { type: String, required: true }, seenAt: { type: Date, required: true } },
      { versionKey: false, collection: 'callbackNonces' },
    );
    schema.index({ seenAt: 1 }, { expireAfterSeconds: retentionSeconds });
    this.model = connection.models.CallbackNonce ?? connection.model<SeenNonce>('CallbackNonce', schema);
    this.inserts = new GroupInsert(() => this.model.collection);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /** Records the nonce; false when it was already recorded (a replay). */
  async firstUse(nonce: string, now = new Date()): Promise<boolean> {
    return (await this.inserts.insert({ _id: nonce, seenAt: now })) === 'inserted';
  }
}

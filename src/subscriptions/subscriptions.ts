/**
 * Whether a citizen receives broadcasts (policy pushes, notices): 退订 / TD stops them, 订阅
 * resumes them. Kept per user on their platform; replies to the citizen's own messages are not
 * broadcasts and always go out. Campaigns ask `receivesBroadcasts` at send time.
 */
import { Schema, type Connection, type Model } from 'mongoose';

export interface Subscription {
  /** The user's key on their platform (channels/identity.ts). */
  _id: string;
  optedOut: boolean;
  changedAt: Date;
  /** Every change, for the record: when and which way. */
  history: Array<{ optedOut: boolean; at: Date }>;
}

export interface Subscriptions {
  optOut(userKey: string, now?: Date): Promise<void>;
  optIn(userKey: string, now?: Date): Promise<void>;
  receivesBroadcasts(userKey: string): Promise<boolean>;
}

export class MongoSubscriptions implements Subscriptions {
  readonly model: Model<Subscription>;

  constructor(connection: Connection) {
    const schema = new Schema<Subscription>(
      {
        _id: { type: String, required: true },
        optedOut: { type: Boolean, required: true },
        changedAt: { type: Date, required: true },
        history: [{ _id: false, optedOut: Boolean, at: Date }],
      },
      { versionKey: false, collection: 'subscriptions' },
    );
    schema.index({ optedOut: 1 });
    this.model = connection.models.Subscription ?? connection.model<Subscription>('Subscription', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  optOut(userKey: string, now = new Date()): Promise<void> {
    return this.set(userKey, true, now);
  }

  optIn(userKey: string, now = new Date()): Promise<void> {
    return this.set(userKey, false, now);
  }

  async receivesBroadcasts(userKey: string): Promise<boolean> {
    const found = await this.model.findById(userKey, { optedOut: 1 }).lean<Pick<Subscription, 'optedOut'>>().exec();
    return found?.optedOut !== true;
  }

  /** Users who opted out, among the given ones (for a campaign's send list). */
  async optedOutAmong(userKeys: readonly string[]): Promise<Set<string>> {
    const found = await this.model.find({ _id: { $in: userKeys }, optedOut: true }, { _id: 1 }).lean<Array<Pick<Subscription, '_id'>>>().exec();
    return new Set(found.map((entry) => entry._id));
  }

  private async set(userKey: string, optedOut: boolean, now: Date): Promise<void> {
    await this.model
      .updateOne({ _id: userKey }, { $set: { optedOut, changedAt: now }, $push: { history: { optedOut, at: now } } }, { upsert: true })
      .exec();
  }
}

export class MemorySubscriptions implements Subscriptions {
  readonly optedOut = new Set<string>();

  async optOut(userKey: string): Promise<void> {
    this.optedOut.add(userKey);
  }

  async optIn(userKey: string): Promise<void> {
    this.optedOut.delete(userKey);
  }

  async receivesBroadcasts(userKey: string): Promise<boolean> {
    return !this.optedOut.has(userKey);
  }
}

/**
 * "有新政策时通知我": a citizen for whom the finder found nothing leaves what is known of their
 * enterprise (a directory entry, or the finder's three answers); when a policy that suits it
 * is published later, they are told once (alerts.ts). Kept per user on their platform.
 */
import { Schema, type Connection, type Model } from 'mongoose';

/** What the finder knew: a directory enterprise, or its answers (absent: "其他" / "都不是"). */
export interface WatchedProfile {
  enterprise?: string;
  industry?: string;
  scale?: string;
  tag?: string;
}

export interface PolicyWatch {
  /** The user's key (channels/identity.ts). */
  _id: string;
  platformId: string;
  userId: string;
  profile: WatchedProfile;
  at: Date;
}

export interface PolicyWatches {
  watch(entry: Omit<PolicyWatch, '_id'> & { userKey: string }): Promise<void>;
}

export class MongoPolicyWatches implements PolicyWatches {
  readonly model: Model<PolicyWatch>;

  constructor(connection: Connection) {
    const schema = new Schema<PolicyWatch>(
      { _id: { type: String, required: true }, platformId: { type: String, required: true }, userId: { type: String, required: true }, profile: { type: Schema.Types.Mixed, required: true }, at: { type: Date, required: true } },
      { collection: 'policyWatches', versionKey: false, minimize: false },
    );
    this.model = (connection.models.PolicyWatch as Model<PolicyWatch> | undefined) ?? connection.model<PolicyWatch>('PolicyWatch', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  async watch({ userKey, ...entry }: Omit<PolicyWatch, '_id'> & { userKey: string }): Promise<void> {
    await this.model.updateOne({ _id: userKey }, { $set: entry }, { upsert: true }).exec();
  }
}

export class MemoryPolicyWatches implements PolicyWatches {
  readonly entries = new Map<string, Omit<PolicyWatch, '_id'>>();

  async watch({ userKey, ...entry }: Omit<PolicyWatch, '_id'> & { userKey: string }): Promise<void> {
    this.entries.set(userKey, entry);
  }
}

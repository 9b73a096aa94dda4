/**
 * The audit log: every state-changing staff action — who (account, name, role), what (action,
 * target, details), when and from where. Entries are only ever added; the API reads them with
 * filters and offers no way to change or remove one.
 */
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import type { StaffIdentity } from './roles.js';

export interface AuditEntry {
  _id?: Types.ObjectId;
  at: Date;
  actor: StaffIdentity;
  action: string;
  target: string;
  address: string;
  details?: Record<string, unknown>;
}

export interface AuditFilter {
  actor?: string;
  action?: string;
  target?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

export class AuditLog {
  readonly model: Model<AuditEntry>;

  constructor(connection: Connection) {
    const schema = new Schema<AuditEntry>(
      {
        at: { type: Date, required: true },
        actor: { _id: false, id: { type: String, required: true }, name: { type: String, required: true }, role: { type: String, required: true } },
        action: { type: String, required: true },
        target: { type: String, required: true },
        address: { type: String, required: true },
        details: Schema.Types.Mixed,
      },
      { versionKey: false, collection: 'auditLog' },
    );
    schema.index({ at: -1 });
    schema.index({ 'actor.name': 1, at: -1 });
    schema.index({ action: 1, at: -1 });
    this.model = connection.models.AuditEntry ?? connection.model<AuditEntry>('AuditEntry', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  async record(entry: Omit<AuditEntry, 'at' | '_id'>): Promise<void> {
    await this.model.create({ ...entry, at: new Date() });
  }

  /** Newest first. */
  async find(filter: AuditFilter): Promise<AuditEntry[]> {
    const query: Record<string, unknown> = {};
    if (filter.actor) query['actor.name'] = filter.actor;
    if (filter.action) query.action = filter.action;
    if (filter.target) query.target = filter.target;
    if (filter.from || filter.to) query.at = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lt: filter.to } : {}) };
    return this.model.find(query).sort({ at: -1 }).limit(filter.limit).lean<AuditEntry[]>().exec();
  }
}

/**
 * Rectification tasks (差评整改): a negative rating opens one; staff verify what happened
 * (open → verified), record what was done and reply to the citizen through the bot, and close it
 * (→ done). A task is due at the end of its N-th working day after it opened; one still not done
 * then is overdue. Every step is one conditional update, so two staff (in any process) acting on
 * the same task at once cannot both move it.
 */
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { StaffIdentity } from '../staff/roles.js';
import { dayOf, type LocalDay } from './days.js';
import { RATING_LEVELS, type RatingLevel } from './levels.js';
import { SERVICE_KINDS, type Invitation, type ServiceKind } from './records.js';
import { deadline, type WorkingDayCalendar } from './workingDays.js';

export const RECTIFICATION_STATES = ['open', 'verified', 'done'] as const;
export type RectificationState = (typeof RECTIFICATION_STATES)[number];

type Staff = Pick<StaffIdentity, 'id' | 'name'>;

export interface Rectification {
  /** The id of the invitation whose answer was negative: one task per negative answer. */
  _id: string;
  state: RectificationState;
  level: RatingLevel;
  comment?: string;
  services: string[];
  items: string[];
  halls: string[];
  kinds: ServiceKind[];
  userKey: string;
  userId: string;
  platformId: string;
  conversationId?: string;
  openedAt: Date;
  /** The last district day to finish it in, and the instant that day ends. */
  dueDay: LocalDay;
  dueAt: Date;
  verifiedAt?: Date;
  verifiedBy?: Staff;
  /** What verification found. */
  finding?: string;
  /** What was done about it (整改措施). */
  action?: string;
  /** The text sent to the citizen. */
  reply?: string;
  repliedAt?: Date;
  repliedBy?: Staff;
  /** Set once the reply is in the outbox. */
  replySentAt?: Date;
  closedAt?: Date;
  closedBy?: Staff;
  closingNote?: string;
}

export interface RectificationPolicy {
  workingDays: number;
  calendar: WorkingDayCalendar;
  timeZone: string;
}

export interface RectificationFilter {
  states?: readonly RectificationState[];
  /** Only tasks past their due date and not done. */
  overdueOnly?: boolean;
  limit?: number;
}

export function isOverdue(task: Pick<Rectification, 'state' | 'dueAt' | 'closedAt'>, now: Date): boolean {
  return task.state === 'done' ? task.closedAt !== undefined && task.closedAt > task.dueAt : now >= task.dueAt;
}

export class RectificationStore {
  readonly model: Model<Rectification>;

  constructor(
    connection: Connection,
    private readonly policy: RectificationPolicy,
  ) {
    const existing = connection.models.Rectification as Model<Rectification> | undefined;
    this.model = existing ?? connection.model<Rectification>('Rectification', rectificationSchema());
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /** Opens the task of a negative answer; opening it again changes nothing. */
  async open(invitation: Invitation, level: RatingLevel, halls: string[], now: Date): Promise<void> {
    const due = deadline(dayOf(now, this.policy.timeZone), this.policy.workingDays, this.policy.calendar, this.policy.timeZone);
    const task: Rectification = {
      _id: invitation._id,
      state: 'open',
      level,
      ...(invitation.comment ? { comment: invitation.comment } : {}),
      services: invitation.services,
      items: invitation.items,
      halls,
      kinds: invitation.kinds,
      userKey: invitation.userKey,
      userId: invitation.userId,
      platformId: invitation.platformId,
      ...(invitation.conversationId ? { conversationId: invitation.conversationId } : {}),
      openedAt: now,
      dueDay: due.day,
      dueAt: due.at,
    };
    try {
      await this.model.create(task);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }

  async addComment(id: string, comment: string): Promise<void> {
    await this.model.updateOne({ _id: id }, { $set: { comment } }).exec();
  }

  get(id: string): Promise<Rectification | null> {
    return this.model.findById(id).lean<Rectification>().exec();
  }

  /** Oldest due first. */
  list(filter: RectificationFilter, now: Date): Promise<Rectification[]> {
    const states = filter.overdueOnly ? (filter.states ?? RECTIFICATION_STATES).filter((state) => state !== 'done') : filter.states;
    const query: Record<string, unknown> = states ? { state: { $in: states } } : {};
    if (filter.overdueOnly) query.dueAt = { $lte: now };
    return this.model.find(query).sort({ dueAt: 1 }).limit(filter.limit ?? 200).lean<Rectification[]>().exec();
  }

  /** open → verified; null when the task is not open. */
  verify(id: string, staff: Staff, finding: string, now: Date): Promise<Rectification | null> {
    return this.model
      .findOneAndUpdate({ _id: id, state: 'open' }, { $set: { state: 'verified', verifiedAt: now, verifiedBy: { id: staff.id, name: staff.name }, finding } }, { returnDocument: 'after' })
      .lean<Rectification>()
      .exec();
  }

  /**
   * Records what was done and the reply, once, on a verified task; null when the task is not
   * verified or holds another reply already. The same reply again returns the task (a retried
   * request whose sending may not have finished).
   */
  async recordReply(id: string, staff: Staff, action: string, reply: string, now: Date): Promise<Rectification | null> {
    const recorded = await this.model
      .findOneAndUpdate({ _id: id, state: 'verified', reply: { $exists: false } }, { $set: { action, reply, repliedAt: now, repliedBy: { id: staff.id, name: staff.name } } }, { returnDocument: 'after' })
      .lean<Rectification>()
      .exec();
    if (recorded) return recorded;
    const task = await this.get(id);
    return task && task.state === 'verified' && task.reply === reply && task.action === action ? task : null;
  }

  async markReplySent(id: string, now: Date): Promise<void> {
    await this.model.updateOne({ _id: id, replySentAt: { $exists: false } }, { $set: { replySentAt: now } }).exec();
  }

  /** verified and replied → done; null otherwise. */
  close(id: string, staff: Staff, note: string | undefined, now: Date): Promise<Rectification | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, state: 'verified', replySentAt: { $exists: true } },
        { $set: { state: 'done', closedAt: now, closedBy: { id: staff.id, name: staff.name }, ...(note ? { closingNote: note } : {}) } },
        { returnDocument: 'after' },
      )
      .lean<Rectification>()
      .exec();
  }
}

function rectificationSchema(): Schema<Rectification> {
  const staff = { _id: false, id: String, name: String };
  const schema = new Schema<Rectification>(
    {
      _id: { type: String, required: true },
      state: { type: String, required: true, enum: RECTIFICATION_STATES },
      level: { type: Number, required: true, enum: RATING_LEVELS },
      comment: String,
      services: { type: [String], required: true },
      items: { type: [String], default: [] },
      halls: { type: [String], default: [] },
      kinds: { type: [String], enum: SERVICE_KINDS, default: [] },
      userKey: { type: String, required: true },
      userId: { type: String, required: true },
      platformId: { type: String, required: true },
      conversationId: String,
      openedAt: { type: Date, required: true },
      dueDay: { type: String, required: true },
      dueAt: { type: Date, required: true },
      verifiedAt: Date,
      verifiedBy: staff,
      finding: String,
      action: String,
      reply: String,
      repliedAt: Date,
      repliedBy: staff,
      replySentAt: Date,
      closedAt: Date,
      closedBy: staff,
      closingNote: String,
    },
    { versionKey: false, collection: 'rectifications' },
  );
  schema.index({ state: 1, dueAt: 1 });
  return schema;
}

/**
 * Conversations handed to human agents (转人工). A citizen's handoff waits in a queue until an
 * agent takes it, is active while the agent answers, and is closed by the agent (with a summary)
 * or by the citizen. Outside agents' hours the citizen may leave a message instead: a handoff of
 * kind `message`, which agents see first. While a handoff is open the bot stays silent to that
 * user, and what the citizen writes is kept on the handoff for the agent.
 *
 * At most one open handoff per user, across processes: `openFor` holds the user's key while the
 * handoff is open, under a unique sparse index. Taking one is a single conditional update, so two
 * agents (in any process) never get the same handoff.
 */
import { randomUUID } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import { isDuplicateKey } from '../db/duplicateKey.js';
import type { StaffIdentity } from '../staff/roles.js';

export const HANDOFF_STATES = ['waiting', 'active', 'closed'] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

export interface HandoffMessage {
  from: 'citizen' | 'agent';
  text: string;
  at: Date;
  agent?: string;
}

export interface Handoff {
  _id: string;
  userKey: string;
  platformId: string;
  userId: string;
  conversationId?: string;
  /** `live`: the citizen waits for an agent; `message`: left outside agents' hours. */
  kind: 'live' | 'message';
  state: HandoffState;
  /** The user's key while open (unique): one open handoff per user. */
  openFor?: string;
  /** The item the conversation was on, for the agent. */
  item?: string;
  createdAt: Date;
  takenAt?: Date;
  agent?: Pick<StaffIdentity, 'id' | 'name'>;
  closedAt?: Date;
  closedBy?: 'agent' | 'citizen';
  summary?: string;
  messages: HandoffMessage[];
}

export type NewHandoff = Pick<Handoff, 'userKey' | 'platformId' | 'userId' | 'conversationId' | 'kind' | 'item'> & { firstMessage?: string };

/** What the conversation needs of handoffs (the citizen's side); the agents' side uses HandoffStore. */
export interface Handoffs {
  open(request: NewHandoff, now?: Date): Promise<{ handoff: Handoff; created: boolean }>;
  findOpen(userKey: string): Promise<Handoff | null>;
  placeOf(handoff: Pick<Handoff, 'createdAt' | 'kind'>): Promise<number>;
  append(id: string, message: HandoffMessage): Promise<boolean>;
  close(id: string, by: 'agent' | 'citizen', summary: string | undefined, now?: Date): Promise<Handoff | null>;
}

export class HandoffStore implements Handoffs {
  readonly model: Model<Handoff>;

  constructor(connection: Connection) {
    const schema = new Schema<Handoff>(
      {
        _id: { type: String, required: true },
        userKey: { type: String, required: true },
        platformId: { type: String, required: true },
        userId: { type: String, required: true },
        conversationId: String,
        kind: { type: String, required: true, enum: ['live', 'message'] },
        state: { type: String, required: true, enum: HANDOFF_STATES },
        openFor: String,
        item: String,
        createdAt: { type: Date, required: true },
        takenAt: Date,
        agent: { _id: false, id: String, name: String },
        closedAt: Date,
        closedBy: { type: String, enum: ['agent', 'citizen'] },
        summary: String,
        messages: [{ _id: false, from: { type: String, enum: ['citizen', 'agent'] }, text: String, at: Date, agent: String }],
      },
      { versionKey: false, collection: 'handoffs' },
    );
    schema.index({ openFor: 1 }, { unique: true, sparse: true });
    schema.index({ state: 1, createdAt: 1 });
    this.model = connection.models.Handoff ?? connection.model<Handoff>('Handoff', schema);
  }

  async init(): Promise<void> {
    await this.model.init();
  }

  /** Opens a handoff for the user, or returns the one already open. */
  async open(request: NewHandoff, now = new Date()): Promise<{ handoff: Handoff; created: boolean }> {
    const { firstMessage, ...fields } = request;
    const handoff: Handoff = {
      _id: randomUUID(),
      ...fields,
      state: 'waiting',
      openFor: request.userKey,
      createdAt: now,
      messages: firstMessage ? [{ from: 'citizen', text: firstMessage, at: now }] : [],
    };
    try {
      await this.model.create(handoff);
      return { handoff, created: true };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const open = await this.findOpen(request.userKey);
      if (!open) throw error;
      return { handoff: open, created: false };
    }
  }

  findOpen(userKey: string): Promise<Handoff | null> {
    return this.model.findOne({ openFor: userKey }).lean<Handoff>().exec();
  }

  get(id: string): Promise<Handoff | null> {
    return this.model.findById(id).lean<Handoff>().exec();
  }

  /** Live handoffs waiting before this one, plus one: the citizen's place in the queue. */
  async placeOf(handoff: Pick<Handoff, 'createdAt' | 'kind'>): Promise<number> {
    const ahead = await this.model.countDocuments({ state: 'waiting', createdAt: { $lt: handoff.createdAt } }).exec();
    return ahead + 1;
  }

  /** The queue for agents: left messages first, then by waiting time; active ones after. */
  async list(states: readonly HandoffState[], limit = 200): Promise<Handoff[]> {
    const found = await this.model.find({ state: { $in: states } }).sort({ createdAt: 1 }).limit(limit).lean<Handoff[]>().exec();
    const rank = (handoff: Handoff): number => (handoff.state === 'waiting' ? (handoff.kind === 'message' ? 0 : 1) : 2);
    return found.sort((a, b) => rank(a) - rank(b) || a.createdAt.getTime() - b.createdAt.getTime());
  }

  /** The agent takes a waiting handoff; null when another agent took it first or it is gone. */
  take(id: string, agent: StaffIdentity, now = new Date()): Promise<Handoff | null> {
    return this.model
      .findOneAndUpdate({ _id: id, state: 'waiting' }, { $set: { state: 'active', takenAt: now, agent: { id: agent.id, name: agent.name } } }, { returnDocument: 'after' })
      .lean<Handoff>()
      .exec();
  }

  /** Keeps a message on the open handoff of the user (the citizen's, or an agent's reply). */
  async append(id: string, message: HandoffMessage): Promise<boolean> {
    const result = await this.model.updateOne({ _id: id, state: { $ne: 'closed' } }, { $push: { messages: message } }).exec();
    return result.matchedCount === 1;
  }

  /** Closes an open handoff; null when it was already closed. */
  close(id: string, by: 'agent' | 'citizen', summary: string | undefined, now = new Date()): Promise<Handoff | null> {
    return this.model
      .findOneAndUpdate(
        { _id: id, state: { $ne: 'closed' } },
        { $set: { state: 'closed', closedAt: now, closedBy: by, ...(summary ? { summary } : {}) }, $unset: { openFor: 1 } },
        { returnDocument: 'after' },
      )
      .lean<Handoff>()
      .exec();
  }
}

/**
 * The staff's side of rectification tasks: the queue, verifying what happened, recording what
 * was done and replying to the citizen through the bot (the outbox, under a key of its own, so a
 * retried request sends nothing twice), and closing. Each refusal is a typed reason the staff
 * API and the console turn into their statuses.
 */
import type { OutboundQueue } from '../channels/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Conversation } from '../conversation/turn.js';
import type { StaffIdentity } from '../staff/roles.js';
import type { Rectification, RectificationFilter, RectificationStore } from './rectifications.js';

export const RECTIFICATION_REPLY_TEMPLATE = 'rating-rectification-reply';

export type RectificationRefusal = 'missing' | 'not-open' | 'not-verified' | 'replied-otherwise' | 'not-replied' | 'done';

export class RectificationError extends Error {
  constructor(readonly reason: RectificationRefusal) {
    super(reason);
    this.name = 'RectificationError';
  }
}

export interface RectificationDeskPorts {
  store: RectificationStore;
  conversation: Pick<Conversation, 'compose'>;
  outbox: OutboundQueue;
  catalog: Catalog;
  clock?: () => Date;
}

export class RectificationDesk {
  private readonly clock: () => Date;

  constructor(private readonly ports: RectificationDeskPorts) {
    this.clock = ports.clock ?? (() => new Date());
  }

  now(): Date {
    return this.clock();
  }

  list(filter: RectificationFilter): Promise<Rectification[]> {
    return this.ports.store.list(filter, this.clock());
  }

  async get(id: string): Promise<Rectification> {
    const task = await this.ports.store.get(id);
    if (!task) throw new RectificationError('missing');
    return task;
  }

  async verify(id: string, staff: StaffIdentity, finding: string): Promise<Rectification> {
    const verified = await this.ports.store.verify(id, staff, finding, this.clock());
    if (verified) return verified;
    const current = await this.get(id);
    throw new RectificationError(current.state === 'done' ? 'done' : 'not-open');
  }

  /** Records what was done and sends the citizen the reply. */
  async reply(id: string, staff: StaffIdentity, content: { action: string; reply: string }): Promise<Rectification> {
    const now = this.clock();
    const task = await this.ports.store.recordReply(id, staff, content.action, content.reply, now);
    if (!task) {
      const current = await this.get(id);
      throw new RectificationError(current.state === 'verified' ? 'replied-otherwise' : current.state === 'done' ? 'done' : 'not-verified');
    }
    const recipient = { userId: task.userId, platformId: task.platformId, ...(task.conversationId ? { conversationId: task.conversationId } : {}) };
    const items = task.items.map((code) => this.ports.catalog.item(code)?.name ?? code);
    const messages = this.ports.conversation.compose(recipient, [{ template: RECTIFICATION_REPLY_TEMPLATE, data: { items, action: content.action, reply: content.reply } }]);
    for (const [index, message] of messages.entries()) await this.ports.outbox.enqueue(message, { dedupeKey: `rectification:${id}:reply:${index}` });
    await this.ports.store.markReplySent(id, now);
    return this.get(id);
  }

  async close(id: string, staff: StaffIdentity, note?: string): Promise<Rectification> {
    const closed = await this.ports.store.close(id, staff, note, this.clock());
    if (closed) return closed;
    const current = await this.get(id);
    throw new RectificationError(current.state === 'verified' ? 'not-replied' : current.state === 'done' ? 'done' : 'not-verified');
  }
}

/**
 * The agents' side of a handoff: the queue, taking one, the conversation so far, replying with
 * text or with an item's guide card, and closing it with a summary. Replies go through the outbox
 * like any reply, under dedupe keys, so a retried request sends nothing twice.
 */
import type { OutboundMessage, OutboundQueue } from '../channels/model.js';
import type { Catalog } from '../catalog/catalog.js';
import type { Reply } from '../conversation/context.js';
import { itemData } from '../conversation/flows/itemView.js';
import type { PostbackCodec } from '../conversation/postback.js';
import type { Conversation } from '../conversation/turn.js';
import type { InboundStore } from '../inbound/inboundMessage.js';
import type { OutboxDocument } from '../outbox/model.js';
import type { Outbox } from '../outbox/outbox.js';
import type { StaffIdentity } from '../staff/roles.js';
import type { Handoff, HandoffState, HandoffStore } from './handoffs.js';

/** One line of the conversation as the agent sees it. */
export interface TranscriptEntry {
  at: Date;
  from: 'citizen' | 'bot';
  /** What the citizen sent, in words. */
  text?: string;
  /** What the bot (or an agent through it) sent, as the phone draws it. */
  message?: Pick<OutboundMessage, 'body' | 'suggestions'>;
}

export type DeskRefusal = 'missing' | 'taken' | 'closed' | 'not-yours' | 'unknown-item';

export class DeskError extends Error {
  constructor(readonly reason: DeskRefusal) {
    super(reason);
    this.name = 'DeskError';
  }
}

/** How much of the conversation the agent sees: the citizen's last messages and the bot's. */
const TRANSCRIPT_MESSAGES = 100;

export interface DeskPorts {
  handoffs: HandoffStore;
  conversation: Pick<Conversation, 'compose'>;
  outbox: OutboundQueue & Pick<Outbox, 'model' | 'messageOf'>;
  inbound: InboundStore;
  postbacks: PostbackCodec;
  catalog: Catalog;
  /** After the citizen has been told an agent closed their handoff (the rating question). */
  afterClose?: (handoff: Handoff) => Promise<void>;
}

export class HandoffDesk {
  constructor(private readonly ports: DeskPorts) {}

  list(states: readonly HandoffState[]): Promise<Handoff[]> {
    return this.ports.handoffs.list(states);
  }

  async get(id: string): Promise<Handoff> {
    const handoff = await this.ports.handoffs.get(id);
    if (!handoff) throw new DeskError('missing');
    return handoff;
  }

  async take(id: string, agent: StaffIdentity): Promise<Handoff> {
    const taken = await this.ports.handoffs.take(id, agent);
    if (taken) return taken;
    const handoff = await this.get(id);
    throw new DeskError(handoff.state === 'closed' ? 'closed' : 'taken');
  }

  /** Sends the citizen the agent's text, or an item's guide card. */
  async reply(id: string, agent: StaffIdentity, content: { text: string } | { item: string }): Promise<Handoff> {
    const handoff = await this.ownedBy(id, agent);
    let reply: Reply;
    if ('text' in content) {
      reply = { template: 'handoff-agent-reply', data: { agent: agent.name, text: content.text, end: this.ports.postbacks.encode('handoff.end') } };
    } else {
      const item = this.ports.catalog.item(content.item);
      if (!item) throw new DeskError('unknown-item');
      const maker = { action: (name: string, ...args: Array<string | number>) => this.ports.postbacks.encode(name, ...args), services: { catalog: this.ports.catalog } };
      reply = { template: 'guide', data: itemData(maker, item) };
    }
    await this.send(handoff, reply, `reply-${handoff.messages.length}`);
    await this.ports.handoffs.append(id, { from: 'agent', agent: agent.name, text: 'text' in content ? content.text : `[guide:${content.item}]`, at: new Date() });
    return this.get(id);
  }

  async close(id: string, agent: StaffIdentity, summary: string): Promise<Handoff> {
    await this.ownedBy(id, agent);
    const closed = await this.ports.handoffs.close(id, 'agent', summary);
    if (!closed) throw new DeskError('closed');
    await this.send(closed, { template: 'handoff-closed', data: {} }, 'closed');
    await this.ports.afterClose?.(closed);
    return closed;
  }

  /** The citizen's last messages and the bot's (as long as they are kept), oldest first. */
  async transcript(handoff: Handoff): Promise<TranscriptEntry[]> {
    const [inbound, outbound] = await Promise.all([
      this.ports.inbound.model.find({ userKey: handoff.userKey, event: { $exists: true } }, { event: 1, receivedAt: 1 }).sort({ receivedAt: -1 }).limit(TRANSCRIPT_MESSAGES).lean().exec(),
      this.ports.outbox.model.find({ userKey: handoff.userKey }).sort({ seq: -1 }).limit(TRANSCRIPT_MESSAGES).lean<OutboxDocument[]>().exec(),
    ]);
    // A campaign's card is composed again as it was sent; one that can no longer be made is left out.
    const bot = await Promise.all(outbound.map((document) => this.ports.outbox.messageOf(document).then((message) => ({ document, message }), () => undefined)));
    const entries: TranscriptEntry[] = [
      ...inbound.map((record): TranscriptEntry => ({ at: record.receivedAt, from: 'citizen', text: describeInbound(record.event.content) })),
      ...bot
        .filter((sent) => sent !== undefined)
        .map(({ document, message }): TranscriptEntry => ({ at: new Date(Math.floor(document.seq / 1000)), from: 'bot', message: { body: message.body, ...(message.suggestions ? { suggestions: message.suggestions } : {}) } })),
    ];
    return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  private async ownedBy(id: string, agent: StaffIdentity): Promise<Handoff> {
    const handoff = await this.get(id);
    if (handoff.state === 'closed') throw new DeskError('closed');
    if (handoff.state !== 'active' || (handoff.agent?.id !== agent.id && agent.role !== 'admin')) throw new DeskError('not-yours');
    return handoff;
  }

  private async send(handoff: Handoff, reply: Reply, key: string): Promise<void> {
    const recipient = { userId: handoff.userId, platformId: handoff.platformId, ...(handoff.conversationId ? { conversationId: handoff.conversationId } : {}) };
    for (const [index, message] of this.ports.conversation.compose(recipient, [reply]).entries()) {
      await this.ports.outbox.enqueue(message, { dedupeKey: `handoff:${handoff._id}:${key}:${index}` });
    }
  }
}

function describeInbound(content: { type: string; [key: string]: unknown }): string {
  switch (content.type) {
    case 'text':
      return String(content.text);
    case 'postback':
      return `[${String(content.displayText)}]`;
    case 'location':
      return `[geo:${String(content.latitude)},${String(content.longitude)}]`;
    default:
      return `[${content.type}]`;
  }
}

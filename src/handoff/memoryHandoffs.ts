/** Handoffs in memory, for transcript tests: the citizen's side of HandoffStore, same behaviour. */
import { randomUUID } from 'node:crypto';
import type { Handoff, HandoffMessage, Handoffs, NewHandoff } from './handoffs.js';

export class MemoryHandoffs implements Handoffs {
  readonly all: Handoff[] = [];

  async open(request: NewHandoff, now = new Date()): Promise<{ handoff: Handoff; created: boolean }> {
    const open = await this.findOpen(request.userKey);
    if (open) return { handoff: open, created: false };
    const { firstMessage, ...fields } = request;
    const handoff: Handoff = { _id: randomUUID(), ...fields, state: 'waiting', openFor: request.userKey, createdAt: now, messages: firstMessage ? [{ from: 'citizen', text: firstMessage, at: now }] : [] };
    this.all.push(handoff);
    return { handoff, created: true };
  }

  async findOpen(userKey: string): Promise<Handoff | null> {
    return this.all.find((handoff) => handoff.openFor === userKey) ?? null;
  }

  async placeOf(handoff: Pick<Handoff, 'createdAt'>): Promise<number> {
    return this.all.filter((other) => other.state === 'waiting' && other.createdAt < handoff.createdAt).length + 1;
  }

  async append(id: string, message: HandoffMessage): Promise<boolean> {
    const handoff = this.all.find((each) => each._id === id && each.state !== 'closed');
    handoff?.messages.push(message);
    return handoff !== undefined;
  }

  async close(id: string, by: 'agent' | 'citizen', summary: string | undefined, now = new Date()): Promise<Handoff | null> {
    const handoff = this.all.find((each) => each._id === id && each.state !== 'closed');
    if (!handoff) return null;
    Object.assign(handoff, { state: 'closed', closedAt: now, closedBy: by, ...(summary ? { summary } : {}) });
    delete handoff.openFor;
    return handoff;
  }
}

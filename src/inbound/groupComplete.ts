/**
 * Group commit for marking inbound messages done: completions that arrive while a batch is being
 * written go together in the next updateMany, one round trip and one store commit for many turns.
 */
import type { Model } from 'mongoose';
import type { InboundRecord } from './inboundMessage.js';

interface Pending {
  messageId: string;
  owner: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

// Small enough that one batch never holds the store (or this event loop) for long.
const MAX_BATCH = 64;

export class GroupComplete {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    private readonly model: Model<InboundRecord>,
    /** How long a message done is kept. */
    private readonly retentionMs: number,
  ) {}

  /** Marks the message done, if `owner` still holds it. */
  complete(messageId: string, owner: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ messageId, owner, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) await this.write(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.writing = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    const byOwner = new Map<string, Pending[]>();
    for (const pending of batch) byOwner.set(pending.owner, [...(byOwner.get(pending.owner) ?? []), pending]);
    const now = new Date();
    await Promise.all(
      [...byOwner].map(async ([owner, items]) => {
        try {
          await this.model
            .updateMany({ _id: { $in: items.map((item) => item.messageId) }, owner }, { $set: { state: 'done', processedAt: now, expiresAt: new Date(now.getTime() + this.retentionMs) } })
            .exec();
          for (const item of items) item.resolve();
        } catch (error) {
          for (const item of items) item.reject(error);
        }
      }),
    );
  }
}

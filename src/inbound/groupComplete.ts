/**
 * Group commit for marking inbound messages done: completions that arrive while a batch is being
 * written go together in the next updateMany (one per owner), one round trip and one store
 * commit for many turns.
 */
import type { Model } from 'mongoose';
import { Batcher, ItemFailure } from '../util/batcher.js';
import type { InboundRecord } from './inboundMessage.js';

interface Completion {
  messageId: string;
  owner: string;
}

export class GroupComplete {
  private readonly batcher = new Batcher<Completion, void>((completions) => this.write(completions));

  constructor(
    private readonly model: Model<InboundRecord>,
    /** How long a message done is kept. */
    private readonly retentionMs: number,
  ) {}

  /** Marks the message done, if `owner` still holds it. */
  complete(messageId: string, owner: string): Promise<void> {
    return this.batcher.submit({ messageId, owner });
  }

  private async write(completions: Completion[]): Promise<Array<void | ItemFailure>> {
    const owners = [...new Set(completions.map((completion) => completion.owner))];
    const now = new Date();
    const failures = new Map<string, ItemFailure>();
    await Promise.all(
      owners.map(async (owner) => {
        const ids = completions.filter((completion) => completion.owner === owner).map((completion) => completion.messageId);
        try {
          await this.model.updateMany({ _id: { $in: ids }, owner }, { $set: { state: 'done', processedAt: now, expiresAt: new Date(now.getTime() + this.retentionMs) } }).exec();
        } catch (error) {
          failures.set(owner, new ItemFailure(error));
        }
      }),
    );
    return completions.map((completion) => failures.get(completion.owner));
  }
}

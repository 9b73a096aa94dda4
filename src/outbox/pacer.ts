/**
 * What a send waits for before it goes: a pace. In a bot, the shared rate (ratelimit/): each
 * platform's chatbot at its rate over every process, replies before campaign traffic. Without
 * it (tools, tests of the sender alone), a token bucket of this process.
 */
import type { SharedRate } from '../ratelimit/sharedRate.js';
import { TokenBucket } from '../util/tokenBucket.js';
import { laneOf } from './claims.js';
import type { OutboxDocument } from './model.js';

export type Paced = Pick<OutboxDocument, 'platformId' | 'lane' | 'campaignId' | 'campaignRate'>;

export interface SendPacer {
  pace(document: Paced): Promise<void>;
}

export class LocalPacer implements SendPacer {
  private readonly bucket: TokenBucket;

  constructor(ratePerSecond: number) {
    this.bucket = new TokenBucket(ratePerSecond);
  }

  pace(): Promise<void> {
    return this.bucket.take();
  }
}

export class SharedPacer implements SendPacer {
  constructor(
    private readonly shared: SharedRate,
    /** Messages per second of a platform's chatbot. */
    private readonly rateOf: (platformId: string) => number,
  ) {}

  /** A campaign's message waits for its campaign's rate first, then, as any message, for its chatbot's. */
  async pace(document: Paced): Promise<void> {
    if (document.campaignId !== undefined && document.campaignRate !== undefined) {
      await this.shared.take(`campaign:${document.campaignId}`, document.campaignRate, 'bulk', { keepForReplies: false });
    }
    await this.shared.take(`platform:${document.platformId}`, this.rateOf(document.platformId), laneOf(document));
  }
}

/**
 * Who is left out at send time, whatever the audience said: numbers that opted out (退订) or
 * reported the chatbot's messages as spam on any of the district's chatbots, and numbers at the
 * frequency cap. A dispatcher screens each batch just before handing it to the outbox; a preview
 * takes the same rules as they stand now.
 */
import type { Model } from 'mongoose';
import type { ComplaintDocument } from '../outbox/complaints.js';
import type { Subscription } from '../subscriptions/subscriptions.js';
import type { FrequencyCap } from './frequencyCap.js';
import type { SendExclusion } from './recipients.js';

interface OptOutRow {
  _id: string;
}

export interface ScreenSources {
  subscriptions: Model<Subscription>;
  complaints: Model<ComplaintDocument>;
  frequencyCap: FrequencyCap;
  /** Every configured platform: an opt-out on any of them counts. */
  platformIds: readonly string[];
}

/** The number of a user key (`platform|tel:+86…`). */
const numberOf = (key: string): string => key.slice(key.indexOf('|') + 1);

export class SendScreen {
  constructor(private readonly sources: ScreenSources) {}

  private keys(phones: readonly string[]): string[] {
    return this.sources.platformIds.flatMap((platformId) => phones.map((phone) => `${platformId}|${phone}`));
  }

  /**
   * The batch's verdicts: each number left out with its reason, the rest allowed (and their
   * place under the frequency cap reserved for this campaign).
   */
  async batch(campaignId: string, phones: string[], now: Date): Promise<{ allowed: Set<string>; excluded: Map<string, SendExclusion> }> {
    const keys = this.keys(phones);
    const [optedOut, complained] = await Promise.all([
      this.sources.subscriptions.find({ _id: { $in: keys }, optedOut: true }, { _id: 1 }).lean<OptOutRow[]>(),
      this.sources.complaints.find({ _id: { $in: keys }, blockedSince: { $exists: true } }, { _id: 1 }).lean<OptOutRow[]>(),
    ]);
    const excluded = new Map<string, SendExclusion>();
    for (const row of optedOut) excluded.set(numberOf(row._id), 'optedOut');
    for (const row of complained) if (!excluded.has(numberOf(row._id))) excluded.set(numberOf(row._id), 'complained');
    const allowed = await this.sources.frequencyCap.reserve(
      campaignId,
      phones.filter((phone) => !excluded.has(phone)),
      now,
    );
    for (const phone of phones) if (!excluded.has(phone) && !allowed.has(phone)) excluded.set(phone, 'frequencyCap');
    return { allowed, excluded };
  }

  /** The rules as they stand now, for a preview: a function giving a number's reason to be left out. */
  async snapshot(now: Date): Promise<(phone: string) => SendExclusion | undefined> {
    const [optedOut, complained, capped] = await Promise.all([
      this.sources.subscriptions.find({ optedOut: true }, { _id: 1 }).lean<OptOutRow[]>(),
      this.sources.complaints.find({ blockedSince: { $exists: true } }, { _id: 1 }).lean<OptOutRow[]>(),
      this.sources.frequencyCap.capped(now),
    ]);
    const out = new Set(optedOut.map((row) => numberOf(row._id)));
    const spam = new Set(complained.map((row) => numberOf(row._id)));
    return (phone) => (out.has(phone) ? 'optedOut' : spam.has(phone) ? 'complained' : capped.has(phone) ? 'frequencyCap' : undefined);
  }
}

/**
 * A campaign's message to one recipient: its card template rendered with the policy (its
 * application window as it stands that day), the enterprise the number serves, and the card's
 * buttons — whose postback data names the campaign, so taps are counted for it. The buttons and
 * the policy are the same for every recipient of a batch and are prepared once.
 */
import type { OutboundMessage } from '../channels/model.js';
import type { Recipient as RecipientOfTurn } from '../conversation/turn.js';
import type { Reply } from '../conversation/context.js';
import type { PostbackCodec } from '../conversation/postback.js';
import type { Policies } from '../policies/policies.js';
import type { Policy } from '../policies/schema.js';
import { policyView } from '../policies/view.js';
import type { CampaignDocument } from './model.js';

/** Renders replies for a citizen outside a turn (the conversation's compose). */
export type Compose = (recipient: RecipientOfTurn, replies: readonly Reply[]) => OutboundMessage[];

/** Campaign traffic as the carriers classify it: messages a recipient may unsubscribe from. */
const TRAFFIC_TYPE = 'subscription';

export interface MessageRecipient {
  phone: string;
  enterprise: { name: string };
  others: number;
}

export class CampaignMessages {
  constructor(
    private readonly compose: Compose,
    private readonly postbacks: PostbackCodec,
    private readonly policies: Policies,
  ) {}

  /** A renderer for the campaign's recipients on the day `now`; throws when its policy is gone. */
  forCampaign(campaign: Pick<CampaignDocument, '_id' | 'policyId' | 'template' | 'smsText' | 'platformId'>, now: Date): (recipient: MessageRecipient) => OutboundMessage {
    const policy = this.policies.get(campaign.policyId);
    if (!policy) throw new Error(`policy "${campaign.policyId}" is no longer in intents/policies`);
    const data = this.cardData(campaign._id, policy, now);
    return (recipient) => {
      const [message] = this.compose({ userId: recipient.phone, platformId: campaign.platformId }, [
        { template: campaign.template, data: { ...data, enterprise: { name: recipient.enterprise.name, others: recipient.others } } },
      ]);
      if (!message) throw new Error(`template ${campaign.template} rendered nothing`);
      return { ...message, trafficType: TRAFFIC_TYPE, ...(campaign.smsText ? { smsFallback: campaign.smsText } : {}) };
    };
  }

  private cardData(campaignId: string, policy: Policy, now: Date): Record<string, unknown> {
    const encode = (action: string, ...args: string[]): string => this.postbacks.encode(action, campaignId, ...args);
    return {
      policy: policyView(policy, this.policies.windowOf(policy, now)),
      actions: { detail: encode('campaign.detail', policy.id), apply: encode('campaign.apply'), call: encode('campaign.call'), unsubscribe: encode('campaign.unsubscribe') },
    };
  }
}

/** The outbox dedupe key of a recipient's message: the same recipient, the same message, however often it is handed over. */
export function campaignDedupeKey(campaignId: string, phone: string): string {
  return `campaign|${campaignId}|${phone}`;
}

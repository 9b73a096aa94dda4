/**
 * A campaign's messages are made when they are sent: its outbox documents keep only what differs
 * between recipients (the enterprise the number serves, and how many more), not the rendered
 * card, which is the same for all of them but that line and weighs about 2 KB. So 100,000
 * recipients are 100,000 small documents in the store, each cheaper to write, read and move on
 * at every change of status. The renderer of a campaign (its policy as it stands that day, its
 * buttons) is made once and kept for a minute, so that a change of content or a new day is seen.
 */
import type { OutboundMessage } from '../channels/model.js';
import type { ComposedMessage, OutboxDocument } from '../outbox/model.js';
import type { CampaignMessages, MessageRecipient } from './messages.js';
import type { CampaignDocument, CampaignModel } from './model.js';

/** The composer's name in the outbox. */
export const CAMPAIGN_COMPOSER = 'campaign';

const RENDERER_KEPT_MS = 60_000;

type Renderer = (recipient: MessageRecipient) => OutboundMessage;
type CampaignFields = Pick<CampaignDocument, '_id' | 'policyId' | 'template' | 'smsText' | 'platformId'>;

/** What a recipient's outbox document keeps of its message. */
export function composedFor(recipient: Pick<MessageRecipient, 'enterprise' | 'others'>): ComposedMessage {
  return { by: CAMPAIGN_COMPOSER, data: { name: recipient.enterprise.name, others: recipient.others } };
}

export class CampaignComposer {
  private readonly renderers = new Map<string, { until: number; renderer: Promise<Renderer> }>();

  constructor(
    private readonly campaigns: CampaignModel,
    private readonly messages: CampaignMessages,
    private readonly clock: () => Date,
  ) {}

  /** The message of an outbox document composed by `composedFor`. */
  async compose(document: Pick<OutboxDocument, 'campaignId' | 'userId'> & { composed: ComposedMessage }): Promise<OutboundMessage> {
    const campaignId = document.campaignId;
    if (campaignId === undefined) throw new Error('a campaign message without its campaign');
    const { name, others } = document.composed.data;
    const render = await this.renderer(campaignId);
    return render({ phone: document.userId, enterprise: { name: String(name) }, others: Number(others) });
  }

  private renderer(campaignId: string): Promise<Renderer> {
    const now = this.clock();
    const kept = this.renderers.get(campaignId);
    if (kept && kept.until > now.getTime()) return kept.renderer;
    const renderer = this.load(campaignId, now);
    this.renderers.set(campaignId, { until: now.getTime() + RENDERER_KEPT_MS, renderer });
    // A failure is not kept: the next message tries again.
    renderer.catch(() => this.renderers.delete(campaignId));
    return renderer;
  }

  private async load(campaignId: string, now: Date): Promise<Renderer> {
    const campaign = await this.campaigns.findById(campaignId, { policyId: 1, template: 1, smsText: 1, platformId: 1 }).lean<CampaignFields>().exec();
    if (!campaign) throw new Error(`campaign ${campaignId} is gone`);
    return this.messages.forCampaign(campaign, now);
  }
}

/**
 * What recipients did with a campaign's card, as the conversation reports it: a tap on one of
 * its buttons (详情, 申报, 咨询, 退订 — the two action buttons send their postback beside opening
 * the page or the dialer), and an opt-out, whether by the card's button or by writing 退订
 * after it arrived. The campaign statistics count these.
 */
export const CLICK_KINDS = ['detail', 'apply', 'call', 'unsubscribe'] as const;
export type ClickKind = (typeof CLICK_KINDS)[number];

export interface Click {
  campaignId: string;
  kind: ClickKind;
  platformId: string;
  userId: string;
  /** The inbound message of the tap: a turn run again for it counts nothing twice. */
  eventId: string;
  at: Date;
}

export interface CampaignEngagement {
  clicked(click: Click): Promise<void>;
  /**
   * The user opted out: counted for `campaignId` when the card's button said which, else for the
   * latest campaign message that reached this number in the attribution window (if any).
   */
  optedOut(userId: string, at: Date, campaignId?: string): Promise<void>;
}

export class MemoryEngagement implements CampaignEngagement {
  readonly clicks: Click[] = [];
  readonly optOuts: Array<{ userId: string; at: Date; campaignId?: string }> = [];

  async clicked(click: Click): Promise<void> {
    if (!this.clicks.some((known) => known.eventId === click.eventId)) this.clicks.push(click);
  }

  async optedOut(userId: string, at: Date, campaignId?: string): Promise<void> {
    this.optOuts.push({ userId, at, ...(campaignId ? { campaignId } : {}) });
  }
}

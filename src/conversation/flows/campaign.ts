/**
 * The buttons of a campaign's card (cards/templates/campaign-*.yaml): 详情 shows the policy's
 * detail card, 申报 and 咨询 open the page or the dialer on the phone (their postback only tells
 * us, so nothing is said back), 退订 stops broadcasts. Every tap is counted for the campaign.
 */
import { userKey } from '../../channels/identity.js';
import type { ClickKind } from '../../campaigns/engagement.js';
import type { Policy } from '../../policies/schema.js';
import type { TurnContext } from '../context.js';
import { action, type Flow } from '../flow.js';
import { showDetail } from './policy/index.js';

const CAMPAIGN_ID = /^[0-9a-f-]{36}$/;

function count(ctx: TurnContext, campaignId: string, kind: ClickKind): Promise<void> {
  const { event } = ctx;
  return ctx.services.engagement.clicked({ campaignId, kind, platformId: event.platformId, userId: event.userId, eventId: `${event.platformId}|${event.messageId}`, at: ctx.now });
}

const justCampaign = ([campaignId, ...rest]: readonly string[]): string | undefined => (campaignId !== undefined && CAMPAIGN_ID.test(campaignId) && rest.length === 0 ? campaignId : undefined);

export const campaignFlow: Flow = {
  name: 'campaign',
  actions: {
    detail: action<{ campaignId: string; policy: Policy }>({
      parse([campaignId, policyId, ...rest], services) {
        const policy = policyId === undefined ? undefined : services.policies.get(policyId);
        return campaignId !== undefined && CAMPAIGN_ID.test(campaignId) && policy && rest.length === 0 ? { campaignId, policy } : undefined;
      },
      async run(ctx, { campaignId, policy }) {
        await count(ctx, campaignId, 'detail');
        showDetail(ctx, policy);
      },
    }),
    apply: action<string>({ parse: justCampaign, run: (ctx, campaignId) => count(ctx, campaignId, 'apply') }),
    call: action<string>({ parse: justCampaign, run: (ctx, campaignId) => count(ctx, campaignId, 'call') }),
    unsubscribe: action<string>({
      parse: justCampaign,
      async run(ctx, campaignId) {
        await ctx.services.subscriptions.optOut(userKey(ctx.event), ctx.now);
        await count(ctx, campaignId, 'unsubscribe');
        await ctx.services.engagement.optedOut(ctx.event.userId, ctx.now, campaignId);
        ctx.say('unsubscribed', { resume: ctx.action('subscription.resume') });
      },
    }),
  },
};

/**
 * 退订 / 订阅: stop or resume broadcasts to this citizen, confirmed in one message. Replies to
 * what the citizen writes go on either way.
 */
import { userKey } from '../../channels/identity.js';
import type { TurnContext } from '../context.js';
import { type Flow, noArgs } from '../flow.js';

async function optOut(ctx: TurnContext): Promise<void> {
  await ctx.services.subscriptions.optOut(userKey(ctx.event), ctx.now);
  // Counted for the campaign whose message last reached this number, if one did lately.
  await ctx.services.engagement.optedOut(ctx.event.userId, ctx.now);
  ctx.say('unsubscribed', { resume: ctx.action('subscription.resume') });
}

async function optIn(ctx: TurnContext): Promise<void> {
  await ctx.services.subscriptions.optIn(userKey(ctx.event), ctx.now);
  ctx.say('subscribed');
}

export const subscriptionFlow: Flow = {
  name: 'subscription',
  intents: { unsubscribe: optOut, subscribe: optIn },
  actions: {
    resume: noArgs(optIn),
    // The 退订 button of a broadcast that is not a campaign's (a new-policy alert).
    stop: noArgs(optOut),
  },
};

/**
 * 退订 / 订阅: stop or resume broadcasts to this citizen, confirmed in one message. Replies to
 * what the citizen writes go on either way.
 */
import { userKey } from '../../channels/identity.js';
import type { TurnContext } from '../context.js';
import { action, type Flow } from '../flow.js';

async function optOut(ctx: TurnContext): Promise<void> {
  await ctx.services.subscriptions.optOut(userKey(ctx.event), ctx.now);
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
    resume: action<true>({ parse: (args) => (args.length === 0 ? true : undefined), run: optIn }),
  },
};

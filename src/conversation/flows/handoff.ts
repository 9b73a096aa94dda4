/**
 * 转人工: the citizen asks for a human agent. Within agents' hours the conversation joins the
 * queue and the citizen hears their place and the expected wait; outside them, when agents are
 * back and the offer to leave a message that agents see first. While a handoff is open the bot
 * stays silent to the citizen — what they write is kept for the agent — except for the button
 * that ends it.
 */
import { z } from 'zod';
import { userKey } from '../../channels/identity.js';
import type { Handoff } from '../../handoff/handoffs.js';
import type { TurnContext } from '../context.js';
import { action, type Flow, noArgs, noArguments } from '../flow.js';
import { currentItem } from '../topic.js';
import { askInTurn, countHandoffService } from './rating.js';

const SLICE = 'handoff';
const sliceSchema = z.union([z.object({ open: z.string() }), z.object({ leaving: z.literal(true) })]);

async function queued(ctx: TurnContext, handoff: Handoff): Promise<void> {
  const place = await ctx.services.handoffs.placeOf(handoff);
  ctx.say('handoff-queued', { place, ahead: place - 1, waitMinutes: ctx.services.agentHours.expectedWait(place), end: ctx.action('handoff.end') });
}

async function request(ctx: TurnContext): Promise<void> {
  const { handoffs, agentHours } = ctx.services;
  const key = userKey(ctx.event);
  const open = await handoffs.findOpen(key);
  if (open) {
    ctx.session.set(SLICE, { open: open._id });
    return queued(ctx, open);
  }
  if (!agentHours.isOpen(ctx.now)) {
    ctx.say('handoff-after-hours', { hoursText: agentHours.hoursText, leave: ctx.action('handoff.leave') });
    return;
  }
  const item = currentItem(ctx);
  const { handoff } = await handoffs.open({ userKey: key, platformId: ctx.event.platformId, userId: ctx.event.userId, conversationId: ctx.event.conversationId, kind: 'live', ...(item ? { item } : {}) }, ctx.now);
  ctx.session.set(SLICE, { open: handoff._id });
  await queued(ctx, handoff);
}

/** What the citizen did, in words, for the agent's transcript. */
function shown(ctx: TurnContext): string {
  const content = ctx.event.content;
  switch (content.type) {
    case 'text':
      return content.text;
    case 'postback':
      return content.displayText;
    case 'location':
      return `geo:${content.latitude},${content.longitude}`;
    case 'file':
      return content.files.map((file) => file.fileName ?? file.url).join(', ');
    case 'device':
      return '';
  }
}

export const handoffFlow: Flow = {
  name: 'handoff',
  intents: {
    human_agent: request,
  },
  actions: {
    request: noArgs(request),
    leave: action<true>({
      parse: noArguments,
      run(ctx) {
        ctx.session.set(SLICE, { leaving: true });
        ctx.say('handoff-leave-prompt');
      },
    }),
    end: action<true>({
      parse: noArguments,
      async run(ctx) {
        const slice = ctx.session.get(SLICE, sliceSchema);
        ctx.session.set(SLICE, undefined);
        const closed = slice && 'open' in slice ? await ctx.services.handoffs.close(slice.open, 'citizen', undefined, ctx.now) : null;
        // An agent served it: the rating question says the closing words.
        if (closed) await countHandoffService(ctx, closed);
        if (!closed || !(await askInTurn(ctx, 'handoff-ended'))) ctx.say('handoff-ended');
      },
    }),
  },
  async intercept(ctx) {
    const slice = ctx.session.get(SLICE, sliceSchema);
    if (!slice || !('open' in slice)) return false;
    const content = ctx.event.content;
    // The end button is the one thing the bot answers while an agent has the conversation.
    if (content.type === 'postback' && content.data === ctx.action('handoff.end')) return false;
    const handoffs = ctx.services.handoffs;
    const text = shown(ctx);
    if (text === '' || (await handoffs.append(slice.open, { from: 'citizen', text, at: ctx.now }))) return true;
    // The agent closed it meanwhile: the conversation is the bot's again.
    ctx.session.set(SLICE, undefined);
    return false;
  },
  async awaiting(ctx, text) {
    const slice = ctx.session.get(SLICE, sliceSchema);
    if (!slice || !('leaving' in slice)) return false;
    ctx.session.set(SLICE, undefined);
    const item = currentItem(ctx);
    await ctx.services.handoffs.open(
      { userKey: userKey(ctx.event), platformId: ctx.event.platformId, userId: ctx.event.userId, conversationId: ctx.event.conversationId, kind: 'message', firstMessage: text, ...(item ? { item } : {}) },
      ctx.now,
    );
    ctx.say('handoff-message-left', { hoursText: ctx.services.agentHours.hoursText });
    return true;
  },
};

/**
 * 好差评 in the conversation: the guide services counted (one per item per conversation), the
 * question asked when the citizen thanks or says goodbye after a service or ends a handoff an
 * agent served, the answer by chip or in words, and on the two negative levels a short comment
 * with 转人工 offered. The question the bot asks on its own (the conversation went quiet, an
 * agent closed a handoff) is sent by src/ratings/asker.ts; its chips come back here.
 */
import { z } from 'zod';
import { userKey } from '../../channels/identity.js';
import type { ServiceItem } from '../../catalog/schema.js';
import type { Handoff } from '../../handoff/handoffs.js';
import { isNegative, toLevel, type RatingLevel } from '../../ratings/levels.js';
import { questionReply } from '../../ratings/question.js';
import type { AskReason, Invitation } from '../../ratings/records.js';
import { guideService, handoffService } from '../../ratings/serviceOf.js';
import type { TurnContext } from '../context.js';
import { action, type Flow } from '../flow.js';

const SLICE = 'rating';
const sliceSchema = z.object({
  /** The id of this conversation's services: the message of its first one. */
  episode: z.string().optional(),
  /** Items whose guide service this conversation has counted. */
  items: z.array(z.string()).default([]),
  /** The question asked in this conversation and not answered: a typed level answers it. */
  asked: z.string().optional(),
  /** A negative answer waiting for its comment, until `until`. */
  comment: z.object({ invitation: z.string(), until: z.coerce.date() }).optional(),
});
type Slice = z.infer<typeof sliceSchema>;

/** How long the next text counts as the comment on a negative answer. */
const COMMENT_WINDOW_MS = 30 * 60_000;
/** How far back a question counts as outstanding when the citizen answers in words. */
const OUTSTANDING_MS = 24 * 3_600_000;
const COMMENT_MAX = 500;
const INVITATION_ID = /^[0-9a-f]{32}$/;

function slice(ctx: TurnContext): Slice {
  return ctx.session.get(SLICE, sliceSchema) ?? { items: [] };
}

function update(ctx: TurnContext, changes: Partial<Slice>): void {
  const next = { ...slice(ctx), ...changes };
  ctx.session.set(SLICE, Object.fromEntries(Object.entries(next).filter(([, value]) => value !== undefined)));
}

function who(ctx: TurnContext): { userKey: string; userId: string; platformId: string; conversationId?: string; at: Date; askAfter: Date } {
  const event = ctx.event;
  return {
    userKey: userKey(event),
    userId: event.userId,
    platformId: event.platformId,
    ...(event.conversationId ? { conversationId: event.conversationId } : {}),
    at: ctx.now,
    askAfter: new Date(ctx.now.getTime() + ctx.services.ratings.idleMs),
  };
}

/** A guide card for `item` was shown: the conversation's guide service for it, counted once. */
export async function countGuideService(ctx: TurnContext, item: ServiceItem): Promise<void> {
  const current = slice(ctx);
  if (current.items.includes(item.code)) return;
  const episode = current.episode ?? ctx.event.messageId;
  await ctx.services.ratings.ledger.served(guideService(who(ctx), episode, item.code, ctx.services.catalog));
  update(ctx, { episode, items: [...current.items, item.code] });
}

/** The handoff the citizen just ended: a service if an agent served it. */
export async function countHandoffService(ctx: TurnContext, handoff: Handoff): Promise<void> {
  const service = handoffService(handoff, ctx.now, who(ctx).askAfter, ctx.services.catalog);
  if (service) await ctx.services.ratings.ledger.served(service);
}

function showQuestion(ctx: TurnContext, invitation: Invitation, reason?: AskReason): void {
  const { catalog, ratings } = ctx.services;
  update(ctx, { asked: invitation._id });
  const reply = questionReply(invitation, { action: (name, ...args) => ctx.action(name, ...args), catalog, levels: ratings.levels }, reason);
  ctx.say(reply.template, reply.data);
}

/**
 * Asks about the citizen's services no question covered yet, if there are any; true when it
 * asked. The question stands in for the turn's closing words (the template says them first).
 */
export async function askInTurn(ctx: TurnContext, reason: AskReason): Promise<boolean> {
  const invitation = await ctx.services.ratings.ledger.invite({ userKey: userKey(ctx.event), reason, askedIn: ctx.event.messageId }, ctx.now);
  if (!invitation) return false;
  showQuestion(ctx, invitation, reason);
  return true;
}

async function give(ctx: TurnContext, id: string, level: RatingLevel): Promise<void> {
  const { ledger, levels, workingDays } = ctx.services.ratings;
  const invitation = await ledger.invitation(id);
  // Signed data replayed by another user, or a question since removed: nothing to rate.
  if (!invitation || invitation.userKey !== userKey(ctx.event)) {
    ctx.say('postback-invalid');
    return;
  }
  const rated = await ledger.rate(id, level, ctx.event.messageId, ctx.now);
  update(ctx, { asked: undefined });
  if (rated.outcome === 'missing') return ctx.say('postback-invalid');
  if (rated.outcome === 'already') return ctx.say('rating-already', { level: levels.name(rated.level) });
  if (!isNegative(level)) return ctx.say('rating-thanks', { level: levels.name(level) });
  update(ctx, { comment: { invitation: id, until: new Date(ctx.now.getTime() + COMMENT_WINDOW_MS) } });
  ctx.say('rating-comment-ask', { level: levels.name(level), workingDays, skip: ctx.action('rating.skip', id) });
}

/** "我要评价", "差评", "满意": answers the open question in words, shows it, or asks now. */
async function feedback(ctx: TurnContext): Promise<void> {
  const { ledger, levels } = ctx.services.ratings;
  const key = userKey(ctx.event);
  const outstanding = await ledger.outstanding(key, new Date(ctx.now.getTime() - OUTSTANDING_MS));
  const text = ctx.event.content.type === 'text' ? ctx.event.content.text : '';
  const named = levels.levelNamed(text);
  if (outstanding && named !== undefined) return give(ctx, outstanding._id, named);
  if (outstanding) return showQuestion(ctx, outstanding, 'feedback');
  if (await askInTurn(ctx, 'feedback')) return;
  ctx.say('rating-feedback', { hall: ctx.services.catalog.halls[0] });
}

export const ratingFlow: Flow = {
  name: 'rating',
  intents: { feedback },
  actions: {
    give: action<{ id: string; level: RatingLevel }>({
      parse([id, level]) {
        const parsed = toLevel(level);
        return id !== undefined && INVITATION_ID.test(id) && parsed !== undefined ? { id, level: parsed } : undefined;
      },
      run: (ctx, { id, level }) => give(ctx, id, level),
    }),
    skip: action<string>({
      parse: ([id]) => (id !== undefined && INVITATION_ID.test(id) ? id : undefined),
      run(ctx) {
        update(ctx, { comment: undefined });
        ctx.say('rating-comment-skipped', { workingDays: ctx.services.ratings.workingDays });
      },
    }),
  },
  intercept(ctx) {
    // A comment is awaited only until the citizen taps something else: they moved on.
    const content = ctx.event.content;
    if (content.type !== 'postback' || slice(ctx).comment === undefined) return false;
    const decoded = ctx.services.postbacks.decode(content.data);
    if (!decoded.ok || !decoded.postback.action.startsWith(`${SLICE}.`)) update(ctx, { comment: undefined });
    return false;
  },
  async awaiting(ctx, text) {
    const current = slice(ctx);
    if (current.comment && current.comment.until > ctx.now) {
      update(ctx, { comment: undefined });
      const comment = text.trim().slice(0, COMMENT_MAX);
      if (comment === '' || !(await ctx.services.ratings.ledger.comment(current.comment.invitation, comment))) return false;
      ctx.say('rating-comment-thanks', { workingDays: ctx.services.ratings.workingDays });
      return true;
    }
    if (current.comment) update(ctx, { comment: undefined });
    const named = current.asked === undefined ? undefined : ctx.services.ratings.levels.levelNamed(text);
    if (current.asked === undefined || named === undefined) return false;
    await give(ctx, current.asked, named);
    return true;
  },
};

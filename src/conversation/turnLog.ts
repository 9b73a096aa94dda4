/**
 * One `info` line per turn: who (masked), what was understood, which flow answered, what was
 * said, how long it took. Enough to follow a conversation in the logs without storing numbers.
 */
import type { OutboundMessage } from '../channels/model.js';
import type { Logger } from '../log.js';
import type { Reply, TurnContext } from './context.js';

/** tel:+8613800138000 → tel:+86138****8000; any other address keeps only its ends. */
export function maskUser(userId: string): string {
  const phone = /^(tel:\+86)(\d{3})\d{4}(\d{4})$/.exec(userId);
  if (phone) return `${phone[1]}${phone[2]}****${phone[3]}`;
  return userId.length <= 8 ? '****' : `${userId.slice(0, 6)}****${userId.slice(-2)}`;
}

function understood(ctx: TurnContext): Record<string, unknown> | undefined {
  if (ctx.postback) return { postback: ctx.postback.action };
  const understanding = ctx.understanding;
  if (!understanding) return undefined;
  const best = understanding.classification.top[0];
  return {
    decision: understanding.classification.decision.type,
    subject: understanding.subject,
    score: best === undefined ? undefined : Math.round(best.score * 1000) / 1000,
    ...(understanding.aspect ? { aspect: understanding.aspect.aspect } : {}),
    ...(understanding.followUp ? { followUp: true } : {}),
  };
}

export function logTurn(log: Logger, ctx: TurnContext, messages: readonly OutboundMessage[], replies: readonly Reply[], millis: number): void {
  log.info(
    {
      user: maskUser(ctx.event.userId),
      messageId: ctx.event.messageId,
      input: ctx.event.content.type,
      understood: understood(ctx),
      flow: ctx.flow ?? 'none',
      replies: replies.map((reply) => reply.template),
      messages: messages.length,
      ms: Math.round(millis * 10) / 10,
    },
    'turn',
  );
}

/**
 * The progress query (办件进度): asks for the application number, checks its form, looks it up and
 * answers with the application's status; an unknown number gets what to check. A message that
 * carries a number is looked up at once, whether or not the bot asked for it; while the bot waits
 * for a number, anything else is understood as usual (the citizen moved on).
 */
import { z } from 'zod';
import { findApplicationNumber } from '../../applications/applications.js';
import type { TurnContext } from '../context.js';
import { type Flow, noArgs } from '../flow.js';

const SLICE = 'progress';
const waitingSchema = z.object({ waiting: z.literal(true) });

function ask(ctx: TurnContext): void {
  ctx.session.set(SLICE, { waiting: true });
  ctx.say('progress-ask');
}

async function lookUp(ctx: TurnContext, number: string): Promise<void> {
  ctx.session.set(SLICE, undefined);
  const application = await ctx.services.applications.find(number);
  if (!application) {
    ctx.say('progress-not-found', { number, retry: ctx.action('progress.ask') });
    return;
  }
  const item = ctx.services.catalog.item(application.itemCode);
  ctx.say('progress-status', {
    application,
    item,
    guide: item ? ctx.action('guide.show', item.code) : undefined,
  });
}

export const progressFlow: Flow = {
  name: 'progress',
  intents: {
    async progress_query(ctx) {
      const content = ctx.event.content;
      const found = content.type === 'text' ? findApplicationNumber(content.text) : { kind: 'absent' as const };
      if (found.kind === 'number') return lookUp(ctx, found.number);
      ask(ctx);
    },
  },
  actions: {
    ask: noArgs(ask),
  },
  async awaiting(ctx, text) {
    const found = findApplicationNumber(text);
    if (found.kind === 'number') {
      await lookUp(ctx, found.number);
      return true;
    }
    if (ctx.session.get(SLICE, waitingSchema) === undefined) return false;
    if (found.kind === 'malformed') {
      ctx.say('progress-bad-format', { text: found.text });
      return true;
    }
    ctx.session.set(SLICE, undefined);
    return false;
  },
};

/**
 * The item the conversation is on: set when a guide or an aspect of an item is shown, read when
 * a bare follow-up question ("要带什么") arrives. Kept in the session beside the flows' slices.
 */
import { z } from 'zod';
import type { TurnContext } from './context.js';

const SLICE = 'topic';
const topicSchema = z.object({ item: z.string() });

export function currentItem(ctx: TurnContext): string | undefined {
  const item = ctx.session.get(SLICE, topicSchema)?.item;
  return item !== undefined && ctx.services.catalog.item(item) !== undefined ? item : undefined;
}

export function setCurrentItem(ctx: TurnContext, code: string): void {
  ctx.session.set(SLICE, { item: code });
}

/**
 * Routing one event to the flow that answers it. A flow that intercepts (a conversation handed to
 * an agent) sees every event first. Then by the kind of event: a tapped button goes to
 * its postback action (checked first: a tampered, stale or unknown one gets the polite menu card
 * and changes nothing); a text goes first to a flow waiting for it, else it is understood and
 * goes to the flow registered for the intent or the kind of subject; a shared location and a
 * file go to the flows that take them. Handlers come from the registry, not from a switch here.
 */
import type { InboundContent } from '../channels/model.js';
import type { TurnContext } from './context.js';
import type { FlowRegistry } from './flow.js';
import type { PostbackRefusal } from './postback.js';
import { currentItem } from './topic.js';

/** The card for a button that cannot be honoured, whatever the reason (logged, not shown). */
export const INVALID_POSTBACK_TEMPLATE = 'postback-invalid';
/** What a file gets when no flow takes files. */
const FILE_TEMPLATE = 'file-received';

type ContentOf<T extends InboundContent['type']> = Extract<InboundContent, { type: T }>;

function refuse(ctx: TurnContext, reason: PostbackRefusal | 'unknown-action' | 'stale'): void {
  ctx.services.log.info({ messageId: ctx.event.messageId, reason }, 'postback refused');
  ctx.flow = 'postback';
  ctx.say(INVALID_POSTBACK_TEMPLATE);
}

async function routePostback(registry: FlowRegistry, ctx: TurnContext, content: ContentOf<'postback'>): Promise<void> {
  const decoded = ctx.services.postbacks.decode(content.data);
  if (!decoded.ok) return refuse(ctx, decoded.reason);
  ctx.postback = decoded.postback;
  const entry = registry.action(decoded.postback.action);
  if (!entry) return refuse(ctx, 'unknown-action');
  const args = entry.action.parse(decoded.postback.args, ctx.services);
  if (args === undefined) return refuse(ctx, 'stale');
  ctx.flow = entry.flow;
  await entry.action.run(ctx, args);
}

async function routeText(registry: FlowRegistry, ctx: TurnContext, content: ContentOf<'text'>): Promise<void> {
  for (const flow of registry.withHandler('awaiting')) {
    if (await flow.awaiting(ctx, content.text)) {
      ctx.flow = flow.name;
      return;
    }
  }
  const understanding = ctx.services.nlu.understanding.understand(content.text, currentItem(ctx));
  ctx.understanding = understanding;
  const subject = understanding.subject;
  if (subject.kind === 'intent') {
    const entry = registry.intent(subject.name);
    if (!entry) throw new Error(`no flow answers intent ${subject.name}`);
    ctx.flow = entry.flow;
    return entry.handler(ctx);
  }
  const entry = registry.subject(subject.kind);
  if (!entry) throw new Error(`no flow answers ${subject.kind}`);
  ctx.flow = entry.flow;
  await entry.handler(ctx, subject);
}

async function routeToFlow(registry: FlowRegistry, ctx: TurnContext, kind: 'location' | 'file'): Promise<void> {
  // In registration order; a flow that says false (not waiting for one) passes it on.
  for (const flow of registry.withHandler(kind)) {
    ctx.flow = flow.name;
    if ((await flow[kind](ctx)) !== false) return;
  }
  ctx.flow = undefined;
  if (kind === 'file') ctx.say(FILE_TEMPLATE);
}

export function router(registry: FlowRegistry): (ctx: TurnContext) => Promise<void> {
  return async (ctx) => {
    for (const flow of registry.withHandler('intercept')) {
      if (await flow.intercept(ctx)) {
        ctx.flow = flow.name;
        return;
      }
    }
    const content = ctx.event.content;
    switch (content.type) {
      case 'postback':
        return routePostback(registry, ctx, content);
      case 'text':
        return routeText(registry, ctx, content);
      case 'location':
      case 'file':
        return routeToFlow(registry, ctx, content.type);
      case 'device':
        // Device details the phone shares on request need no answer.
        return;
    }
  };
}

/**
 * Services that come with later releases (policies): an honest interim card for each — what the citizen can do today instead — never an
 * echo. Each has its own template, cards/templates/pending-<intent>.yaml.
 */
import type { IntentName } from '../../nlu/types.js';
import type { TurnContext } from '../context.js';
import { action, type Flow, type Handler } from '../flow.js';

const PENDING = ['policy_query'] as const;
type PendingIntent = (typeof PENDING)[number];

function showPending(ctx: TurnContext, intent: PendingIntent): void {
  ctx.say(`pending-${intent.replace(/_/g, '-')}`, { hall: ctx.services.catalog.halls[0] });
}

export const pendingFlow: Flow = {
  name: 'pending',
  intents: Object.fromEntries(PENDING.map((intent) => [intent, (ctx: TurnContext) => showPending(ctx, intent)])) as Partial<Record<IntentName, Handler>>,
  actions: {
    show: action<PendingIntent>({
      parse: ([intent]) => ((PENDING as readonly string[]).includes(intent ?? '') ? (intent as PendingIntent) : undefined),
      run: showPending,
    }),
  },
};

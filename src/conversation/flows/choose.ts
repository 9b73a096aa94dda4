/**
 * A close call (居住证: 申领, 续签 or 补领?): "您想办理的是：" with the candidates as chips and 都不是.
 * A chip for an item goes straight to what was asked about it (its materials, if that was the
 * question); a chip for an intent runs that intent; 都不是 gets the help card.
 */
import { INTENT_NAMES, type IntentName, type Target } from '../../nlu/types.js';
import type { TurnContext } from '../context.js';
import { action, type Flow, type FlowRegistry, noArgs } from '../flow.js';
import { showHelp } from './help.js';

function candidateChip(ctx: TurnContext, candidate: Target, aspect: string | undefined): { label: string; action: string } | undefined {
  if (candidate.type === 'item') {
    const item = ctx.services.catalog.item(candidate.code);
    if (!item) return undefined;
    return { label: item.name, action: aspect ? ctx.action('guide.aspect', item.code, aspect) : ctx.action('guide.show', item.code) };
  }
  const label = ctx.services.nlu.intentLabels.get(candidate.name);
  return label === undefined ? undefined : { label, action: ctx.action('choose.intent', candidate.name) };
}

export function chooseFlow(registry: FlowRegistry): Flow {
  return {
    name: 'choose',
    subjects: {
      choose(ctx, subject) {
        const candidates = subject.candidates.flatMap((candidate) => candidateChip(ctx, candidate, subject.aspect) ?? []);
        const aspectLabel = subject.aspect === undefined ? undefined : ctx.services.nlu.aspects.labels.get(subject.aspect);
        ctx.say('choose', { candidates, aspectLabel, noneOfThese: ctx.action('choose.none') });
      },
    },
    actions: {
      none: noArgs((ctx) => showHelp(ctx, 'none-of-these')),
      intent: action<IntentName>({
        parse: ([name]) => ((INTENT_NAMES as readonly string[]).includes(name ?? '') ? (name as IntentName) : undefined),
        async run(ctx, name) {
          const entry = registry.intent(name);
          if (!entry) throw new Error(`no flow answers intent ${name}`);
          ctx.flow = entry.flow;
          await entry.handler(ctx);
        },
      }),
    },
  };
}

/** Every flow of the conversation, registered in one place. */
import { INTENT_NAMES } from '../../nlu/types.js';
import { FlowRegistry } from '../flow.js';
import { appointmentFlow } from './appointment/index.js';
import { chooseFlow } from './choose.js';
import { guideFlow } from './guide.js';
import { handoffFlow } from './handoff.js';
import { hallFlow } from './hall.js';
import { helpFlow } from './help.js';
import { progressFlow } from './progress.js';
import { ratingFlow } from './rating.js';
import { smalltalkFlow } from './smalltalk.js';
import { subscriptionFlow } from './subscription.js';
import { policyFlow } from './policy/index.js';
import { campaignFlow } from './campaign.js';

export function createFlowRegistry(): FlowRegistry {
  const registry = new FlowRegistry();
  // The appointment flow before the hall flow: a location it asked for is its own.
  registry
    .register(handoffFlow)
    .register(ratingFlow)
    .register(progressFlow)
    .register(appointmentFlow)
    .register(guideFlow)
    .register(helpFlow)
    .register(chooseFlow(registry))
    .register(smalltalkFlow)
    .register(hallFlow)
    .register(subscriptionFlow)
    .register(policyFlow)
    .register(campaignFlow);
  const missing = registry.missingIntents(INTENT_NAMES);
  if (missing.length > 0) throw new Error(`intents without a flow: ${missing.join(', ')}`);
  return registry;
}

/**
 * Greeting, thanks and goodbye: a short friendly answer with the main menu chips. Thanks or
 * goodbye after a service ends it: then the answer is the rating question (好差评), which says
 * the friendly words first.
 */
import type { Flow } from '../flow.js';
import { askInTurn } from './rating.js';

export const smalltalkFlow: Flow = {
  name: 'smalltalk',
  intents: {
    greeting: (ctx) => ctx.say('greeting'),
    thanks: async (ctx) => {
      if (!(await askInTurn(ctx, 'thanks'))) ctx.say('thanks');
    },
    goodbye: async (ctx) => {
      if (!(await askInTurn(ctx, 'goodbye'))) ctx.say('goodbye');
    },
  },
};

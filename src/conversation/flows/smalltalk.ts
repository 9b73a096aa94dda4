/** Greeting, thanks and goodbye: a short friendly answer with the main menu chips. */
import type { Flow } from '../flow.js';

export const smalltalkFlow: Flow = {
  name: 'smalltalk',
  intents: {
    greeting: (ctx) => ctx.say('greeting'),
    thanks: (ctx) => ctx.say('thanks'),
    goodbye: (ctx) => ctx.say('goodbye'),
  },
};

/**
 * Help and the fallback: popular items as a carousel and the catalog's themes as chips (what
 * they are is content: cards/menus/help.yaml), and a theme's items when a theme is chosen. A
 * message that was not understood gets a short "not understood" before the same help.
 */
import type { TurnContext } from '../context.js';
import { action, type Flow, noArgs } from '../flow.js';

export function showHelp(ctx: TurnContext, intro?: 'fallback' | 'none-of-these'): void {
  const { catalog, helpMenu } = ctx.services;
  if (intro) ctx.say(intro);
  ctx.say('help', {
    popular: helpMenu.popular.flatMap((code) => {
      const item = catalog.item(code);
      return item ? [{ item, action: ctx.action('guide.show', item.code) }] : [];
    }),
    themes: helpMenu.themes.map((theme) => ({ theme, action: ctx.action('help.theme', theme) })),
  });
}

export const helpFlow: Flow = {
  name: 'help',
  intents: {
    help: (ctx) => showHelp(ctx),
  },
  subjects: {
    none: (ctx) => showHelp(ctx, 'fallback'),
  },
  actions: {
    menu: noArgs((ctx) => showHelp(ctx)),
    theme: action<string>({
      parse: ([theme], services) => (theme !== undefined && services.catalog.itemsInTheme(theme).length > 0 ? theme : undefined),
      run(ctx, theme) {
        const items = ctx.services.catalog.itemsInTheme(theme);
        ctx.say('theme', { theme, items: items.map((item) => ({ item, action: ctx.action('guide.show', item.code) })) });
      },
    }),
  },
};

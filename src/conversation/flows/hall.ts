/**
 * Hall information (大厅信息): every hall of the catalog with address, opening hours, phone, map
 * and dial buttons; with a shared location, the nearest hall and how far it is.
 */
import type { TurnContext } from '../context.js';
import { type Flow, noArgs } from '../flow.js';

function showHalls(ctx: TurnContext): void {
  ctx.say('hall-list', { halls: ctx.services.catalog.halls });
}

function showNearest(ctx: TurnContext, latitude: number, longitude: number): void {
  const [nearest, ...others] = ctx.services.catalog.hallsByDistance(latitude, longitude);
  if (!nearest) return showHalls(ctx);
  ctx.say('hall-nearest', { hall: nearest.hall, meters: nearest.meters, others });
}

export const hallFlow: Flow = {
  name: 'hall',
  intents: {
    hall_info: showHalls,
  },
  actions: {
    list: noArgs(showHalls),
  },
  location(ctx) {
    const content = ctx.event.content;
    if (content.type === 'location') showNearest(ctx, content.latitude, content.longitude);
  },
};

/**
 * What item templates get to show: the catalog item as it is, its hall, the materials sorted
 * into what to bring and what not, and the postback of every button an item card can have.
 */
import type { ServiceItem } from '../../catalog/schema.js';
import { isNothingToBring } from '../../catalog/schema.js';
import type { ConversationServices } from '../context.js';

/** What making an item card needs: its buttons' postback data and the catalog (a turn has both). */
export interface ItemCardMaker {
  action(action: string, ...args: Array<string | number>): string;
  services: Pick<ConversationServices, 'catalog'>;
}

export function itemActions(ctx: ItemCardMaker, item: ServiceItem): Record<string, string> {
  return {
    guide: ctx.action('guide.show', item.code),
    materials: ctx.action('guide.materials', item.code),
    conditions: ctx.action('guide.conditions', item.code),
    steps: ctx.action('guide.step', item.code, 1),
    book: ctx.action('guide.book', item.code),
    location: ctx.action('guide.aspect', item.code, 'location'),
    timeLimit: ctx.action('guide.aspect', item.code, 'time_limit'),
  };
}

export function itemData(ctx: ItemCardMaker, item: ServiceItem): Record<string, unknown> {
  return { item, hall: ctx.services.catalog.hallOf(item), actions: itemActions(ctx, item) };
}

export function materialsData(item: ServiceItem): Record<string, unknown> {
  const toBring = item.materials.filter((material) => !isNothingToBring(material));
  const notToBring = item.materials.filter(isNothingToBring);
  return { toBring, notToBring, notToBringNames: notToBring.map((material) => material.name) };
}

/**
 * The item guide (办事指南): the guide card of an item, its materials, its conditions, its steps one
 * card at a time, and the card for any aspect a question asks about. Showing any of them makes
 * the item the conversation's current one, so a bare follow-up question refers to it, and counts
 * the conversation's guide service for the item (好差评: once per item per conversation).
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { ServiceItem } from '../../catalog/schema.js';
import { ASPECT_NAMES, type AspectName } from '../../nlu/types.js';
import type { ConversationServices, TurnContext } from '../context.js';
import { action, type Flow } from '../flow.js';
import { setCurrentItem } from '../topic.js';
import { itemData, materialsData } from './itemView.js';
import { startBooking } from './appointment/index.js';
import { countGuideService } from './rating.js';

/** Aspects answered by a card of their own: cards/templates/aspect-<name>.yaml. */
const ASPECT_TEMPLATES: Partial<Record<AspectName, string>> = {
  time_limit: 'aspect-time-limit',
  fee: 'aspect-fee',
  location: 'aspect-location',
  online: 'aspect-online',
  in_person: 'aspect-in-person',
  phone: 'aspect-phone',
};

export function showGuide(ctx: TurnContext, item: ServiceItem): void {
  setCurrentItem(ctx, item.code);
  ctx.say('guide', itemData(ctx, item));
}

function showMaterials(ctx: TurnContext, item: ServiceItem): void {
  setCurrentItem(ctx, item.code);
  ctx.say('materials', { ...itemData(ctx, item), ...materialsData(item) });
}

function showConditions(ctx: TurnContext, item: ServiceItem): void {
  setCurrentItem(ctx, item.code);
  ctx.say('conditions', itemData(ctx, item));
}

/** Step `number` (1-based) of the item's procedure, with 上一步 / 下一步 where they exist. */
function showStep(ctx: TurnContext, item: ServiceItem, number: number): void {
  setCurrentItem(ctx, item.code);
  const total = item.steps.length;
  ctx.say('step', {
    ...itemData(ctx, item),
    step: { number, total, text: item.steps[number - 1], first: number === 1, last: number === total },
    stepActions: {
      previous: number > 1 ? ctx.action('guide.step', item.code, number - 1) : undefined,
      next: number < total ? ctx.action('guide.step', item.code, number + 1) : undefined,
    },
  });
}

export function showAspect(ctx: TurnContext, item: ServiceItem, aspect: AspectName): void {
  if (aspect === 'materials') return showMaterials(ctx, item);
  if (aspect === 'conditions') return showConditions(ctx, item);
  if (aspect === 'steps') return showStep(ctx, item, 1);
  setCurrentItem(ctx, item.code);
  ctx.say(ASPECT_TEMPLATES[aspect] ?? 'guide', itemData(ctx, item));
}

function itemOf(catalog: Catalog, code: string | undefined): ServiceItem | undefined {
  return code === undefined ? undefined : catalog.item(code);
}

const byItem = (run: (ctx: TurnContext, item: ServiceItem) => Promise<void> | void) =>
  action<ServiceItem>({
    parse: (args, services: ConversationServices) => (args.length === 1 ? itemOf(services.catalog, args[0]) : undefined),
    run,
  });

/** A guide card of the item: shown, and the conversation's guide service for the item counted. */
const guideCard = (show: (ctx: TurnContext, item: ServiceItem) => void) =>
  byItem(async (ctx, item) => {
    show(ctx, item);
    await countGuideService(ctx, item);
  });

export const guideFlow: Flow = {
  name: 'guide',
  subjects: {
    async item(ctx, subject) {
      const item = ctx.services.catalog.item(subject.code);
      if (!item) throw new Error(`the classifier named an item the catalog lacks: ${subject.code}`);
      if (subject.aspect) showAspect(ctx, item, subject.aspect);
      else showGuide(ctx, item);
      await countGuideService(ctx, item);
    },
  },
  actions: {
    show: guideCard(showGuide),
    materials: guideCard(showMaterials),
    conditions: guideCard(showConditions),
    // 预约办理 on a guide: booking begins (older cards' buttons keep working).
    book: byItem((ctx, item) => startBooking(ctx, item)),
    step: action<{ item: ServiceItem; number: number }>({
      parse([code, number], services) {
        const item = itemOf(services.catalog, code);
        const step = Number(number);
        return item && Number.isInteger(step) && step >= 1 && step <= item.steps.length ? { item, number: step } : undefined;
      },
      async run(ctx, { item, number }) {
        showStep(ctx, item, number);
        await countGuideService(ctx, item);
      },
    }),
    aspect: action<{ item: ServiceItem; aspect: AspectName }>({
      parse([code, aspect], services) {
        const item = itemOf(services.catalog, code);
        return item && (ASPECT_NAMES as readonly string[]).includes(aspect ?? '') ? { item, aspect: aspect as AspectName } : undefined;
      },
      async run(ctx, { item, aspect }) {
        showAspect(ctx, item, aspect);
        await countGuideService(ctx, item);
      },
    }),
  },
};

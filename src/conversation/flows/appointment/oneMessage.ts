/**
 * Booking in one message: "明天上午预约居住证", "下周三下午两点办护照", "12月8日10点能约吗". Looked at
 * before the usual understanding (as the progress flow looks for application numbers): a message
 * that says when, or uses a booking wording (预约, 帮我约 …), and names a bookable item — or comes
 * while the citizen is choosing a time, or right after the bot asked which item — goes straight
 * to the slots that fit. Anything else (a question about an aspect, 我的预约, 改约 …) is left to
 * the usual understanding.
 */
import { parseWhen, withoutWhen, type WhenAsked } from '../../../appointments/when/parseWhen.js';
import type { ServiceItem } from '../../../catalog/schema.js';
import type { TurnContext } from '../../context.js';
import { currentItem } from '../../topic.js';
import { bookableItem, itemAtHall } from './args.js';
import { offerWhen, startBooking } from './booking.js';
import { appointmentState, recalledWhen, rememberedWhen, setAppointmentState } from './state.js';

/** Intents whose messages talk about a booking that exists: not a new booking. */
const ABOUT_EXISTING = new Set(['my_appointments', 'cancel_appointment']);

/** The bookable item a text names, by the classifier's decision (a close call of one item is that item). */
function itemNamed(ctx: TurnContext, text: string): ServiceItem | undefined {
  if (text.trim() === '') return undefined;
  const decision = ctx.services.nlu.classifier.classify(text).decision;
  if (decision.type === 'item') return bookableItem(ctx.services, decision.code);
  const [only, ...others] = decision.type === 'ambiguous' ? decision.candidates.filter((candidate) => candidate.type === 'item') : [];
  return only?.type === 'item' && others.length === 0 ? bookableItem(ctx.services, only.code) : undefined;
}

export function askForItem(ctx: TurnContext, when?: WhenAsked): void {
  setAppointmentState(ctx, rememberedWhen(when));
  const { helpMenu, catalog } = ctx.services;
  const popular = helpMenu.popular.flatMap((code) => {
    const item = bookableItem(ctx.services, code);
    return item ? [{ item, action: ctx.action('appointment.item', item.code) }] : [];
  });
  ctx.say('appointment-ask-item', { popular, anyItem: catalog.items.length > 0 });
}

/** The appointment intent (预约, 我要取号 …): the item on screen, or the question which item. */
export async function startFromIntent(ctx: TurnContext, when?: WhenAsked): Promise<void> {
  const item = bookableItem(ctx.services, currentItem(ctx));
  if (item) return startBooking(ctx, item, when);
  askForItem(ctx, when);
}

export async function bookInOneMessage(ctx: TurnContext, text: string): Promise<boolean> {
  const { appointments, nlu } = ctx.services;
  const state = appointmentState(ctx);
  const when = parseWhen(text, appointments.today(ctx.now), appointments.zone);
  if (state?.stage === 'item') {
    setAppointmentState(ctx, undefined);
    const item = itemNamed(ctx, when ? withoutWhen(text, when) : text);
    if (item) {
      await startBooking(ctx, item, when ?? recalledWhen(state));
      return true;
    }
  }
  const cues = appointments.wording.bookingCues(text);
  // A day alone does not make a booking (护照明天能拿到吗); a day with a time of it does (明天上午办护照).
  const saysWhen = when !== undefined && (when.time !== undefined || when.partOfDay !== undefined || state?.stage === 'choosing');
  if (!saysWhen && cues.length === 0) return false;
  // 护照明天能拿到吗 asks how long it takes; 居住证预约要带什么 asks for the materials.
  if (nlu.aspects.detect(text) !== undefined) return false;
  const whole = nlu.classifier.classify(text).decision;
  if (whole.type === 'intent' && ABOUT_EXISTING.has(whole.name)) return false;
  if (appointments.wording.asksToReschedule(text)) return false;

  const withCues = when ? withoutWhen(text, when) : text;
  let rest = withCues;
  for (const cue of cues) rest = rest.split(cue).join(' ');
  const item = itemNamed(ctx, withCues) ?? itemNamed(ctx, rest) ?? (whole.type === 'item' ? bookableItem(ctx.services, whole.code) : undefined);
  if (item) {
    await startBooking(ctx, item, when);
    return true;
  }
  if (when && state?.stage === 'choosing') {
    const chosen = itemAtHall(ctx.services, state.item, state.hall);
    if (chosen) {
      await offerWhen(ctx, chosen.item, chosen.service, when, state.move);
      return true;
    }
  }
  const aboutBooking = cues.length > 0 || (whole.type === 'intent' && whole.name === 'appointment');
  if (!aboutBooking) return false;
  await startFromIntent(ctx, when);
  return true;
}

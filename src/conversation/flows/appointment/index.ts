/**
 * 预约取号 in the conversation: booking (by buttons, or in one message), 我的预约, 取消预约 and
 * 改约, and 远程取号 on the day. Registers the appointment intents, the `appointment.*` buttons,
 * the one-message booking (a text it takes before the usual understanding) and the location
 * shared to take a number from near the hall.
 */
import { parseWhen } from '../../../appointments/when/parseWhen.js';
import type { ServiceItem } from '../../../catalog/schema.js';
import type { TurnContext } from '../../context.js';
import { action, type Flow, noArgs } from '../../flow.js';
import { bookableItem, isBookingNumber, itemAtHall, localDateArg, minutesArg, optionalBooking, whenFromArgs, type ItemAtHall } from './args.js';
import { bookSlot, offerWhen, showDates, showDay, startBooking } from './booking.js';
import { askCancel, cancel, changeFromText, moveTo, showBooking, showMine, startMove } from './manage.js';
import { bookInOneMessage, startFromIntent } from './oneMessage.js';
import { showQueue, showQueueOrMine, takeTicket, ticketFromLocation } from './ticket.js';

export { startBooking } from './booking.js';

function textOf(ctx: TurnContext): string {
  return ctx.event.content.type === 'text' ? ctx.event.content.text : '';
}

function whenIn(ctx: TurnContext): ReturnType<typeof parseWhen> {
  const text = textOf(ctx);
  return text === '' ? undefined : parseWhen(text, ctx.services.appointments.today(ctx.now), ctx.services.appointments.zone);
}

const byBooking = (run: (ctx: TurnContext, booking: string) => Promise<void>) =>
  action<string>({ parse: (args) => (args.length === 1 && isBookingNumber(args[0]) ? args[0] : undefined), run });

type SlotArgs = ItemAtHall & { date: string; minutes: number; move?: string };

export const appointmentFlow: Flow = {
  name: 'appointment',
  intents: {
    appointment: (ctx) => startFromIntent(ctx, whenIn(ctx)),
    my_appointments: showQueueOrMine,
    cancel_appointment: (ctx) => changeFromText(ctx, textOf(ctx), whenIn(ctx)),
  },
  actions: {
    start: noArgs((ctx) => startFromIntent(ctx)),
    mine: noArgs(showMine),
    item: action<ServiceItem>({ parse: ([code], services) => bookableItem(services, code), run: (ctx, item) => startBooking(ctx, item) }),
    hall: action<ItemAtHall & { when?: ReturnType<typeof parseWhen> }>({
      parse([code, hall, date, time, part], services) {
        const found = itemAtHall(services, code, hall);
        const when = whenFromArgs(date, time, part);
        return found && when ? { ...found, ...(when.when ? { when: when.when } : {}) } : undefined;
      },
      run: (ctx, { item, service, when }) => (when ? offerWhen(ctx, item, service, when) : showDates(ctx, item, service)),
    }),
    dates: action<ItemAtHall & { move?: string }>({
      parse([code, hall, move], services) {
        const found = itemAtHall(services, code, hall);
        const moving = optionalBooking(move);
        return found && moving ? { ...found, ...(moving.move ? { move: moving.move } : {}) } : undefined;
      },
      run: (ctx, { item, service, move }) => showDates(ctx, item, service, move),
    }),
    day: action<ItemAtHall & { date: string; from?: number; move?: string }>({
      parse([code, hall, date, from, move], services) {
        const found = itemAtHall(services, code, hall);
        const day = localDateArg(date);
        const start = from ? minutesArg(from) : undefined;
        const moving = optionalBooking(move);
        if (!found || !day || !moving || (from && start === undefined)) return undefined;
        return { ...found, date: day, ...(start !== undefined ? { from: start } : {}), ...(moving.move ? { move: moving.move } : {}) };
      },
      run: (ctx, { item, service, date, from, move }) => showDay(ctx, item, service, date, from, move),
    }),
    book: action<SlotArgs>({
      parse([code, hall, date, time, move], services) {
        const found = itemAtHall(services, code, hall);
        const day = localDateArg(date);
        const minutes = minutesArg(time);
        const moving = optionalBooking(move);
        if (!found || !day || minutes === undefined || !moving) return undefined;
        return { ...found, date: day, minutes, ...(moving.move ? { move: moving.move } : {}) };
      },
      run: (ctx, { item, service, date, minutes, move }) => (move ? moveTo(ctx, move, service, date, minutes) : bookSlot(ctx, item, service, date, minutes)),
    }),
    show: byBooking(showBooking),
    cancel: byBooking(askCancel),
    cancel_confirmed: byBooking(cancel),
    move: byBooking((ctx, booking) => startMove(ctx, booking)),
    ticket: byBooking((ctx, booking) => takeTicket(ctx, booking)),
    queue: byBooking(showQueue),
  },
  awaiting: bookInOneMessage,
  location: ticketFromLocation,
};

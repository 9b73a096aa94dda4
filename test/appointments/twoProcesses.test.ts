/**
 * Never more bookings than seats, across processes: two bot processes on one store (as `npm run
 * mongo` runs it), citizens' taps arriving at both at once. 200 citizens book one slot of 10
 * seats; then 100 reschedules into a full slot and cancels, mixed. Whatever the interleaving,
 * each slot holds exactly the bookings that name it, never more than its seats, and every
 * citizen is told what happened to their booking.
 */
import { expect } from 'chai';
import type { Db } from 'mongodb';
import { HallCalendar, type Service } from '../../src/appointments/calendar/hallCalendar.js';
import { formatClock, localDateOf } from '../../src/appointments/calendar/localTime.js';
import { NationalCalendar } from '../../src/appointments/calendar/nationalCalendar.js';
import { loadAppointmentContent } from '../../src/appointments/content/load.js';
import type { ReceivedMessage, Simulator } from '../../src/channels/simulator/index.js';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { startTwoBots, type TwoBots } from '../support/twoBots.js';
import { INTENTS, testCatalog, ZONE } from './support.js';

const POSTBACK_SECRET = 'two-process-postbacks';
const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';
const codec = new PostbackCodec(POSTBACK_SECRET);


function textOf(message: ReceivedMessage): string {
  return message.parts.flatMap((part) => {
    if (part.kind === 'text') return [part.text];
    if (part.kind !== 'card') return [];
    const content = part.card.message;
    return 'generalPurposeCard' in content ? [`${content.generalPurposeCard.content.title ?? ''}\n${content.generalPurposeCard.content.description ?? ''}`] : [];
  }).join('\n');
}

/** The next weekday's slots of 出入境 at the main hall (10 seats each), seen from now. */
function slotsAhead(): { service: Service; date: string; times: string[] } {
  const calendar = new HallCalendar(loadAppointmentContent(INTENTS, testCatalog()), NationalCalendar.load());
  const service = calendar.serviceAt('passport-apply', 'ns-main') as Service;
  const today = localDateOf(new Date(), ZONE);
  const date = calendar.horizon(service.hall, today).find((day) => day > today && calendar.slotStarts(service, day).length >= 10) as string;
  return { service, date, times: calendar.slotStarts(service, date).map(formatClock) };
}

describe('bookings across two bot processes on one store', function () {
  this.timeout(240_000);
  let two: TwoBots;
  let simulator: Simulator;
  let db: Db;
  const { date, times } = slotsAhead();
  const slotX = `ns-main|exit-entry|${date}|${times[0]}`;

  before(async () => {
    two = await startTwoBots({ callbackToken: 'two-process-appointments', env: { POSTBACK_SECRET, SEND_RATE: '2000' } });
    ({ simulator, db } = two);
  });
  after(async () => two?.close());

  const user = (n: number): string => `tel:+8613600${String(n).padStart(6, '0')}`;

  /** A tap on a button carrying `data`, as the platform would call back, to one of the two processes. */
  function tap(n: number, data: string): Promise<{ status: number }> {
    const reply = { response: { reply: { displayText: '按钮', postback: { data } } } };
    return two.post(n % 2, user(n), { contentType: SUGGESTION_RESPONSE, contentText: JSON.stringify(reply) }, { conversationId: `c-${n}` });
  }

  /** Every user's replies after `seen` each had, waiting until each has one more. */
  async function answers(ns: number[], seen: Map<number, number>): Promise<Map<number, string>> {
    await simulator.waitForMessages(() => ns.every((n) => simulator.received(user(n)).length > (seen.get(n) ?? 0)), 120_000);
    return new Map(ns.map((n) => [n, textOf(simulator.received(user(n))[seen.get(n) ?? 0] as ReceivedMessage)]));
  }

  const book = (time: string, move = ''): string => codec.encode('appointment.book', 'passport-apply', 'ns-main', date, time, move);

  async function expectSeatsMatchBookings(): Promise<void> {
    const slots = await db.collection<{ _id: string; holders: Array<{ booking: string }> }>('appointmentSlots').find({ date }).toArray();
    for (const slot of slots) {
      const booked = await db.collection('appointments').countDocuments({ slotId: slot._id, status: 'booked' });
      expect(slot.holders.length, `seats held in ${slot._id}`).to.equal(booked);
      expect(slot.holders.length, `seats of ${slot._id}`).to.be.at.most(10);
    }
  }

  it('200 citizens at once for a slot of 10 seats: exactly 10 booked, 190 told politely it is full', async () => {
    const citizens = Array.from({ length: 200 }, (_, n) => n);
    const statuses = await Promise.all(citizens.map((n) => tap(n, book(times[0] as string))));
    expect(statuses.every((answer) => answer.status === 200)).to.equal(true);
    const replies = [...(await answers(citizens, new Map())).values()];
    expect(replies.filter((text) => text.startsWith('预约成功 · 普通护照申领'))).to.have.length(10);
    expect(replies.filter((text) => text.includes('这个时段的号刚刚被约满了'))).to.have.length(190);
    const slot = await db.collection<{ holders: unknown[] }>('appointmentSlots').findOne({ _id: slotX as never });
    expect(slot?.holders).to.have.length(10);
    expect(await db.collection('appointments').countDocuments({ slotId: slotX, status: 'booked' })).to.equal(10);
  });

  it('100 reschedules into that full slot and cancels at once: no seat given twice, no booking lost', async () => {
    const holders = (await db.collection<{ userId: string }>('appointments').find({ slotId: slotX, status: 'booked' }).toArray()).map((booking) => Number(booking.userId.slice(-6)));
    const others = Array.from({ length: 200 }, (_, n) => n).filter((n) => !holders.includes(n)).slice(0, 90);
    // The 90 others book the next nine slots of the day, ten to a slot.
    const seen = new Map<number, number>(others.map((n) => [n, simulator.received(user(n)).length]));
    await Promise.all(others.map((n, index) => tap(n, book(times[1 + Math.floor(index / 10)] as string))));
    const booked = await answers(others, seen);
    expect([...booked.values()].every((text) => text.startsWith('预约成功'))).to.equal(true);

    const bookingOf = new Map((await db.collection<{ _id: string; userId: string }>('appointments').find({ date, status: 'booked' }).toArray()).map((booking) => [Number(booking.userId.slice(-6)), booking._id]));
    const cancelling = [...holders.slice(0, 5), ...others.slice(50)];
    const moving = others.slice(0, 50);
    const mixed = [...cancelling, ...moving];
    for (const n of mixed) seen.set(n, simulator.received(user(n)).length);
    await Promise.all([
      ...cancelling.map((n) => tap(n, codec.encode('appointment.cancel_confirmed', bookingOf.get(n) as string))),
      ...moving.map((n) => tap(n, book(times[0] as string, bookingOf.get(n)))),
    ]);
    const replies = await answers(mixed, seen);
    for (const n of cancelling) expect(replies.get(n), `citizen ${n} cancelled`).to.contain('已取消');
    const moved = moving.filter((n) => replies.get(n)?.startsWith('改约成功'));
    const refused = moving.filter((n) => replies.get(n)?.includes('这个时段的号刚刚被约满了'));
    expect(moved.length + refused.length, 'every rescheduler told one or the other').to.equal(moving.length);
    expect(moved.length, 'only the seats freed by cancels').to.be.at.most(5);

    const bookings = new Map((await db.collection<{ _id: string; slotId: string; status: string }>('appointments').find({ date }).toArray()).map((booking) => [booking._id, booking]));
    for (const n of moved) expect(bookings.get(bookingOf.get(n) as string)?.slotId).to.equal(slotX);
    for (const n of refused) {
      const kept = bookings.get(bookingOf.get(n) as string);
      expect([kept?.status, kept?.slotId], `citizen ${n} keeps the old booking`).to.deep.equal(['booked', `ns-main|exit-entry|${date}|${times[1 + Math.floor(others.indexOf(n) / 10)]}`]);
    }
    await expectSeatsMatchBookings();
    expect(await db.collection('appointments').countDocuments({ slotId: slotX, status: 'booked' })).to.equal(5 + moved.length);
  });
});

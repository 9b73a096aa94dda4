/**
 * One send rate for a chatbot, whatever the number of processes: senders of two processes
 * together keep it (each alone would send at the whole rate); replies keep priority over campaign
 * traffic, so a reply waits for no campaign; and a slot's capacity adds up exactly to the rate.
 */
import { expect } from 'chai';
import type { Connection } from 'mongoose';
import { pino } from 'pino';
import { createOutbox, type Outbox } from '../../src/outbox/index.js';
import { SharedPacer, type SendPacer } from '../../src/outbox/pacer.js';
import { SharedRate } from '../../src/ratelimit/sharedRate.js';
import { RateSlots, slotCapacity } from '../../src/ratelimit/slots.js';
import { OutboundHarness, PLATFORM_ID, text } from './harness.js';

const log = pino({ level: 'silent' });

/** The shared pace of a process, noting when each send was let go (what the limiter decides, before any network delay). */
class RecordingPacer implements SendPacer {
  constructor(
    private readonly inner: SharedPacer,
    readonly granted: number[],
  ) {}

  async pace(document: Parameters<SendPacer['pace']>[0]): Promise<void> {
    await this.inner.pace(document);
    this.granted.push(Date.now());
  }
}

/** What one bot process has: its own connection, outbox and shared-rate client. */
async function processOn(harness: OutboundHarness, rate: number, granted: number[] = [], replyReserve = 0.1): Promise<{ connection: Connection; outbox: Outbox; pacer: SendPacer }> {
  const connection = await harness.connect();
  const slots = new RateSlots(connection, 100);
  await slots.init();
  const outbox = createOutbox(connection, { defaultPlatformId: PLATFORM_ID });
  return { connection, outbox, pacer: new RecordingPacer(new SharedPacer(new SharedRate(slots, { replyReserve }, log), () => rate), granted) };
}

/** Messages per second between the first and the last of `times`. */
function averageRate(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return ((sorted.length - 1) * 1000) / ((sorted.at(-1) as number) - (sorted[0] as number));
}

/** Sends one message through each sender first: the access token is fetched before anything is timed. */
async function warmUp(harness: OutboundHarness, outboxes: Outbox[]): Promise<void> {
  const ids = await Promise.all(outboxes.map((outbox, index) => outbox.enqueue(text(`tel:+86136000000${index}`, 'warm-up'))));
  await harness.waitForStatus(ids, ['sent', 'delivered', 'displayed'], 10_000);
}

/** The most messages the platform accepted in any one second. */
function busiestSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; end < sorted.length; end++) {
    while ((sorted[end] as number) - (sorted[start] as number) >= 1000) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('one send rate for a chatbot over every process', function () {
  this.timeout(60_000);
  let harness: OutboundHarness;

  afterEach(() => harness.close());

  it('holds for two processes sending at once: 120 messages at 40/s take 3 s, never more than 40 let go in a second', async () => {
    harness = await new OutboundHarness({ tuning: { pollMs: 20 } }).start('shared_rate');
    const granted: number[] = [];
    const one = await processOn(harness, 40, granted);
    const two = await processOn(harness, 40, granted);
    harness.startSender(one.connection, one.outbox, one.pacer);
    harness.startSender(two.connection, two.outbox, two.pacer);
    await warmUp(harness, [one.outbox, two.outbox]);
    const started = Date.now();
    granted.length = 0;
    const ids = await Promise.all(Array.from({ length: 120 }, (_, index) => harness.outbox.enqueue(text(`tel:+861390000${String(index).padStart(4, '0')}`, `m${index}`))));
    await harness.waitForStatus(ids, ['sent', 'delivered', 'displayed'], 20_000);
    const elapsed = Date.now() - started;
    const times = harness.simulator.received().filter((message) => ids.includes(message.messageId)).map((message) => message.receivedAt.getTime());
    expect(elapsed, 'two processes each at 40/s would take 1.5 s').to.be.at.least(2_700);
    expect(averageRate(times)).to.be.within(36, 42);
    // What the processes let go keeps to the rate (a slot's 4 may straddle a second's edge) …
    expect(busiestSecond(granted)).to.be.at.most(44);
    // … and the platform sees the same, give or take the network's jitter.
    expect(busiestSecond(times)).to.be.at.most(50);
    expect(harness.simulator.stats().accepted).to.equal(122);
  });

  it('gives replies priority: a reply goes out at once while a campaign fills the rate, and the campaign keeps to its share', async () => {
    harness = await new OutboundHarness({ tuning: { pollMs: 20 } }).start('reply_priority');
    const proc = await processOn(harness, 30);
    harness.startSender(proc.connection, proc.outbox, proc.pacer);
    await warmUp(harness, [proc.outbox]);
    const campaign = '5d0e6c2a-1111-4222-8333-944455556666';
    const bulk = await Promise.all(Array.from({ length: 150 }, (_, index) => proc.outbox.enqueue(text(`tel:+861380000${String(index).padStart(4, '0')}`, `c${index}`), { campaignId: campaign })));
    await harness.simulator.waitForMessages(40, 10_000);
    const delays: number[] = [];
    for (let round = 0; round < 5; round++) {
      const enqueued = Date.now();
      const id = await proc.outbox.enqueue(text(`tel:+86137000000${round}`, `reply ${round}`));
      await harness.simulator.waitForMessages((all) => all.some((message) => message.messageId === id), 5_000);
      delays.push(Date.now() - enqueued);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const bulkBefore = (await proc.outbox.model.countDocuments({ _id: { $in: bulk }, status: { $in: ['sent', 'delivered', 'displayed'] } })) as number;
    expect(Math.max(...delays), `reply delays ${delays.join(', ')} ms`).to.be.below(250);
    expect(bulkBefore, 'the campaign was still sending meanwhile').to.be.below(150);
    // The campaign's share: 90 % of 30/s (the replies took a few more).
    await harness.waitForStatus(bulk, ['sent', 'delivered', 'displayed'], 20_000);
    const times = harness.simulator
      .received()
      .filter((message) => bulk.includes(message.messageId))
      .map((message) => message.receivedAt.getTime());
    expect(averageRate(times)).to.be.within(24, 28.5);
  });

  it('keeps each platform to its own rate without slowing another', async () => {
    harness = await new OutboundHarness().start('platform_rates');
    const slots = new RateSlots(harness.connection, 100);
    await slots.init();
    const shared = new SharedRate(slots, { replyReserve: 0.1 }, log);
    const pacer = new SharedPacer(shared, (platformId) => (platformId === 'slow' ? 10 : 1000));
    const started = Date.now();
    const fast = Promise.all(Array.from({ length: 20 }, () => pacer.pace({ platformId: 'fast' }))).then(() => Date.now() - started);
    const slow = Promise.all(Array.from({ length: 20 }, () => pacer.pace({ platformId: 'slow' }))).then(() => Date.now() - started);
    expect(await fast, 'the fast platform is not held back').to.be.below(400);
    expect(await slow, '20 at 10/s').to.be.at.least(1_700);
  });

});

describe('a rate cut into slots', () => {
  it('spreads it in whole sends that add up to it exactly', () => {
    for (const rate of [0.5, 3.5, 10, 33.3, 100, 1234]) {
      let total = 0;
      for (let slot = 1_000_000; slot < 1_000_100; slot++) total += slotCapacity(rate, 100, slot);
      expect(total, `${rate}/s over 10 s`).to.be.closeTo(rate * 10, 1);
    }
  });
});

describe('capacity carried over between slots', function () {
  this.timeout(30_000);
  let harness: OutboundHarness;
  let slots: RateSlots;
  const SLOT = 1_000_000;
  const limits = { capacity: 4, reserve: 0 };

  before(async () => {
    harness = await new OutboundHarness().start('carry_over');
    slots = new RateSlots(harness.connection, 100);
    await slots.init();
  });
  after(() => harness.close());

  it('makes up a slot missed while sends were waiting, within the second', async () => {
    expect(await slots.take('missed', SLOT, 4, 'bulk', limits)).to.deep.equal({ granted: 4, enough: false });
    // SLOT + 1: the process was held up and asked for nothing.
    expect((await slots.recent('missed', SLOT + 2, 40, 40)).unused, 'the missed slot’s 4').to.equal(4);
    expect((await slots.recent('missed', SLOT + 11, 40, 40)).unused, 'not after a second').to.equal(0);
  });

  it('carries nothing over a scope that had enough (no burst after it was idle)', async () => {
    const taken = await slots.take('idle', SLOT, 1, 'bulk', limits);
    expect(taken).to.deep.equal({ granted: 1, enough: true });
    await slots.markEnough('idle', SLOT);
    expect((await slots.recent('idle', SLOT + 5, 40, 40)).unused).to.equal(0);
  });

  it('counts what a slot took beyond its own capacity against the next', async () => {
    expect((await slots.take('beyond', SLOT, 8, 'bulk', { capacity: 8, reserve: 0 })).granted).to.equal(8);
    expect((await slots.recent('beyond', SLOT + 1, 40, 40)).unused).to.equal(-4);
  });

  it('gives back a grant that came too late to use, for the slots after it', async () => {
    expect((await slots.take('late', SLOT, 4, 'reply', limits)).granted).to.equal(4);
    await slots.giveBack('late', SLOT, 4, 'reply');
    const recent = await slots.recent('late', SLOT + 1, 40, 36);
    expect(recent).to.deep.include({ unused: 4, replies: 0 });
  });
});

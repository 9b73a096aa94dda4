import { expect } from 'chai';
import { register } from 'prom-client';
import type { OutboundMessage } from '../../src/channels/model.js';
import { OutboundHarness, text } from './harness.js';

const USER = 'tel:+8613900000001';

describe('outbox sender against the simulator', () => {
  let harness: OutboundHarness;

  afterEach(() => harness.close());

  it('sends a card with chips and SMS fallback as the platform expects, and follows it to displayed', async () => {
    harness = await new OutboundHarness().start('sender_card');
    harness.startSender();
    const message: OutboundMessage = {
      userId: USER,
      body: { type: 'card', card: { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' }, content: { title: '居住证', description: '办理说明' } } } } },
      suggestions: [{ reply: { displayText: '预约', postback: { data: 'book' } } }],
      smsFallback: '居住证办理说明',
      trafficType: 'subscription',
      inReplyTo: 'contrib-1',
    };
    const id = await harness.outbox.enqueue(message);
    await harness.waitForStatus([id], ['displayed']);
    const [received] = harness.simulator.received(USER);
    expect(received?.messageId).to.equal(id);
    expect(received?.parts.map((part) => part.kind)).to.deep.equal(['card', 'chips']);
    expect(received?.smsContent).to.equal('居住证办理说明');
    expect(received?.inReplyTo).to.equal('contrib-1');
    expect(received?.trafficType).to.equal('subscription');
    const stored = await harness.outbox.find(id);
    expect(stored?.sentAt).to.be.instanceOf(Date);
    expect(stored?.deliveredAt).to.be.instanceOf(Date);
    expect(stored?.displayedAt).to.be.instanceOf(Date);
  });

  it('sends a composed message as its composer makes it, and keeps only what it is made from', async () => {
    harness = await new OutboundHarness({ tuning: { backoff: { baseMs: 20, maxMs: 50, maxAttempts: 15 } } }).start('sender_composed');
    harness.startSender();
    const composed = { by: 'greeting', data: { name: '星河科技' } };
    const id = await harness.outbox.enqueueComposed({ userId: USER }, composed, { campaignId: 'c-1' });
    const broken = await harness.outbox.enqueueComposed({ userId: 'tel:+8613900000002' }, { by: 'broken', data: {} }, { campaignId: 'c-1' });
    // Not yet registered (a process still starting): the message waits and is sent once it is.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(harness.simulator.received(USER)).to.deep.equal([]);
    harness.outbox.composeWith('greeting', (document) => text(document.userId, `您好，${String(document.composed.data.name)}`));
    harness.outbox.composeWith('broken', () => {
      throw new Error('template gone');
    });
    await harness.waitForStatus([id], ['sent', 'delivered', 'displayed']);
    const [received] = harness.simulator.received(USER);
    expect(received?.parts).to.deep.include({ kind: 'text', text: '您好，星河科技' });
    const stored = await harness.outbox.find(id);
    expect(stored).to.not.have.property('message');
    expect(stored?.composed).to.deep.equal(composed);
    await harness.waitForStatus([broken], ['failed']);
    expect((await harness.outbox.find(broken))?.lastError).to.equal('its message cannot be made: template gone');
  });

  it('counts sends, reports and send latency on the metrics register', async () => {
    const before = await register.getSingleMetric('rcs_outbound_messages_total')?.get();
    const sentBefore = before?.values.find((value) => value.labels.status === 'sent')?.value ?? 0;
    harness = await new OutboundHarness().start('sender_metrics');
    harness.startSender();
    const id = await harness.outbox.enqueue(text(USER, 'counted'));
    await harness.waitForStatus([id], ['displayed']);
    const after = await register.getSingleMetric('rcs_outbound_messages_total')?.get();
    expect(after?.values.find((value) => value.labels.status === 'sent')?.value).to.equal(sentBefore + 1);
    const exposition = await register.metrics();
    expect(exposition).to.match(/rcs_delivery_reports_total\{status="displayed"\} [1-9]/);
    expect(exposition).to.match(/rcs_outbound_send_duration_seconds_count\{outcome="accepted"\} [1-9]/);
    expect(exposition).to.contain('rcs_outbox_queue_depth');
  });

  it('stores one message for one dedupe key', async () => {
    harness = await new OutboundHarness().start('sender_dedupe');
    const first = await harness.outbox.enqueue(text(USER, 'once'), { dedupeKey: 'turn-1:0' });
    const second = await harness.outbox.enqueue(text(USER, 'once'), { dedupeKey: 'turn-1:0' });
    expect(second).to.equal(first);
    expect(await harness.outbox.model.countDocuments({})).to.equal(1);
  });

  it('delivers every message exactly once through 5xx, busy, timeouts, lost answers, 30003 and 42001, in each user’s order', async () => {
    harness = await new OutboundHarness().start('sender_faults');
    harness.simulator.injectFailures({ serverErrors: 4, busy: 2, timeouts: 2, lostResponses: 2, rateLimited: 4, tokenExpired: 2 });
    harness.startSender();
    const users = ['tel:+8613900000011', 'tel:+8613900000012', 'tel:+8613900000013', 'tel:+8613900000014'];
    const ids: string[] = [];
    for (let index = 0; index < 10; index++) {
      for (const user of users) ids.push(await harness.outbox.enqueue(text(user, `${user} #${index}`)));
    }
    await harness.waitForStatus(ids, ['sent', 'delivered', 'displayed'], 15_000);
    for (const user of users) {
      expect(harness.textsFor(user)).to.deep.equal(Array.from({ length: 10 }, (_, index) => `${user} #${index}`));
    }
    const stats = harness.simulator.stats();
    expect(stats.accepted).to.equal(40);
    expect(stats.rejected).to.include({ '-2': 4, '-1': 2, '30003': 4, '42001': 2 });
    expect(harness.simulator.received()).to.have.length(40);
  });

  it('on 42001 fetches a new token once and sends again at once', async () => {
    harness = await new OutboundHarness().start('sender_token');
    harness.startSender();
    const first = await harness.outbox.enqueue(text(USER, 'before'));
    await harness.waitForStatus([first], ['sent', 'delivered', 'displayed']);
    harness.simulator.injectFailures({ tokenExpired: 1 });
    const second = await harness.outbox.enqueue(text(USER, 'after'));
    await harness.waitForStatus([second], ['sent', 'delivered', 'displayed']);
    const stats = harness.simulator.stats();
    expect(stats.tokenRequests).to.equal(2);
    expect(stats.messageCalls).to.equal(3);
    expect((await harness.outbox.find(second))?.attempts).to.equal(1);
    expect(harness.textsFor(USER)).to.deep.equal(['before', 'after']);
  });

  it('holds a user’s later messages behind one waiting for a retry, without holding up other users', async () => {
    harness = await new OutboundHarness({ tuning: { concurrency: 2 } }).start('sender_backlog');
    const waiting = await harness.outbox.enqueue(text(USER, 'first'));
    await harness.outbox.model.updateOne({ _id: waiting }, { $set: { nextAttemptAt: new Date(Date.now() + 3_600_000), attempts: 1 } });
    for (let index = 0; index < 30; index++) await harness.outbox.enqueue(text(USER, `later ${index}`));
    const other = await harness.outbox.enqueue(text('tel:+8613900000099', 'someone else'));
    harness.startSender();
    await harness.waitForStatus([other], ['sent', 'delivered', 'displayed']);
    expect(harness.simulator.received(USER)).to.have.length(0);
    expect(await harness.outbox.model.countDocuments({ userId: USER, status: 'queued' })).to.equal(31);
  });

  it('marks a message refused for its content as failed with the reason, without retrying it', async () => {
    harness = await new OutboundHarness().start('sender_permanent');
    harness.simulator.injectFailures({ rejections: { errorCode: 60001, count: 1 } });
    harness.startSender();
    const id = await harness.outbox.enqueue(text(USER, 'bad'));
    await harness.waitForStatus([id], ['failed']);
    const stored = await harness.outbox.find(id);
    expect(stored?.errorCode).to.equal(60001);
    expect(stored?.lastError).to.match(/60001/);
    expect(stored?.attempts).to.equal(1);
    expect(harness.simulator.stats().messageCalls).to.equal(1);
  });

  it('fails a message for an unknown number from the delivery report', async () => {
    harness = await new OutboundHarness({ simulator: { unknownNumbers: [USER] } }).start('sender_unknown');
    harness.startSender();
    const id = await harness.outbox.enqueue(text(USER, 'hello'));
    await harness.waitForStatus([id], ['failed']);
    expect((await harness.outbox.find(id))?.errorCode).to.equal(1);
  });

  it('keeps to SEND_RATE: 60 messages at 40/s take 1.4 s and never meet the platform limit of 50/s', async () => {
    // Headroom over the bucket's own burst (4) absorbs the network jitter between start and arrival.
    harness = await new OutboundHarness({ sendRate: 40, simulator: { rateLimitPerSecond: 50 } }).start('sender_rate');
    harness.startSender();
    const started = Date.now();
    const ids = await Promise.all(Array.from({ length: 60 }, (_, index) => harness.outbox.enqueue(text(`tel:+86139000001${String(index).padStart(2, '0')}`, `m${index}`))));
    await harness.waitForStatus(ids, ['sent', 'delivered', 'displayed'], 10_000);
    const elapsed = Date.now() - started;
    expect(harness.simulator.stats().rejected['30003'] ?? 0).to.equal(0);
    expect(elapsed).to.be.greaterThan(1300);
  });

  it('two senders on one database never send one message twice, and share one token', async () => {
    harness = await new OutboundHarness().start('sender_two');
    const secondConnection = await harness.connect();
    harness.startSender();
    harness.startSender(secondConnection, undefined);
    const ids: string[] = [];
    for (let index = 0; index < 60; index++) ids.push(await harness.outbox.enqueue(text(`tel:+86139000002${index % 6}`, `m${index}`)));
    await harness.waitForStatus(ids, ['sent', 'delivered', 'displayed'], 10_000);
    const stats = harness.simulator.stats();
    expect(stats.accepted).to.equal(60);
    expect(stats.duplicates).to.equal(0);
    expect(stats.messageCalls).to.equal(60);
    expect(stats.tokenRequests).to.equal(1);
  });

  it('stops only after the sends in flight are recorded', async () => {
    harness = await new OutboundHarness({ simulator: { latencyMs: 300 } }).start('sender_stop');
    const sender = harness.startSender();
    const id = await harness.outbox.enqueue(text(USER, 'in flight'));
    while ((await harness.outbox.find(id))?.status !== 'sending') await new Promise((resolve) => setTimeout(resolve, 10));
    await sender.stop();
    expect((await harness.outbox.find(id))?.status).to.be.oneOf(['sent', 'delivered', 'displayed']);
    const later = await harness.outbox.enqueue(text(USER, 'after stop'));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await harness.outbox.find(later))?.status).to.equal('queued');
  });

  it('sends a message whose sender died mid-send once its lease runs out', async () => {
    harness = await new OutboundHarness({ tuning: { maintenanceMs: 50 } }).start('sender_lease');
    const id = await harness.outbox.enqueue(text(USER, 'orphan'));
    await harness.outbox.model.updateOne({ _id: id }, { $set: { status: 'sending', claimedBy: 'gone', leaseUntil: new Date(Date.now() - 1000), attempts: 1 } });
    harness.startSender();
    await harness.waitForStatus([id], ['sent', 'delivered', 'displayed']);
    expect(harness.textsFor(USER)).to.deep.equal(['orphan']);
  });
});

import { expect } from 'chai';
import { outboundOf } from '../../src/outbox/model.js';
import { createOutbox } from '../../src/outbox/index.js';
import { OutboundHarness, text } from './harness.js';

const USER = 'tel:+8613900000002';

describe('enqueueing outbox messages', () => {
  let harness: OutboundHarness;

  afterEach(() => harness.close());

  it('stores enqueues made together once each; a repeated dedupe key among them fails none', async () => {
    harness = await new OutboundHarness().start('enqueue_together');
    const keys = ['turn-1:0', 'turn-2:0', 'turn-1:0', 'turn-3:0', 'turn-2:0'];
    const ids = await Promise.all(keys.map((key, index) => harness.outbox.enqueue(text(`tel:+86139000001${index}`, key), { dedupeKey: key })));
    expect(ids[2]).to.equal(ids[0]);
    expect(ids[4]).to.equal(ids[1]);
    expect(new Set(ids).size).to.equal(3);
    const stored = await harness.outbox.model.find({}).lean();
    expect(stored.map((document) => outboundOf(document).body).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).to.deep.equal([
      { type: 'text', text: 'turn-1:0' },
      { type: 'text', text: 'turn-2:0' },
      { type: 'text', text: 'turn-3:0' },
    ]);
    for (const document of stored) {
      expect(document.status).to.equal('queued');
      expect(document.createdAt).to.be.instanceOf(Date);
      expect(outboundOf(document)).to.not.have.property('smsFallback');
    }
  });

  it('sends a message enqueued beside a running sender without waiting for its poll, once, with one attempt', async () => {
    harness = await new OutboundHarness({ tuning: { pollMs: 60_000 } }).start('enqueue_direct');
    harness.startSender();
    // The sender's first look at the queue finds it empty; after that only the enqueue wakes it.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const id = await harness.outbox.enqueue(text(USER, 'at once'));
    await harness.waitForStatus([id], ['sent', 'delivered', 'displayed'], 2000);
    expect(harness.textsFor(USER)).to.deep.equal(['at once']);
    const stored = await harness.outbox.find(id);
    expect(stored?.attempts).to.equal(1);
    expect(stored?.claimedBy).to.equal(undefined);
  });

  it('keeps the message as its JSON text, and sends one a document holds as a document (written before)', async () => {
    harness = await new OutboundHarness().start('enqueue_stored_form');
    const id = await harness.outbox.enqueue(text(USER, 'as text'));
    const raw = await harness.outbox.model.collection.findOne({ _id: id as never });
    expect(JSON.parse(String(raw?.message))).to.deep.equal({ ...text(USER, 'as text'), platformId: 'ctcu' });

    const older = 'older-form-message-0001';
    const now = new Date();
    await harness.outbox.model.collection.insertOne({ _id: older as never, platformId: 'ctcu', userId: USER, userKey: `ctcu|${USER}`, seq: 1, message: text(USER, 'as a document'), status: 'queued', attempts: 0, nextAttemptAt: now, createdAt: now, updatedAt: now });
    harness.startSender();
    await harness.waitForStatus([older, id], ['sent', 'delivered', 'displayed']);
    expect(harness.textsFor(USER)).to.deep.equal(['as a document', 'as text']);
  });

  it('keeps a new message behind the user’s earlier one queued by another process', async () => {
    harness = await new OutboundHarness().start('enqueue_behind');
    // Another process queued the user's first message; it waits for a retry an hour away.
    const elsewhere = createOutbox(await harness.connect(), { defaultPlatformId: 'ctcu' });
    const first = await elsewhere.enqueue(text(USER, 'first'));
    await elsewhere.model.updateOne({ _id: first }, { $set: { nextAttemptAt: new Date(Date.now() + 3_600_000), attempts: 1 } });
    harness.startSender();
    const second = await harness.outbox.enqueue(text(USER, 'second'));
    const other = await harness.outbox.enqueue(text('tel:+8613900000098', 'someone else'));
    await harness.waitForStatus([other], ['sent', 'delivered', 'displayed']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(harness.simulator.received(USER)).to.have.length(0);
    const waiting = await harness.outbox.find(second);
    expect(waiting?.status).to.equal('queued');
    expect(waiting?.claimedBy).to.equal(undefined);

    await elsewhere.model.updateOne({ _id: first }, { $set: { nextAttemptAt: new Date() } });
    await harness.waitForStatus([first, second], ['sent', 'delivered', 'displayed']);
    expect(harness.textsFor(USER)).to.deep.equal(['first', 'second']);
  });
});

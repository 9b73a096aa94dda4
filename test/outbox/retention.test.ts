import { expect } from 'chai';
import { OutboundHarness, text } from './harness.js';

const RETENTION_MS = 400;

describe('outbox retention', function () {
  this.timeout(20_000);
  let harness: OutboundHarness;

  before(async () => {
    harness = await new OutboundHarness({ retentionMs: RETENTION_MS, ttlIntervalMs: 100 }).start('outbox_retention');
  });
  after(async () => harness.close());

  it('removes messages a retention period after they left the queue, and never a queued one', async () => {
    const user = 'tel:+8613900000101';
    // Not due for an hour, so it stays queued throughout.
    const waiting = await harness.outbox.enqueue(text(user, 'later'));
    await harness.outbox.model.updateOne({ _id: waiting }, { $set: { nextAttemptAt: new Date(Date.now() + 3_600_000) } });
    const sent = [await harness.outbox.enqueue(text('tel:+8613900000102', 'one')), await harness.outbox.enqueue(text('tel:+8613900000103', 'two'))];
    harness.startSender();
    await harness.waitForStatus(sent, ['displayed']);

    for (const id of sent) {
      const stored = await harness.outbox.find(id);
      const kept = (stored?.expiresAt?.getTime() ?? 0) - (stored?.sentAt?.getTime() ?? 0);
      // Counted from the last status change (the displayed report came a few ms after the send).
      expect(kept, 'expiry after the send').to.be.within(RETENTION_MS, RETENTION_MS + 300);
    }
    expect((await harness.outbox.find(waiting))?.expiresAt).to.equal(undefined);

    const deadline = Date.now() + 10_000;
    while ((await harness.outbox.model.countDocuments({ _id: { $in: sent } })) > 0) {
      if (Date.now() > deadline) throw new Error('sent messages were not removed after the retention period');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await harness.outbox.find(waiting))?.status).to.equal('queued');
  });
});

describe('outbox retention, to the millisecond', function () {
  this.timeout(20_000);
  const DAY_MS = 24 * 3_600_000;
  const RETENTION = 10 * DAY_MS;
  let harness: OutboundHarness;

  // Delivery reports are held back (a long report delay) so each status change is the test's own.
  before(async () => {
    harness = await new OutboundHarness({ retentionMs: RETENTION, simulator: { reportDelayMs: 60_000 } }).start('outbox_retention_exact');
    harness.startSender();
  });
  after(async () => harness.close());

  it('keeps a sent message exactly the retention period from the moment it was sent', async () => {
    const id = await harness.outbox.enqueue(text('tel:+8613900000201', 'sent'));
    await harness.waitForStatus([id], ['sent']);
    const stored = await harness.outbox.find(id);
    expect((stored?.expiresAt?.getTime() ?? 0) - (stored?.sentAt?.getTime() ?? 0)).to.equal(RETENTION);
  });

  it('keeps a failed message exactly the retention period from the moment it failed', async () => {
    harness.simulator.injectFailures({ rejections: { errorCode: 60001, count: 1 } });
    const id = await harness.outbox.enqueue(text('tel:+8613900000202', 'refused'));
    await harness.waitForStatus([id], ['failed']);
    const stored = await harness.outbox.find(id);
    expect((stored?.expiresAt?.getTime() ?? 0) - (stored?.failedAt?.getTime() ?? 0)).to.equal(RETENTION);
  });

  it('restarts the period when a delivery report moves the message on', async () => {
    const id = await harness.outbox.enqueue(text('tel:+8613900000203', 'delivered later'));
    await harness.waitForStatus([id], ['sent']);
    const before = Date.now();
    await harness.outbox.applyDeliveryReports([{ messageId: id, status: 'delivered' }]);
    const after = Date.now();
    const expiresAt = (await harness.outbox.find(id))?.expiresAt?.getTime() ?? 0;
    expect(expiresAt).to.be.within(before + RETENTION, after + RETENTION);
  });
});

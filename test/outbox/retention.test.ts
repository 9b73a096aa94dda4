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
      expect(kept, 'expiry after the send').to.be.within(0, RETENTION_MS + 1_000);
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

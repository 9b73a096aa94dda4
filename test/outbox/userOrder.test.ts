import { expect } from 'chai';
import { OutboundHarness, text } from './harness.js';

const USER = 'tel:+8613900000777';

describe('one user’s messages across two sender processes', function () {
  this.timeout(60_000);
  let harness: OutboundHarness;
  afterEach(() => harness.close());

  it('sends a user’s next message only after the earlier one is done, even while a platform timeout holds it in flight', async () => {
    // Each send takes a while and the first one times out (held by the platform past the client's
    // 1 s timeout): a message stays `sending` in one process long enough for the other to look.
    harness = await new OutboundHarness({ simulator: { latencyMs: 40, stallMs: 1500 }, tuning: { requestTimeoutMs: 1000, pollMs: 10 } }).start('sender_user_order');
    harness.simulator.injectFailures({ timeouts: 1 });
    const second = await harness.connect();
    harness.startSender();
    harness.startSender(second, undefined);
    const ids: string[] = [];
    for (let index = 0; index < 12; index++) ids.push(await harness.outbox.enqueue(text(USER, `#${index}`)));
    await harness.waitForStatus(ids, ['sent', 'delivered', 'displayed'], 40_000);

    expect(harness.textsFor(USER)).to.deep.equal(Array.from({ length: 12 }, (_, index) => `#${index}`));
    const accepted = harness.simulator.received(USER).map((message) => message.receivedAt.getTime());
    const sentAt = await Promise.all(ids.map(async (id) => (await harness.outbox.find(id))?.sentAt?.getTime() ?? 0));
    // Each message reached the platform after the one before it had been recorded as sent.
    for (let index = 1; index < ids.length; index++) expect(accepted[index], `#${index}`).to.be.at.least(sentAt[index - 1] as number);
    expect(harness.simulator.stats().accepted).to.equal(12);
  });
});

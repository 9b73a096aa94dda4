/** Sending to a MaaP gateway: how answers are judged, and delivery through the gateway's failures over real HTTP. */
import { expect } from 'chai';
import { judgeMaapAnswer } from '../../../src/channels/maap/transport.js';
import { encodeException } from '../../../src/channels/maap/codec.js';
import { createMaapTransport } from '../../../src/channels/maap/index.js';
import type { DeliveryStatus } from '../../../src/channels/model.js';
import { startTestBot, type RunningBot } from '../ctcu/botHarness.js';
import { outboundOf } from '../../../src/outbox/model.js';

function answer(status: number, dialect: 'xml' | 'json', kind: 'serviceException' | 'policyException', id: string, text = ''): { status: number; headers: Record<string, string>; text: string } {
  return { status, headers: {}, text: encodeException(dialect, { kind, id, text }).body };
}

describe('MaaP answers judged', () => {
  it('takes any 2xx as accepted', () => {
    expect(judgeMaapAnswer({ status: 201, headers: {}, text: '' })).to.deep.equal({ kind: 'accepted' });
  });

  it('retries rate limiting and server trouble, in either dialect', () => {
    expect(judgeMaapAnswer(answer(403, 'xml', 'policyException', 'POL0009', 'rate'))).to.deep.equal({ kind: 'retry', reason: 'POL0009: rate (HTTP 403)' });
    expect(judgeMaapAnswer(answer(400, 'json', 'serviceException', 'SVC0001', 'service error')).kind).to.equal('retry');
    expect(judgeMaapAnswer({ status: 502, headers: {}, text: '<html>bad gateway</html>' })).to.deep.equal({ kind: 'retry', reason: 'HTTP 502' });
    expect(judgeMaapAnswer({ status: 401, headers: {}, text: '' }).kind).to.equal('retry');
  });

  it('fails a message the gateway refuses for what it is, with the exception as the reason', () => {
    expect(judgeMaapAnswer(answer(400, 'xml', 'serviceException', 'SVC0002', 'Invalid input value'))).to.deep.equal({ kind: 'rejected', reason: 'SVC0002: Invalid input value (HTTP 400)' });
    expect(judgeMaapAnswer(answer(403, 'json', 'policyException', 'POL0003', 'too many addresses')).kind).to.equal('rejected');
    expect(judgeMaapAnswer(answer(400, 'json', 'serviceException', 'SVC4001')).kind).to.equal('rejected');
  });
});

for (const platformId of ['cmcc-xml', 'cmcc-json']) {
  describe(`sending through a MaaP gateway (${platformId})`, function () {
    this.timeout(40_000);
    let bot: RunningBot;
    before(async () => {
      bot = await startTestBot({}, { simulator: { reportDelayMs: 1, stallMs: 300 } });
    });
    after(async () => bot.close());

    async function waitFor(ids: string[], statuses: DeliveryStatus[], timeoutMs = 20_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while ((await bot.outbox.model.countDocuments({ _id: { $in: ids }, status: { $in: statuses } })) < ids.length) {
        if (Date.now() > deadline) throw new Error(`not all of ${ids.length} reached ${statuses.join('/')}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    }

    it('delivers every message once, in each user’s order, through 5xx, busy, lost answers and rate limiting', async () => {
      const platform = bot.simulator.platform(platformId);
      platform.injectFailures({ serverErrors: 3, busy: 2, lostResponses: 2, rateLimited: 3 });
      const users = ['tel:+8613977770001', 'tel:+8613977770002', 'tel:+8613977770003'];
      const ids: string[] = [];
      for (let index = 0; index < 6; index++) {
        for (const user of users) ids.push(await bot.outbox.enqueue({ userId: user, platformId, body: { type: 'text', text: `${user} #${index}` } }));
      }
      await waitFor(ids, ['sent', 'delivered', 'displayed']);
      for (const user of users) {
        const texts = platform.received(user).flatMap((message) => message.parts.flatMap((part) => (part.kind === 'text' ? [part.text] : [])));
        expect(texts).to.deep.equal(Array.from({ length: 6 }, (_, index) => `${user} #${index}`));
      }
      expect(platform.stats().accepted).to.equal(18);
      expect(platform.stats().rejected).to.include({ SVC0001: 5, POL0009: 3 });
    });

    it('fails a message the gateway refuses, with the reason, without retrying it', async () => {
      const platform = bot.simulator.platform(platformId);
      const calls = platform.stats().messageCalls;
      platform.injectFailures({ rejections: { errorCode: 2, count: 1 } });
      const id = await bot.outbox.enqueue({ userId: 'tel:+8613977770009', platformId, body: { type: 'text', text: 'refused' } });
      await waitFor([id], ['failed']);
      const stored = await bot.outbox.find(id);
      expect(stored?.lastError).to.match(/^SVC0002: rejected/);
      expect(stored?.attempts).to.equal(1);
      expect(platform.stats().messageCalls).to.equal(calls + 1);
    });

    it('sends a card with chips as a multipart the gateway reads back exactly, and follows it to displayed', async () => {
      const platform = bot.simulator.platform(platformId);
      const card = { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' as const }, content: { title: '居住证申领 🏠', description: '所需材料' } } } };
      const suggestions = [{ reply: { displayText: '预约办理', postback: { data: 'book' } } }];
      const id = await bot.outbox.enqueue({ userId: 'tel:+8613977770010', platformId, body: { type: 'card', card }, suggestions, smsFallback: '居住证申领' });
      await waitFor([id], ['displayed']);
      const [received] = platform.received('tel:+8613977770010');
      expect(received?.parts).to.deep.equal([
        { kind: 'card', card },
        { kind: 'chips', suggestions },
      ]);
      expect(received?.smsContent).to.equal('居住证申领');
      expect(received?.wire).to.include(`Content-Length: ${Buffer.byteLength(JSON.stringify(card), 'utf8')}`);
    });

    it('delivers to a phone without 5G messaging by SMS, as delivered-by-network', async () => {
      const user = 'tel:+8613977770011';
      bot.simulator.setTerminal(user, 'non5g');
      const id = await bot.outbox.enqueue({ userId: user, platformId, body: { type: 'text', text: '短信回落' }, smsFallback: '短信回落' });
      await waitFor([id], ['deliveredToNetwork']);
      expect(bot.simulator.platform(platformId).reportedStatus(id)).to.equal('DeliveredToSMS');
    });

    it('recalls a message not yet delivered, and records the platform’s answer', async () => {
      const platform = bot.simulator.maap(platformId);
      platform.reportsHeld = true;
      const id = await bot.outbox.enqueue({ userId: 'tel:+8613977770012', platformId, body: { type: 'text', text: '撤回我' } });
      await waitFor([id], ['sent']);
      platform.reportsHeld = false;
      const stored = await bot.outbox.find(id);
      const config = bot.platforms.find((each) => each.id === platformId);
      if (config?.family !== 'maap' || !stored?.message) throw new Error('expected a stored message of a MaaP platform');
      const transport = createMaapTransport({ ...config, serverRoot: bot.simulator.serverRoot });
      expect(await transport.revoke(id, outboundOf(stored))).to.deep.equal({ kind: 'accepted' });
      transport.close();
      await waitFor([id], ['revoked']);
      expect(platform.reportedStatus(id)).to.equal('Revoked');
    });
  });
}

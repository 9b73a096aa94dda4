/**
 * Every inbound content type and every delivery status of the MaaP family, in both dialects, end
 * to end over real HTTP: the simulator plays the China Mobile gateways, the bot (store, inbox,
 * echo bot, outbox, sender, webhooks) runs beside it with the demo platforms.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { MaapSimPlatform, ReceivedMessage } from '../../../src/channels/simulator/index.js';
import type { DeliveryStatus } from '../../../src/channels/model.js';
import { startTestBot, type RunningBot } from '../ctcu/botHarness.js';

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';
const SHARED_CLIENT_DATA = 'application/vnd.gsma.botsharedclientdata.v1.0+json';

function textOf(message: ReceivedMessage | undefined): string {
  return JSON.stringify(message?.parts ?? []);
}

for (const platformId of ['cmcc-xml', 'cmcc-json']) {
  describe(`MaaP end to end (${platformId})`, function () {
    this.timeout(30_000);
    let bot: RunningBot;
    let platform: MaapSimPlatform;
    let next = 0;
    const newUser = (): string => `tel:+86139${platformId === 'cmcc-xml' ? '1' : '2'}${String(1000 + next++).padStart(7, '0')}`;

    before(async () => {
      bot = await startTestBot();
      platform = bot.simulator.maap(platformId);
    });
    after(async () => bot.close());

    async function replyTo(user: string, send: () => Promise<{ status: number; body?: string }>): Promise<ReceivedMessage> {
      const before = platform.received(user).length;
      const answer = await send();
      expect(answer.status, answer.body).to.equal(204);
      await platform.waitForMessages(() => platform.received(user).length > before, 15_000);
      return platform.received(user).at(-1) as ReceivedMessage;
    }

    async function outboxStatus(messageId: string, wanted: DeliveryStatus): Promise<DeliveryStatus | undefined> {
      const deadline = Date.now() + 10_000;
      let status: DeliveryStatus | undefined;
      while (Date.now() < deadline) {
        status = (await bot.outbox.find(messageId))?.status;
        if (status === wanted) return status;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return status;
    }

    it('answers a text with a card, a fallback SMS and the contribution it answers', async () => {
      const user = newUser();
      const contributionId = randomUUID();
      const reply = await replyTo(user, () => platform.sendText(user, '我想办居住证', { contributionId }));
      expect(reply.parts.map((part) => part.kind)).to.deep.equal(['card']);
      expect(textOf(reply)).to.include('我想办居住证');
      expect(reply.smsContent).to.include('我想办居住证');
      expect(reply.inReplyTo).to.equal(contributionId);
    });

    it('answers a base64-encoded text', async () => {
      const user = newUser();
      const contentText = Buffer.from('预约', 'utf8').toString('base64');
      const reply = await replyTo(user, () => platform.sendMessage(user, { contentType: 'text/plain', contentEncoding: 'base64', contentText }));
      expect(textOf(reply)).to.include('预约');
    });

    it('answers a shared geo: location', async () => {
      const user = newUser();
      const contentText = `geo:22.5385,114.0572;crs=gcj02;u=10;rcs-l=${encodeURIComponent('市民中心')}`;
      const reply = await replyTo(user, () => platform.sendMessage(user, { contentType: 'text/plain', contentText }));
      expect(textOf(reply)).to.include('22.5385').and.include('市民中心');
    });

    it('answers a file transfer descriptor', async () => {
      const user = newUser();
      const contentText = JSON.stringify([
        { type: 'thumbnail', url: 'https://f.example/t.jpg', contentType: 'image/jpeg', fileSize: 1000 },
        { type: 'file', url: 'https://f.example/id.jpg', fileName: '身份证.jpg', contentType: 'image/jpeg', fileSize: '151250', until: '2030-01-01T00:00:00Z' },
      ]);
      const reply = await replyTo(user, () => platform.sendMessage(user, { contentType: 'application/vnd.gsma.rcs-ft-http', contentText }));
      expect(textOf(reply)).to.include('身份证.jpg');
    });

    it('answers a tapped suggestion with what was tapped', async () => {
      const user = newUser();
      const contentText = JSON.stringify({ response: { reply: { displayText: '再说一遍', postback: { data: 'echo:again' } } } });
      const reply = await replyTo(user, () => platform.sendMessage(user, { contentType: SUGGESTION_RESPONSE, contentText }));
      expect(textOf(reply)).to.include('再说一遍');
    });

    it('answers shared client data', async () => {
      const user = newUser();
      const contentText = JSON.stringify({ sharedData: { deviceSpecifics: { deviceModel: 'Mate 60', batteryRemainingMinutes: '300' } } });
      const reply = await replyTo(user, () => platform.sendMessage(user, { contentType: SHARED_CLIENT_DATA, contentText }));
      expect(textOf(reply)).to.include('Mate 60');
    });

    it('answers the same messageId sent three times exactly once', async () => {
      const user = newUser();
      const messageId = randomUUID();
      for (let attempt = 0; attempt < 3; attempt++) expect((await platform.sendText(user, '重复三次', { messageId })).status).to.equal(204);
      await replyTo(user, () => platform.sendText(user, 'marker'));
      expect(platform.received(user).filter((message) => textOf(message).includes('重复三次'))).to.have.length(1);
    });

    it('records a spam report, and sends the user nothing more until they write again', async () => {
      const user = newUser();
      const first = await replyTo(user, () => platform.sendText(user, '第一条'));
      const report = `<?xml version="1.0" encoding="UTF-8"?><SR:spam-report xmlns:SR="urn:gsma:params:xml:ns:rcs:rcs:spam-report"><SR:Chatbot>${platform.chatbotId}</SR:Chatbot><SR:Message-ID>${first.messageId}</SR:Message-ID><SR:spam-type>advertising</SR:spam-type><SR:free-text>不要再发了</SR:free-text></SR:spam-report>`;
      const answer = await platform.sendMessage(user, { contentType: 'application/vnd.gsma.rcsspam-report+xml', contentText: report });
      expect(answer.status).to.equal(204);
      const complaint = await bot.complaints.find(`${platformId}|${user}`);
      expect(complaint?.reports[0]).to.deep.include({ messageIds: [first.messageId], spamType: 'advertising', freeText: '不要再发了' });

      const unsolicited = await bot.outbox.enqueue({ userId: user, platformId, body: { type: 'text', text: '通知' } });
      expect(await outboxStatus(unsolicited, 'failed')).to.equal('failed');
      expect((await bot.outbox.find(unsolicited))?.lastError).to.match(/reported spam/);
      expect(platform.received(user)).to.have.length(1);

      const reply = await replyTo(user, () => platform.sendText(user, '我又来了'));
      expect(textOf(reply)).to.include('我又来了');
      // The sender lifts the block once the platform took the reply, which the platform may show first.
      const deadline = Date.now() + 5_000;
      while ((await bot.complaints.find(`${platformId}|${user}`))?.blockedSince !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await bot.complaints.find(`${platformId}|${user}`))?.blockedSince).to.equal(undefined);
    });

    const statuses: Array<[string, DeliveryStatus]> = [
      ['MessageSent', 'sent'],
      ['DeliveredToTerminal', 'delivered'],
      ['MessageDisplayed', 'displayed'],
      ['DeliveredToNetwork', 'deliveredToNetwork'],
      ['DeliveredToSMS', 'deliveredToNetwork'],
      ['DeliverdToSMS', 'deliveredToNetwork'],
      ['DeliveredToVms', 'deliveredToNetwork'],
      ['DeliveryImpossible', 'failed'],
      ['DeliveredToSMSFailed', 'failed'],
      ['DeliveredToVmsFailed', 'failed'],
    ];
    for (const [carrierStatus, expected] of statuses) {
      it(`moves a sent message to ${expected} on ${carrierStatus}`, async () => {
        const user = newUser();
        platform.reportsHeld = true;
        const id = await bot.outbox.enqueue({ userId: user, platformId, body: { type: 'text', text: carrierStatus } });
        expect(await outboxStatus(id, 'sent')).to.equal('sent');
        platform.reportsHeld = false;
        await platform.report(id, carrierStatus, 'UP2');
        expect(await outboxStatus(id, expected)).to.equal(expected);
        if (expected === 'failed') expect((await bot.outbox.find(id))?.lastError).to.equal(`${carrierStatus}: UP2`);
      });
    }

    it('keeps an unknown delivery status on the message without moving it, and answers 204', async () => {
      const user = newUser();
      const reply = await replyTo(user, () => platform.sendText(user, 'status'));
      await outboxStatus(reply.messageId, 'displayed');
      await platform.report(reply.messageId, 'DeliveredToMars');
      const deadline = Date.now() + 5_000;
      while ((await bot.outbox.find(reply.messageId))?.unrecognisedStatus === undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      const stored = await bot.outbox.find(reply.messageId);
      expect(stored?.unrecognisedStatus).to.equal('DeliveredToMars');
      expect(stored?.status).to.equal('displayed');
      expect(platform.stats().callbacksFailed).to.equal(0);
    });
  });
}

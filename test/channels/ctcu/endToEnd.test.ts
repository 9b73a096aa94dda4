import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import type { ReceivedMessage } from '../../../src/channels/simulator/index.js';
import { startTestBot, type RunningBot } from './botHarness.js';

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';

function onlyText(message: ReceivedMessage | undefined): string {
  const part = message?.parts.find((each) => each.kind === 'text');
  return part?.kind === 'text' ? part.text : '';
}

describe('the bot end to end through the platform simulator', function () {
  this.timeout(30_000);
  let bot: RunningBot;
  before(async () => {
    bot = await startTestBot();
  });
  after(async () => bot.close());

  async function replyTo(user: string, send: () => Promise<{ status: number }>): Promise<ReceivedMessage> {
    const before = bot.simulator.received(user).length;
    const answer = await send();
    expect(answer.status).to.equal(200);
    const all = await bot.simulator.waitForMessages(() => bot.simulator.received(user).length > before, 15_000);
    return all.filter((message) => message.user === user).at(-1) as ReceivedMessage;
  }

  it('answers a text with an echo card carrying the text, a fallback SMS and inReplyTo', async () => {
    const user = 'tel:+8613911110001';
    const contributionId = randomUUID();
    const reply = await replyTo(user, () => bot.simulator.sendText(user, '我想办居住证', { contributionId }));
    const card = reply.parts.find((part) => part.kind === 'card');
    expect(JSON.stringify(card)).to.include('我想办居住证');
    expect(reply.smsContent).to.include('我想办居住证');
    expect(reply.inReplyTo).to.equal(contributionId);
  });

  it('answers a base64-encoded text', async () => {
    const user = 'tel:+8613911110002';
    const contentText = Buffer.from('预约', 'utf8').toString('base64');
    const reply = await replyTo(user, () => bot.simulator.sendMessage(user, { contentType: 'text/plain', contentEncoding: 'base64', contentText }));
    expect(JSON.stringify(reply.parts)).to.include('预约');
  });

  it('answers a tapped suggestion with what was tapped', async () => {
    const user = 'tel:+8613911110003';
    const contentText = JSON.stringify({ response: { reply: { displayText: '再说一遍', postback: { data: 'echo:again' } } } });
    const reply = await replyTo(user, () => bot.simulator.sendMessage(user, { contentType: SUGGESTION_RESPONSE, contentText }));
    expect(onlyText(reply)).to.include('再说一遍');
  });

  it('answers a shared location', async () => {
    const user = 'tel:+8613911110004';
    const contentText = `geo:22.5385,114.0572;crs=gcj02;u=10;rcs-l=${encodeURIComponent('市民中心')}`;
    const reply = await replyTo(user, () => bot.simulator.sendMessage(user, { contentType: 'text/plain', contentText }));
    expect(onlyText(reply)).to.include('22.5385').and.include('市民中心');
  });

  it('answers a file transfer', async () => {
    const user = 'tel:+8613911110005';
    const contentText = JSON.stringify([
      { type: 'thumbnail', url: 'https://f.example/t.jpg', fileName: 't.jpg', contentType: 'image/jpeg', fileSize: 1000 },
      { type: 'file', url: 'https://f.example/id.jpg', fileName: 'id.jpg', contentType: 'image/jpeg', fileSize: 90000 },
    ]);
    const reply = await replyTo(user, () => bot.simulator.sendMessage(user, { contentType: 'application/vnd.gsma.rcs-ft-http', contentText }));
    expect(onlyText(reply)).to.include('id.jpg');
  });

  it('answers shared device data', async () => {
    const user = 'tel:+8613911110006';
    const contentText = JSON.stringify({ sharedData: { deviceSpecifics: { deviceModel: 'Mate 60', clientVendor: 'HW' } } });
    const reply = await replyTo(user, () => bot.simulator.sendMessage(user, { contentType: 'application/vnd.gsma.botsharedclientdata.v1.0+json', contentText }));
    expect(onlyText(reply)).to.include('Mate 60');
  });

  it('answers the same messageId sent three times exactly once', async () => {
    const user = 'tel:+8613911110007';
    const messageId = randomUUID();
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await bot.simulator.sendText(user, '重复三次', { messageId })).status).to.equal(200);
    }
    await bot.simulator.waitForMessages(() => bot.simulator.received(user).length >= 1, 15_000);
    await bot.simulator.sendText(user, 'marker');
    await bot.simulator.waitForMessages(() => bot.simulator.received(user).length >= 2, 15_000);
    const texts = bot.simulator.received(user).map((message) => JSON.stringify(message.parts));
    expect(texts.filter((text) => text.includes('重复三次'))).to.have.length(1);
  });

  it('follows delivery reports into the outbox, up to displayed', async () => {
    const user = 'tel:+8613911110008';
    const reply = await replyTo(user, () => bot.simulator.sendText(user, 'delivery'));
    const deadline = Date.now() + 15_000;
    let status: string | undefined;
    while (Date.now() < deadline) {
      status = (await bot.outbox.find(reply.messageId))?.status;
      if (status === 'displayed') break;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).to.equal('displayed');
  });

  it('blocks the user of a message reported in an rcsspam notice until they write again', async () => {
    const user = 'tel:+8613911110009';
    const reply = await replyTo(user, () => bot.simulator.sendText(user, 'before the complaint'));
    const notice = await bot.simulator.postRaw(`/notifyInfoNotification/${encodeURIComponent(bot.platforms[0]?.chatbotId ?? '')}/notice/rcsspam`, { messageId: [reply.messageId], spamType: 'ad' });
    expect(notice.status).to.equal(200);
    const unsolicited = await bot.outbox.enqueue({ userId: user, platformId: 'ctcu', body: { type: 'text', text: 'news' } });
    const deadline = Date.now() + 10_000;
    while ((await bot.outbox.find(unsolicited))?.status !== 'failed' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await bot.outbox.find(unsolicited))?.lastError).to.match(/reported spam/);
    const answer = await replyTo(user, () => bot.simulator.sendText(user, 'after the complaint'));
    expect(JSON.stringify(answer.parts)).to.include('after the complaint');
  });

  it('reports ready, with the store and the turn handler', async () => {
    const response = await fetch(`${bot.url}/readyz`);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.equal({ ready: true, checks: { store: true, turnHandler: true } });
  });
});

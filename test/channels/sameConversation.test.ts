/**
 * One bot, three chatbots (CT/CU, China Mobile XML, China Mobile JSON): the same conversation
 * over each carrier gives the same cards, and the same number on two platforms is two users.
 */
import { expect } from 'chai';
import type { ReceivedMessage, ReceivedPart } from '../../src/channels/simulator/index.js';
import { userKey } from '../../src/channels/identity.js';
import { startTestBot, type RunningBot } from './ctcu/botHarness.js';

const SUGGESTION_RESPONSE = 'application/vnd.gsma.botsuggestion.response.v1.0+json';
const PLATFORMS = ['ctcu', 'cmcc-xml', 'cmcc-json'];

describe('one bot on several platforms', function () {
  this.timeout(60_000);
  let bot: RunningBot;
  before(async () => {
    bot = await startTestBot();
  });
  after(async () => bot.close());

  it('keeps the same number on two platforms as two users, each answered through its own platform', async () => {
    const user = 'tel:+8613966660002';
    await bot.simulator.platform('ctcu').sendText(user, '电信这边');
    await bot.simulator.platform('cmcc-xml').sendText(user, '移动这边');
    await bot.simulator.platform('ctcu').waitForMessages(() => bot.simulator.platform('ctcu').received(user).length === 1, 15_000);
    await bot.simulator.platform('cmcc-xml').waitForMessages(() => bot.simulator.platform('cmcc-xml').received(user).length === 1, 15_000);
    expect(JSON.stringify(bot.simulator.platform('ctcu').received(user)[0]?.parts)).to.include('电信这边').and.not.include('移动这边');
    expect(JSON.stringify(bot.simulator.platform('cmcc-xml').received(user)[0]?.parts)).to.include('移动这边').and.not.include('电信这边');
    const stored = await bot.outbox.model.find({ userId: user }).lean();
    expect(stored.map((document) => [document.platformId, document.userKey]).sort()).to.deep.equal([
      ['cmcc-xml', userKey({ platformId: 'cmcc-xml', userId: user })],
      ['ctcu', userKey({ platformId: 'ctcu', userId: user })],
    ]);
  });

  it('refuses to guess the platform of a message that names none when several are configured', async () => {
    let error: unknown;
    await bot.outbox.enqueue({ userId: 'tel:+8613966660003', body: { type: 'text', text: 'x' } }).catch((caught: unknown) => (error = caught));
    expect(error).to.be.instanceOf(Error).with.property('name', 'NoPlatformError');
  });
});

describe('the conversation on several platforms', function () {
  this.timeout(60_000);
  let bot: RunningBot;
  before(async () => {
    bot = await startTestBot({}, { handler: undefined });
  });
  after(async () => bot.close());

  /** A guide, a tapped button of it, a shared location and thanks (with the rating question): the parts the phone got for each. */
  async function converse(platformId: string, user: string): Promise<ReceivedPart[][]> {
    const platform = bot.simulator.platform(platformId);
    const answered = async (count: number): Promise<void> => {
      await platform.waitForMessages(() => platform.received(user).length >= count, 15_000);
    };
    expect((await platform.sendText(user, '我想办居住证')).status).to.be.oneOf([200, 204]);
    await answered(1);
    const guide = JSON.stringify(platform.received(user)[0]?.parts);
    const materials = /"displayText":"所需材料","postback":\{"data":"([^"]+)"/.exec(guide)?.[1] ?? '';
    const tap = JSON.stringify({ response: { reply: { displayText: '所需材料', postback: { data: materials } } } });
    expect((await platform.sendMessage(user, { contentType: SUGGESTION_RESPONSE, contentText: tap })).status).to.be.oneOf([200, 204]);
    await answered(2);
    expect((await platform.sendMessage(user, { contentType: 'text/plain', contentText: 'geo:22.5251,113.9440;crs=gcj02;u=10' })).status).to.be.oneOf([200, 204]);
    await answered(3);
    expect((await platform.sendText(user, '谢谢 😀')).status).to.be.oneOf([200, 204]);
    await answered(4);
    // The rating question's chips name the question, which is each platform's user's own.
    return platform.received(user).map((message: ReceivedMessage) => JSON.parse(JSON.stringify(message.parts).replace(/1;rating\.give;[^"]+/g, 'rating')) as ReceivedPart[]);
  }

  it('gives the same cards for the same conversation over every carrier', async () => {
    const user = 'tel:+8613966660001';
    const transcripts = [];
    for (const platformId of PLATFORMS) transcripts.push(await converse(platformId, user));
    expect(transcripts[0]).to.have.length(4);
    expect(JSON.stringify(transcripts[0]?.[1])).to.contain('居住证申领 · 所需材料');
    expect(JSON.stringify(transcripts[0]?.[3])).to.contain('请您为本次咨询服务（居住证申领）做个评价');
    expect(transcripts[1]).to.deep.equal(transcripts[0]);
    expect(transcripts[2]).to.deep.equal(transcripts[0]);
  });
});

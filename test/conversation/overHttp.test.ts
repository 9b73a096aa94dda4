/**
 * Conversations over the wire: the bot as `npm start` runs it (embedded store, sender, webhook)
 * and the platform simulator, real HTTP both ways, assertions on what the platform received.
 */
import { expect } from 'chai';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { Phone } from '../support/phone.js';
import { demoApplications } from '../../src/applications/demoApplications.js';
import { loadCatalog } from '../../src/catalog/catalog.js';
import { INTENTS } from './transcript.js';

describe('conversations over HTTP through the platform simulator', function () {
  this.timeout(60_000);
  let bot: RunningBot;
  let users = 0;
  const phone = (): Phone => new Phone(bot, `tel:+861380000${String(++users).padStart(4, '0')}`);

  let startedAt: Date;
  before(async () => {
    startedAt = new Date();
    bot = await startTestBot({}, { handler: undefined });
  });
  after(async () => bot?.close());

  it('guides a citizen: guide → materials → steps forward and back → a follow-up about the same item', async () => {
    const citizen = phone();
    const guide = await citizen.send('孩子刚出生怎么上户口');
    expect(guide.titles).to.deep.equal(['新生儿入户（出生登记）']);
    const materials = await citizen.tap('所需材料', guide);
    expect(materials.titles).to.deep.equal(['新生儿入户（出生登记） · 所需材料']);
    const first = await citizen.tap('办理流程', materials);
    expect(first.titles[0]).to.match(/第 1 步/);
    const second = await citizen.tap('下一步', first);
    expect(second.titles[0]).to.match(/第 2 步/);
    expect((await citizen.tap('上一步', second)).titles[0]).to.match(/第 1 步/);
    expect((await citizen.send('多久能办好')).titles).to.deep.equal(['新生儿入户（出生登记） · 办理时限']);
  });

  it('answers an item and an aspect asked in one message', async () => {
    expect((await phone().send('居住证要带什么材料')).titles).to.deep.equal(['居住证申领 · 所需材料']);
  });

  it('asks which item when it is a close call, and goes on with the chip chosen; 都不是 gets the help', async () => {
    const citizen = phone();
    const choice = await citizen.send('居住证');
    expect(choice.texts).to.deep.equal(['您想办理的是：']);
    expect((await citizen.tap('居住证补领、换领', choice)).titles).to.deep.equal(['居住证补领、换领']);
    const again = await citizen.send('居住证');
    const help = await citizen.tap('都不是', again);
    expect(help.messages).to.have.length(2);
    expect(help.titles.length).to.be.at.least(2);
  });

  it('answers an out-of-scope message with the help', async () => {
    const help = await phone().send('帮我订一张去北京的机票');
    expect(help.texts[0]).to.contain('没能理解');
    expect(help.titles.length).to.be.at.least(2);
  });

  it('finds the nearest hall from a shared location', async () => {
    const citizen = phone();
    const halls = await citizen.send('大厅地址');
    expect(halls.titles).to.have.length(3);
    expect((await citizen.location(22.5251, 113.9440)).titles[0]).to.contain('创新广场分厅');
  });

  it('looks up the progress of an application, found and not found', async () => {
    const citizen = phone();
    expect((await citizen.send('办件进度查询')).texts[0]).to.contain('办件编号');
    // The bot seeded the demo applications at its start, filed in the days before it.
    const reviewing = demoApplications(loadCatalog(INTENTS), startedAt).find((record) => record.status === 'reviewing');
    expect((await citizen.send(reviewing?._id ?? '')).titles[0]).to.match(/ · 审核中$/);
    expect((await citizen.send('NS201901010001')).titles).to.deep.equal(['未查询到办件']);
  });

  it('answers a tampered button with the menu card', async () => {
    const answer = await phone().postback('1;guide.show;passport-apply;AAAAAAAAAAAA', '伪造');
    expect(answer.texts[0]).to.contain('按钮已失效');
  });

  it('sets the fixed menu on the platform at start', async () => {
    const deadline = Date.now() + 10_000;
    while (!bot.simulator.menu() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const menu = bot.simulator.menu() as { menu: { entries: Array<{ menu?: { displayText: string }; reply?: { displayText: string } }> } };
    expect(menu.menu.entries.map((entry) => entry.menu?.displayText ?? entry.reply?.displayText)).to.deep.equal(['办事服务', '大厅服务', '人工服务']);
  });

  it('sends a phone without 5G messaging the fallback SMS of the same card', async () => {
    const citizen = phone();
    bot.simulator.setTerminal(citizen.user, 'non5g');
    const answer = await citizen.send('护照怎么办');
    expect(answer.messages[0]?.deliveredAs).to.equal('sms');
    expect(answer.messages[0]?.smsContent).to.contain('普通护照申领');
  });
});

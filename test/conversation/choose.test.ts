import { expect } from 'chai';
import { sharedContent, startChat } from './transcript.js';

describe('conversation: close calls, the fallback and small talk', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('asks which one when a message names a family of items, and goes on with the one chosen', async () => {
    const chat = await startChat();
    const choice = await chat.send('居住证');
    expect(choice.texts).to.deep.equal(['您想办理的是：']);
    expect(choice.buttons).to.have.members(['居住证申领', '居住证签注（续期）', '居住证补领、换领', '都不是']);
    expect((await chat.tap('居住证签注（续期）')).titles).to.deep.equal(['居住证签注（续期）']);
  });

  it('keeps the aspect asked about through the choice', async () => {
    const chat = await startChat();
    const choice = await chat.send('公积金在哪里办');
    expect(choice.texts[0]).to.contain('办理地点');
    const options = choice.buttons.filter((label) => label !== '都不是');
    expect(options.length).to.be.at.least(2);
    const chosen = await chat.tap(options[0] ?? '');
    expect(chosen.titles[0]).to.equal(`${options[0]} · 办理地点`);
  });

  it('answers 都不是 with the help: popular items as a carousel, themes as chips', async () => {
    const chat = await startChat();
    await chat.send('居住证');
    const help = await chat.tap('都不是');
    expect(help.messages).to.have.length(2);
    expect(help.texts[0]).to.contain('换个说法');
    expect(help.titles).to.include.members(['居住证申领', '新生儿入户（出生登记）', '普通护照申领']);
    expect(help.buttons).to.include.members(['户籍办理', '出入境', '转人工', '大厅信息', '办件进度']);
  });

  it('answers what it does not understand with an apology for not understanding and the help', async () => {
    const chat = await startChat();
    const fallback = await chat.send('今天天气怎么样');
    expect(fallback.texts[0]).to.contain('没能理解');
    expect(fallback.titles.length).to.be.at.least(2);
    expect(fallback.buttons).to.include('转人工');
  });

  it('lists the items of a theme chosen from the help', async () => {
    const chat = await startChat();
    await chat.send('帮助');
    const { catalog } = await sharedContent();
    const theme = await chat.tap('户籍办理');
    expect(theme.titles).to.deep.equal(catalog.itemsInTheme('户籍办理').map((item) => item.name));
    expect((await chat.tap('办事指南')).titles).to.have.length(1);
  });

  it('greets, thanks and says goodbye briefly with the main menu', async () => {
    const chat = await startChat();
    for (const [text, words] of [['你好', '您好'], ['谢谢', '不客气'], ['再见', '祝您办事顺利']] as const) {
      const answer = await chat.send(text);
      expect(answer.texts[0], text).to.contain(words);
      expect(answer.buttons, text).to.deep.equal(['热门服务', '办件进度', '大厅信息', '转人工']);
    }
  });

  it('points a complaint to 好差评, never an echo', async () => {
    const { texts } = await (await startChat()).send('你们服务态度太差了我要投诉');
    expect(texts).to.have.length(1);
    expect(texts[0]).to.contain('好差评');
  });
});

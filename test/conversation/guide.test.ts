import { expect } from 'chai';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { SECRET, sharedContent, startChat } from './transcript.js';

describe('conversation: the item guide', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('answers an item question with its guide card: time limit, fee, where, badges, buttons and chips', async () => {
    const chat = await startChat();
    const guide = await chat.send('我想办居住证');
    expect(guide.titles).to.deep.equal(['居住证申领']);
    const [description] = guide.descriptions;
    expect(description).to.contain('承诺 10 个工作日').and.contain('法定时限 15 个工作日').and.contain('首次申领不收费');
    expect(description).to.contain('南山区行政服务大厅（主厅）').and.contain('A01-A08').and.contain('【一次办】').and.contain('【免证办】');
    expect(guide.cards[0]?.suggestions?.map((s) => ('reply' in s ? s.reply.displayText : s.action.displayText))).to.deep.equal(['所需材料', '办理流程', '在线办理', '咨询电话']);
    expect(JSON.stringify(guide.suggestion('在线办理'))).to.contain('https://example.gov.cn/ns/items/residence-permit-apply');
    expect(JSON.stringify(guide.suggestion('咨询电话'))).to.contain('0755-26660101');
    expect(guide.buttons).to.include.members(['预约办理', '办理条件', '办理地点', '转人工']);
    expect(guide.messages[0]?.smsFallback).to.contain('居住证申领').and.contain('0755-26660101');
  });

  it('offers 预约办理 only for items that can be booked', async () => {
    const { catalog } = await sharedContent();
    const unbookable = catalog.items.find((item) => !item.appointment);
    expect(unbookable, 'the catalog has an item without appointments').to.not.equal(undefined);
    const chat = await startChat();
    const guide = await chat.postback(new PostbackCodec(SECRET).encode('guide.show', unbookable?.code ?? ''));
    expect(guide.titles[0]).to.contain(unbookable?.name.slice(0, 20));
    expect(guide.buttons).to.not.include('预约办理');
  });

  it('lists the materials to bring, and says which electronic ones need not be brought', async () => {
    const chat = await startChat();
    await chat.send('我想办居住证');
    const materials = await chat.tap('所需材料');
    expect(materials.titles).to.deep.equal(['居住证申领 · 所需材料']);
    const [text] = materials.descriptions;
    expect(text).to.match(/1\. 居民身份证（原件 1 份）/);
    expect(text).to.contain('无需携带').and.contain('社会保险缴费记录').and.contain('免证办');
    expect(text?.indexOf('社会保险缴费记录')).to.be.greaterThan(text?.indexOf('无需携带') ?? Infinity);
  });

  it('shows the conditions of the item', async () => {
    const chat = await startChat();
    await chat.send('我想办居住证');
    const conditions = await chat.tap('办理条件');
    expect(conditions.titles).to.deep.equal(['居住证申领 · 办理条件']);
    expect(conditions.descriptions[0]).to.contain('1. 非深圳户籍');
  });

  it('walks the steps one card at a time, forward and back, and returns to the guide', async () => {
    const chat = await startChat();
    await chat.send('我想办居住证');
    const first = await chat.tap('办理流程');
    expect(first.titles).to.deep.equal(['居住证申领 · 第 1 步 / 共 5 步']);
    expect(first.buttons).to.not.include('上一步');
    const second = await chat.tap('下一步');
    expect(second.titles).to.deep.equal(['居住证申领 · 第 2 步 / 共 5 步']);
    expect(second.descriptions[0]).to.contain('证件照');
    const back = await chat.tap('上一步');
    expect(back.titles).to.deep.equal(['居住证申领 · 第 1 步 / 共 5 步']);
    let step = back;
    for (let number = 2; number <= 5; number++) step = await chat.tap('下一步');
    expect(step.titles).to.deep.equal(['居住证申领 · 第 5 步 / 共 5 步']);
    expect(step.buttons).to.not.include('下一步');
    expect((await chat.tap('返回指南')).titles).to.deep.equal(['居住证申领']);
  });

  it('goes straight to the aspect a question names with its item', async () => {
    const chat = await startChat();
    expect((await chat.send('居住证要带什么材料')).titles).to.deep.equal(['居住证申领 · 所需材料']);
    const passport = await chat.send('护照多久能拿到');
    expect(passport.titles).to.deep.equal(['普通护照申领 · 办理时限']);
    expect(passport.descriptions[0]).to.contain('7 个工作日');
  });

  it('answers bare follow-up questions about the item the conversation is on', async () => {
    const chat = await startChat();
    await chat.send('我要办护照');
    const asked: Array<[string, string]> = [
      ['要带什么', '普通护照申领 · 所需材料'],
      ['多久能办好', '普通护照申领 · 办理时限'],
      ['在哪里办', '普通护照申领 · 办理地点'],
      ['收费吗', '普通护照申领 · 收费标准'],
      ['能网上办吗', '普通护照申领 · 网上办理'],
      ['要本人去吗', '普通护照申领 · 到场要求'],
      ['电话多少', '普通护照申领 · 咨询电话'],
    ];
    for (const [question, title] of asked) expect((await chat.send(question)).titles, question).to.deep.equal([title]);
  });

  it('follows the item a later question names instead of the current one', async () => {
    const chat = await startChat();
    await chat.send('我要办护照');
    expect((await chat.send('居住证续签要带什么')).titles).to.deep.equal(['居住证签注（续期） · 所需材料']);
    expect((await chat.send('多久能好')).titles).to.deep.equal(['居住证签注（续期） · 办理时限']);
  });

  it('does not guess an item for a bare aspect question when none was discussed, nor after the session expired', async () => {
    const fresh = await startChat();
    expect((await fresh.send('要带什么')).titles.some((title) => title.includes('所需材料'))).to.equal(false);
    const chat = await startChat();
    await chat.send('我要办护照');
    chat.advance(31 * 60_000);
    expect((await chat.send('要带什么')).titles.some((title) => title.includes('所需材料'))).to.equal(false);
  });

  it('shows the hall, window, map and phone for where an item is handled', async () => {
    const chat = await startChat();
    const where = await chat.send('新生儿落户在哪里办');
    expect(where.titles).to.deep.equal(['新生儿入户（出生登记） · 办理地点']);
    const map = where.suggestion('查看地图');
    expect(JSON.stringify(map)).to.contain('"latitude":22.5331').and.contain('"longitude":113.9303');
  });

  it('预约办理 on a guide begins booking the item: the days with free seats', async () => {
    const chat = await startChat();
    await chat.send('我想办居住证');
    const booking = await chat.tap('预约办理');
    expect(booking.titles).to.deep.equal(['居住证申领 · 选择日期']);
  });
});

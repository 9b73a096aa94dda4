/**
 * 好差评 in the conversation, as transcripts: the question when a conversation with a service in
 * it ends (thanks, goodbye, the end of a handoff an agent served), one guide service per item per
 * conversation, answers by chip or in words, once; on a negative level a comment and 转人工.
 */
import { expect } from 'chai';
import { MemoryHandoffs } from '../../src/handoff/memoryHandoffs.js';
import { MemoryRatingLedger } from '../../src/ratings/memoryLedger.js';
import { sharedContent, startChat } from './transcript.js';

const LEVELS = ['非常满意', '满意', '基本满意', '不满意', '非常不满意'];

describe('conversation: 好差评', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('asks once, after thanks, about the item the conversation was on, counting one service however many cards', async () => {
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings });
    await chat.send('我想办居住证');
    await chat.tap('所需材料');
    await chat.send('要多久');
    const asked = await chat.send('谢谢');
    expect(asked.messages).to.have.length(1);
    expect(asked.texts[0]).to.equal('不客气，很高兴能帮到您！请您为本次咨询服务（居住证申领）做个评价：');
    expect(asked.buttons).to.deep.equal(LEVELS);
    expect(ratings.services.map((service) => service.item)).to.deep.equal(['residence-permit-apply']);
    const rated = await chat.tap('满意');
    expect(rated.texts[0]).to.contain('感谢您的评价（满意）');
    expect(ratings.services[0]?.rating).to.include({ level: 4 });
    expect((await chat.send('再见')).texts, 'nothing left to ask about').to.deep.equal(['感谢您的使用，祝您办事顺利！需要时随时找我。']);
    expect((await chat.tap('非常不满意', asked)).texts[0], 'the old chips change nothing').to.contain('您已经为这次服务评价过了（满意）');
    expect(ratings.services[0]?.rating?.level).to.equal(4);
  });

  it('answers thanks plainly when no service happened', async () => {
    const chat = await startChat();
    await chat.send('你好');
    expect((await chat.send('谢谢')).texts).to.deep.equal(['不客气，很高兴能帮到您！还有其他问题随时发消息给我。']);
  });

  it('asks on goodbye about every item of the conversation in one question', async () => {
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings });
    await chat.send('护照多久能拿到');
    await chat.send('孩子刚出生怎么上户口');
    const asked = await chat.send('再见');
    expect(asked.texts[0]).to.match(/^感谢您的使用，祝您办事顺利！请您为本次咨询服务（普通护照申领、.+）做个评价：$/);
    expect(ratings.invitations).to.have.length(1);
    expect(ratings.services).to.have.length(2);
    await chat.tap('非常满意');
    expect(ratings.services.map((service) => service.rating?.level)).to.deep.equal([5, 5]);
  });

  it('asks for a short comment on a negative level, offers 转人工, and keeps the comment on the rating and its task', async () => {
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings });
    await chat.send('我想办居住证');
    await chat.send('谢谢');
    const sorry = await chat.tap('不满意');
    expect(sorry.texts[0]).to.contain('很抱歉这次服务让您不满意').and.to.contain('5 个工作日内');
    expect(sorry.buttons).to.deep.equal(['转人工', '不用了']);
    expect(ratings.rectifications).to.have.length(1);
    const noted = await chat.send('材料清单里没写要社保证明，白跑了一趟');
    expect(noted.texts[0]).to.contain('已收到您的意见');
    expect(noted.buttons).to.include('转人工');
    expect(ratings.services[0]?.rating?.comment).to.equal('材料清单里没写要社保证明，白跑了一趟');
    expect(ratings.rectifications[0]).to.include({ level: 2, comment: '材料清单里没写要社保证明，白跑了一趟' });
    expect((await chat.send('护照多久能拿到')).titles, 'the next text is a question again').to.deep.equal(['普通护照申领 · 办理时限']);
  });

  it('hands the citizen to an agent from the negative rating, and no longer waits for a comment', async () => {
    const handoffs = new MemoryHandoffs();
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings, handoffs });
    await chat.send('我想办居住证');
    await chat.send('谢谢');
    await chat.tap('非常不满意');
    expect((await chat.tap('转人工')).titles).to.deep.equal(['已为您转接人工客服']);
    await chat.tap('结束人工服务');
    expect((await chat.send('我想办居住证')).titles).to.deep.equal(['居住证申领']);
    expect(ratings.rectifications[0]?.comment).to.equal(undefined);
  });

  it('takes 不用了 for no comment', async () => {
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings });
    await chat.send('护照多久能拿到');
    await chat.send('谢谢');
    await chat.tap('非常不满意');
    expect((await chat.tap('不用了')).texts[0]).to.contain('我们仍会核实这次服务');
    expect((await chat.send('孩子刚出生怎么上户口')).titles).to.deep.equal(['新生儿入户（出生登记）']);
    expect(ratings.rectifications[0]?.comment).to.equal(undefined);
  });

  it('understands a level typed instead of tapped', async () => {
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings });
    await chat.send('我想办居住证');
    await chat.send('谢谢');
    expect((await chat.send('非常满意！')).texts[0]).to.contain('感谢您的评价（非常满意）');
    expect(ratings.services[0]?.rating?.level).to.equal(5);
  });

  it("refuses another citizen's tap of a question that is not theirs", async () => {
    const ratings = new MemoryRatingLedger();
    const owner = await startChat({ ratings, user: 'tel:+8613800000011' });
    await owner.send('我想办居住证');
    const asked = await owner.send('谢谢');
    const stranger = await startChat({ ratings, user: 'tel:+8613800000012' });
    const suggestion = asked.suggestion('非常不满意');
    const data = 'reply' in suggestion ? suggestion.reply.postback.data : '';
    expect((await stranger.postback(data, '非常不满意')).texts[0]).to.contain('这个按钮已失效');
    expect(ratings.services[0]?.rating).to.equal(undefined);
    expect((await owner.tap('满意', asked)).texts[0]).to.contain('感谢您的评价');
  });

  it('asks after the citizen ends a handoff an agent served, and not after one nobody took', async () => {
    const handoffs = new MemoryHandoffs();
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings, handoffs });
    const queued = await chat.send('转人工');
    expect((await chat.tap('结束人工服务', queued)).texts).to.deep.equal(['已结束人工服务。还有问题可以随时问我。']);
    const again = await chat.send('转人工');
    const handoff = handoffs.all[1];
    if (handoff) Object.assign(handoff, { state: 'active', takenAt: chat.now, agent: { id: 'a1', name: '王坐席' } });
    const ended = await chat.tap('结束人工服务', again);
    expect(ended.texts[0]).to.equal('已结束人工服务。请您为本次人工服务做个评价：');
    expect(ratings.services.map((service) => service.kind)).to.deep.equal(['handoff']);
  });

  it('asks on 我要评价, or says how to give feedback when there is nothing to rate', async () => {
    const chat = await startChat();
    const nothing = await chat.send('我要评价');
    expect(nothing.texts[0]).to.contain('每次咨询或人工服务结束后');
    expect(nothing.buttons).to.include('转人工');
    await chat.send('护照多久能拿到');
    const asked = await chat.send('评价一下今天的服务');
    expect(asked.buttons).to.deep.equal(LEVELS);
    expect((await chat.send('评价一下今天的服务')).buttons, 'the same question again while unanswered').to.deep.equal(LEVELS);
  });

  it('counts the same item again in a new conversation, after the session was forgotten', async () => {
    const ratings = new MemoryRatingLedger();
    const chat = await startChat({ ratings });
    await chat.send('我想办居住证');
    await chat.send('谢谢');
    chat.advance(31 * 60_000);
    await chat.send('我想办居住证');
    expect(ratings.services).to.have.length(2);
    expect((await chat.send('谢谢')).buttons).to.deep.equal(LEVELS);
  });
});

import { expect } from 'chai';
import { MemoryHandoffs } from '../../src/handoff/memoryHandoffs.js';
import { FIXED_NOW, sharedContent, startChat } from './transcript.js';

describe('conversation: 转人工', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('queues the conversation and tells the citizen their place and the expected wait', async () => {
    const handoffs = new MemoryHandoffs();
    const first = await startChat({ handoffs, user: 'tel:+8613800000001' });
    await first.send('我想办居住证');
    const queued = await first.send('转人工');
    expect(queued.titles).to.deep.equal(['已为您转接人工客服']);
    expect(queued.descriptions[0]).to.contain('您前面还有 0 位市民，预计等待约 4 分钟');
    expect(handoffs.all[0]).to.deep.include({ state: 'waiting', kind: 'live', item: 'residence-permit-apply' });
    const second = await startChat({ handoffs, user: 'tel:+8613800000002', now: new Date(FIXED_NOW.getTime() + 60_000) });
    expect((await second.send('人工客服')).descriptions[0]).to.contain('您前面还有 1 位市民，预计等待约 8 分钟');
  });

  it('stays silent while an agent has the conversation, keeping what the citizen writes, until the citizen ends it', async () => {
    const handoffs = new MemoryHandoffs();
    const chat = await startChat({ handoffs });
    const queued = await chat.send('转人工');
    expect((await chat.send('我的材料还差一个证明怎么办')).messages).to.deep.equal([]);
    expect(handoffs.all[0]?.messages.map((message) => message.text)).to.deep.equal(['我的材料还差一个证明怎么办']);
    const ended = await chat.tap('结束人工服务', queued);
    expect(ended.texts[0]).to.contain('已结束人工服务');
    expect(handoffs.all[0]).to.deep.include({ state: 'closed', closedBy: 'citizen' });
    expect((await chat.send('你好')).texts[0]).to.contain('您好');
  });

  it('answers again once the agent has closed the handoff', async () => {
    const handoffs = new MemoryHandoffs();
    const chat = await startChat({ handoffs });
    await chat.send('转人工');
    await handoffs.close(handoffs.all[0]?._id ?? '', 'agent', '已解答');
    expect((await chat.send('护照多久能拿到')).titles).to.deep.equal(['普通护照申领 · 办理时限']);
  });

  it("outside agents' hours says when they are back, and takes a message agents see first", async () => {
    const handoffs = new MemoryHandoffs();
    const chat = await startChat({ handoffs, now: new Date('2026-12-03T12:30:00Z') });
    const closed = await chat.send('转人工');
    expect(closed.titles).to.deep.equal(['人工客服暂不在线']);
    expect(closed.descriptions[0]).to.contain('周一至周五 9:00-12:00、14:00-18:00');
    expect((await chat.tap('留言')).texts[0]).to.contain('请直接发送您的留言');
    expect((await chat.send('我想咨询公司注销后社保账户怎么处理')).texts[0]).to.contain('留言已收到');
    expect(handoffs.all[0]).to.deep.include({ kind: 'message', state: 'waiting' });
    expect(handoffs.all[0]?.messages[0]?.text).to.equal('我想咨询公司注销后社保账户怎么处理');
    expect((await chat.send('你好')).texts[0], 'the bot answers again after a left message').to.contain('您好');
  });
});

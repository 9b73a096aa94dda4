/**
 * 惠企政策 in chat: a directory contact gets the policies for their enterprise at once; anyone
 * else answers three questions with chips and gets the policies that fit; nothing found is said
 * plainly with 转人工 and "tell me about new policies". And the buttons of a campaign's card:
 * each tap is counted for the campaign, 详情 shows the policy, 退订 stops broadcasts.
 */
import { expect } from 'chai';
import { MemoryDirectory } from '../../src/directory/directory.js';
import type { Enterprise } from '../../src/directory/enterprise.js';
import { MemoryPolicyWatches } from '../../src/policies/watches.js';
import { MemoryEngagement } from '../../src/campaigns/engagement.js';
import { MemorySubscriptions } from '../../src/subscriptions/subscriptions.js';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { FIXED_NOW, SECRET, sharedContent, startChat, type TurnResult } from './transcript.js';

const USER = 'tel:+8613800138000';

function enterprise(fields: Partial<Enterprise> & Pick<Enterprise, '_id' | 'name'>): Enterprise {
  return { industry: 'I6513', type: '有限责任公司', scale: '小型', tags: [], phone: USER, createdAt: FIXED_NOW, updatedAt: FIXED_NOW, ...fields };
}

const HIGH_TECH = enterprise({ _id: '91440305MA5XXXXX01', name: '深圳市南山星河科技有限公司', tags: ['高新技术企业'], street: '粤海街道', registeredAt: new Date('2019-05-18'), employees: 68, revenue: 3600 });

function cardButtons(answer: TurnResult): string[][] {
  return answer.cards.map((card) => (card.suggestions ?? []).map((suggestion) => ('reply' in suggestion ? suggestion.reply.displayText : suggestion.action.displayText)));
}

describe('conversation: the policy finder', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('answers a directory contact for their enterprise at once, with every open policy it meets', async () => {
    const chat = await startChat({ user: USER, directory: new MemoryDirectory([HIGH_TECH]) });
    const answer = await chat.send('我们公司能申请什么补贴');
    const { policies } = await sharedContent();
    const expected = policies.matching({ industry: 'I6513', type: '有限责任公司', scale: '小型', tags: ['高新技术企业'], tagsComplete: true, street: '粤海街道', registeredAt: new Date('2019-05-18'), employees: 68, revenue: 3600 }, FIXED_NOW);
    const open = expected.filter((match) => match.window.state === 'open').length;
    expect(open, 'the enterprise has open policies to find').to.be.greaterThan(1);
    expect(answer.texts[0]).to.contain(`为 深圳市南山星河科技有限公司 找到 ${open} 项可申报政策`);
    expect(answer.titles).to.deep.equal(expected.map((match) => match.policy.title));
    expect(answer.titles).to.include('国家高新技术企业认定奖励');
    expect(answer.titles, 'a policy for manufacturers only').not.to.include('企业新型学徒制培训补贴');
    expect(answer.titles, 'a policy whose window closed').not.to.include('餐饮品牌连锁发展资助');
    for (const buttons of cardButtons(answer)) expect(buttons).to.deep.equal(['详情', '申报', '咨询']);
    expect(answer.buttons, 'no questions for a known enterprise').not.to.include('制造业');
  });

  it('asks an unknown number three questions with chips, then shows what fits, surely-met ones first', async () => {
    const chat = await startChat({ user: 'tel:+8613900001111' });
    const first = await chat.send('惠企政策');
    expect(first.texts[0]).to.contain('第 1 问');
    expect(first.buttons).to.include.members(['软件和信息技术', '制造业', '其他行业']);
    const second = await chat.tap('软件和信息技术');
    expect(second.buttons).to.deep.equal(['大型企业', '中型企业', '小型企业', '微型企业']);
    const third = await chat.tap('小型企业');
    expect(third.buttons).to.include.members(['高新技术企业', '专精特新', '都不是']);
    const results = await chat.tap('高新技术企业');
    expect(results.texts[0]).to.contain('按您选择的条件（软件和信息技术、小型企业、高新技术企业）找到');
    expect(results.titles[0], 'a policy every answer meets comes first').to.equal('国家高新技术企业认定奖励');
    expect(results.titles).not.to.include('企业新型学徒制培训补贴');
    expect(results.titles.length).to.be.within(2, 10);
    expect(results.descriptions.some((text) => text.includes('请核对')), 'a policy with rules the answers cannot settle says so').to.equal(true);
    const detail = await chat.tap('详情', results);
    expect(detail.titles).to.deep.equal(['国家高新技术企业认定奖励']);
    expect(detail.descriptions[0]).to.contain('申报材料：');
    expect(detail.buttons).to.include.members(['在线申报', '咨询电话', '办事指南']);
  });

  it('lets a number that serves several enterprises choose one', async () => {
    const other = enterprise({ _id: '91440305MA5XXXXX02', name: '深圳市南山湾商贸有限公司', industry: 'F51', scale: '微型', employees: 3 });
    const chat = await startChat({ user: USER, directory: new MemoryDirectory([HIGH_TECH, other]) });
    const choose = await chat.send('有什么政策');
    expect(choose.texts[0]).to.contain('2 家企业');
    expect(choose.buttons).to.have.members(['深圳市南山星河科技有限公司', '深圳市南山湾商贸有限公司']);
    const results = await chat.tap('深圳市南山湾商贸有限公司');
    expect(results.texts[0]).to.contain('为 深圳市南山湾商贸有限公司 找到');
    expect(results.titles).not.to.include('国家高新技术企业认定奖励');
  });

  it('says so when nothing fits, and remembers to tell of new policies', async () => {
    const nothing = enterprise({ _id: '91440305MA5XXXXX03', name: '深圳市南山区青禾农庄', industry: 'A01', type: '个体工商户', scale: '大型', employees: 0 });
    const watches = new MemoryPolicyWatches();
    const chat = await startChat({ user: USER, directory: new MemoryDirectory([nothing]), policyWatches: watches });
    const none = await chat.send('惠企政策');
    expect(none.titles).to.deep.equal(['暂未找到匹配的政策']);
    expect(none.buttons).to.include.members(['有新政策时通知我', '转人工']);
    const saved = await chat.tap('有新政策时通知我');
    expect(saved.texts[0]).to.contain('深圳市南山区青禾农庄');
    expect(watches.entries.get(`test|${USER}`)?.profile).to.deep.equal({ enterprise: '91440305MA5XXXXX03' });
  });

  it('counts the taps on a campaign card for its campaign: 详情 shows the policy, 申报 and 咨询 say nothing, 退订 stops broadcasts', async () => {
    const engagement = new MemoryEngagement();
    const subscriptions = new MemorySubscriptions();
    const chat = await startChat({ user: USER, engagement, subscriptions });
    const codec = new PostbackCodec(SECRET);
    const campaign = '0b9f1c2e-5d4a-4c3b-9a8f-7e6d5c4b3a21';
    const detail = await chat.postback(codec.encode('campaign.detail', campaign, 'specialized-sme-award'), '详情');
    expect(detail.titles).to.deep.equal(['专精特新中小企业奖励']);
    expect((await chat.postback(codec.encode('campaign.apply', campaign), '申报')).messages).to.have.length(0);
    expect((await chat.postback(codec.encode('campaign.call', campaign), '咨询')).messages).to.have.length(0);
    const stopped = await chat.postback(codec.encode('campaign.unsubscribe', campaign), '退订');
    expect(stopped.texts[0]).to.contain('已为您退订');
    expect(engagement.clicks.map((click) => `${click.campaignId}:${click.kind}`)).to.deep.equal(['detail', 'apply', 'call', 'unsubscribe'].map((kind) => `${campaign}:${kind}`));
    expect(engagement.optOuts).to.deep.equal([{ userId: USER, at: FIXED_NOW, campaignId: campaign }]);
    expect(await subscriptions.receivesBroadcasts(`test|${USER}`)).to.equal(false);
  });
});

import { expect } from 'chai';
import { PostbackCodec } from '../../src/conversation/postback.js';
import { SECRET, sharedContent, startChat } from './transcript.js';

describe('conversation: buttons cannot be forged', function () {
  this.timeout(30_000);
  before(() => sharedContent());
  const codec = new PostbackCodec(SECRET);

  it('decodes what it encoded, compactly and within the carrier limit', () => {
    const data = codec.encode('guide.step', 'residence-permit-apply', 2);
    expect(data.length).to.be.below(64);
    expect(codec.decode(data)).to.deep.equal({ ok: true, postback: { action: 'guide.step', args: ['residence-permit-apply', '2'] } });
    expect(codec.decode(codec.encode('help.theme', '户籍办理, 出入境;'))).to.deep.equal({ ok: true, postback: { action: 'help.theme', args: ['户籍办理, 出入境;'] } });
  });

  it('refuses changed, foreign, malformed and oversized data', () => {
    const data = codec.encode('guide.show', 'passport-apply');
    expect(codec.decode(data.replace('passport-apply', 'hukou-newborn'))).to.deep.equal({ ok: false, reason: 'bad-signature' });
    expect(codec.decode(new PostbackCodec('another-secret').encode('guide.show', 'passport-apply'))).to.deep.equal({ ok: false, reason: 'bad-signature' });
    expect(codec.decode('echo:again')).to.deep.equal({ ok: false, reason: 'malformed' });
    expect(codec.decode('x'.repeat(5000))).to.deep.equal({ ok: false, reason: 'malformed' });
  });

  it('answers a tampered button with the menu card and changes nothing', async () => {
    const chat = await startChat();
    await chat.send('我要办护照');
    const forged = codec.encode('guide.show', 'passport-apply').replace('passport-apply', 'hukou-newborn');
    const answer = await chat.postback(forged);
    expect(answer.texts[0]).to.contain('按钮已失效');
    expect(answer.buttons).to.deep.equal(['热门服务', '办件进度', '大厅信息', '转人工']);
    expect((await chat.send('要带什么')).titles).to.deep.equal(['普通护照申领 · 所需材料']);
  });

  it('answers stale and unknown buttons politely: an item gone, a step out of range, an action no flow has', async () => {
    const chat = await startChat();
    for (const data of [codec.encode('guide.show', 'no-such-item'), codec.encode('guide.step', 'passport-apply', 99), codec.encode('booking.confirm', 'x'), codec.encode('help.theme', '不存在的主题')]) {
      const answer = await chat.postback(data);
      expect(answer.texts[0], data).to.contain('按钮已失效');
    }
  });
});

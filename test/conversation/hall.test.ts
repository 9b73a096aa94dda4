import { expect } from 'chai';
import { sharedContent, startChat } from './transcript.js';

describe('conversation: hall information', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('lists every hall with address, hours and phone, a map and a dial button each', async () => {
    const chat = await startChat();
    const halls = await chat.send('大厅在哪里，几点开门');
    expect(halls.titles).to.deep.equal(['南山区行政服务大厅（主厅）', '南山区行政服务大厅创新广场分厅（企业服务中心）', '南山区行政服务大厅蛇口分厅（住房和不动产服务）']);
    expect(halls.descriptions[0]).to.contain('桃园路266号').and.contain('9:00-12:00').and.contain('0755-26660000');
    for (const card of halls.cards) expect(JSON.stringify(card.suggestions)).to.contain('showLocation').and.contain('dialPhoneNumber');
    expect(JSON.stringify(halls.suggestion('找最近的大厅'))).to.contain('requestLocationPush');
  });

  it('answers a shared location with the nearest hall and its distance', async () => {
    const chat = await startChat();
    const nearest = await chat.location(22.4901, 113.9171);
    expect(nearest.titles).to.deep.equal(['离您最近：南山区行政服务大厅蛇口分厅（住房和不动产服务）']);
    expect(nearest.descriptions[0]).to.match(/距离约 0\.\d 公里/);
  });
});

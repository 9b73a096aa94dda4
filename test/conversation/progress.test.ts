import { expect } from 'chai';
import { demoApplications } from '../../src/applications/demoApplications.js';
import { findApplicationNumber } from '../../src/applications/applications.js';
import { FIXED_NOW, sharedContent, startChat } from './transcript.js';

describe('conversation: the progress query', function () {
  this.timeout(30_000);
  let numbers: Map<string, string>;
  before(async () => {
    const { catalog } = await sharedContent();
    // The first demo application of each status.
    numbers = new Map(demoApplications(catalog, FIXED_NOW).reverse().map((record) => [record.status, record._id]));
  });

  it('asks for the number, then answers with the status of the application', async () => {
    const chat = await startChat();
    expect((await chat.send('查一下我的办件进度')).texts[0]).to.contain('办件编号');
    const status = await chat.send(numbers.get('needs_supplement') ?? '');
    expect(status.titles).to.deep.equal(['新生儿入户（出生登记） · 待补正']);
    expect(status.descriptions[0]).to.contain('请补充以下材料').and.contain('已受理');
  });

  it('words every status, with what the citizen does next', async () => {
    const chat = await startChat();
    const expected: Record<string, RegExp> = {
      accepted: /已受理[\s\S]*正在分派审核/,
      reviewing: /审核中[\s\S]*承诺时限/,
      completed: /已办结/,
      rejected: /不予受理[\s\S]*不符合办理条件/,
    };
    for (const [status, pattern] of Object.entries(expected)) {
      const answer = await chat.send(`进度查询 ${numbers.get(status) ?? ''}`);
      expect(`${answer.titles[0]} ${answer.descriptions[0]}`, status).to.match(pattern);
    }
  });

  it('takes a number with spaces, dashes or lower case', () => {
    expect(findApplicationNumber('ns 2026-1128-0001 怎么样了')).to.deep.equal({ kind: 'number', number: 'NS202611280001' });
    expect(findApplicationNumber('我的号是 NS2026')).to.deep.equal({ kind: 'malformed', text: 'NS2026' });
    expect(findApplicationNumber('你好')).to.deep.equal({ kind: 'absent' });
  });

  it('says what to check for an unknown number, and offers to try again', async () => {
    const chat = await startChat();
    const missing = await chat.send('NS201901010001');
    expect(missing.titles).to.deep.equal(['未查询到办件']);
    expect(missing.descriptions[0]).to.contain('NS201901010001');
    expect((await chat.tap('重新查询')).texts[0]).to.contain('办件编号');
  });

  it('explains the form of a number that is not one, and keeps waiting for it', async () => {
    const chat = await startChat();
    await chat.send('办件进度');
    expect((await chat.send('20261128')).texts[0]).to.contain('不是有效的办件编号');
    expect((await chat.send(numbers.get('reviewing') ?? '')).titles[0]).to.contain('审核中');
  });

  it('lets the citizen move on: while waiting for a number, anything else is understood as usual', async () => {
    const chat = await startChat();
    await chat.send('办件进度');
    expect((await chat.send('我想办居住证')).titles).to.deep.equal(['居住证申领']);
  });
});

/**
 * When campaigns send, on a clock the test moves: nothing in quiet hours (on the district's clock)
 * until they end; a scheduled campaign waits for its start, and what its end leaves unsent is
 * skipped (what the outbox already holds still goes); a contact number gets at most two campaign messages in seven days, whichever campaigns
 * they come from, and more again once the week has passed.
 */
import { expect } from 'chai';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { creditCodeFor } from '../../src/directory/demo/generate.js';
import { ADMIN, call, isCampaignMessage, until, type CampaignAnswer } from './harness.js';

const CONTACTS = Array.from({ length: 12 }, (_, index) => `tel:+861371234${String(index).padStart(4, '0')}`);
const CSV = [
  'creditCode,name,phone,industry,type,scale,street',
  ...CONTACTS.map((contact, index) => `${creditCodeFor(90_000 + index)},深圳市测试${index}号科技有限公司,${contact.slice(7)},I65,有限责任公司,小型,粤海街道`),
].join('\n');

describe('campaigns on the clock', function () {
  this.timeout(60_000);
  let bot: RunningBot;
  let now = new Date('2026-12-03T14:00:00Z'); // 22:00 in Shenzhen
  const received = (campaign?: string): string[] =>
    bot.simulator
      .received()
      .filter((message) => isCampaignMessage(message) && (campaign === undefined || JSON.stringify(message.raw).includes(campaign)))
      .map((message) => message.user);
  const campaign = async (body: Record<string, unknown>): Promise<string> => {
    const created = await call<{ id: string }>(bot.url, 'POST', '/admin/campaigns', { name: '贴息推送', policy: 'startup-guarantee-loan', ...body });
    expect(created.status, JSON.stringify(created.body)).to.equal(201);
    expect((await call(bot.url, 'POST', `/admin/campaigns/${created.body.id}/start`)).status).to.equal(200);
    return created.body.id;
  };
  const read = async (id: string): Promise<CampaignAnswer> => (await call<CampaignAnswer>(bot.url, 'GET', `/admin/campaigns/${id}`)).body;
  /** Completed, and every message it handed over has left the outbox's queue. */
  const completed = (id: string): Promise<CampaignAnswer> =>
    until(
      `campaign ${id} to complete`,
      async () => {
        const answer = await read(id);
        return answer.status === 'completed' && answer.stats.pending === 0 && answer.stats.queued === 0 ? answer : undefined;
      },
      20_000,
    );

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN, DEMO_DIRECTORY_SIZE: '0' }, { handler: undefined, clock: () => now, dispatcher: { pollMs: 50 } });
    expect((await call(bot.url, 'POST', '/admin/enterprises', CSV, 'text/csv')).body).to.include({ imported: 12, rejectedCount: 0 });
  });
  after(async () => bot?.close());

  it('sends nothing in quiet hours, and everything once they end', async () => {
    const id = await campaign({});
    const built = await until('the audience', async () => ((await read(id)).stats.targeted === 12 ? read(id) : undefined), 10_000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(received(), 'at 22:00').to.deep.equal([]);
    expect(built.stats.pending).to.equal(12);
    now = new Date('2026-12-04T00:30:00Z'); // 08:30
    const done = await completed(id);
    expect(done.stats.sent).to.equal(12);
    expect(received(id)).to.have.members(CONTACTS);
  });

  it('waits for a scheduled start, and skips what its end leaves unsent', async () => {
    const startAt = new Date(now.getTime() + 2 * 3_600_000);
    // At 2/s, about two seconds' worth is in the outbox at a time: most wait with the dispatcher.
    const id = await campaign({ rate: 2, schedule: { startAt: startAt.toISOString(), endAt: new Date(startAt.getTime() + 3_600_000).toISOString(), quietHours: null } });
    expect((await read(id)).status).to.equal('scheduled');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received(id), 'before its start').to.deep.equal([]);
    now = new Date(startAt.getTime() + 60_000);
    await until('a few sends', async () => (received(id).length >= 2 ? true : undefined), 10_000, 20);
    now = new Date(startAt.getTime() + 2 * 3_600_000);
    const done = await completed(id);
    expect(done).to.deep.include({ status: 'completed', endedBy: 'window' });
    expect(done.stats.skipped.windowClosed).to.be.greaterThan(0);
    expect(done.stats.sent + done.stats.skipped.windowClosed).to.equal(12);
    expect(received(id)).to.have.length(done.stats.sent);
  });

  it('caps each number at two campaign messages in seven days, and lets the third through a week later', async () => {
    const twice = CONTACTS.filter((contact) => received().filter((user) => user === contact).length === 2);
    expect(twice.length, 'the two campaigns before reached some numbers twice').to.be.within(1, 11);
    const id = await campaign({ schedule: { quietHours: null } });
    const capped = await completed(id);
    expect(capped.stats.excluded.frequencyCap).to.equal(twice.length);
    expect(received(id)).to.have.members(CONTACTS.filter((contact) => !twice.includes(contact)));
    now = new Date(now.getTime() + 8 * 86_400_000);
    const later = await completed(await campaign({ schedule: { quietHours: null } }));
    expect(later.stats.excluded.frequencyCap).to.equal(0);
    expect(later.stats.sent).to.equal(12);
  });
});

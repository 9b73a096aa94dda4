/**
 * Two bot processes on one store dispatching one campaign at once: each recipient is claimed by
 * one of them and messaged once, both do part of the work, and the campaign's rate holds for the
 * two together.
 */
import { expect } from 'chai';
import type { Simulator } from '../../src/channels/simulator/index.js';
import type { ChildBot } from '../support/processes.js';
import { startTwoBots, type TwoBots } from '../support/twoBots.js';
import { ADMIN, call, directory, isCampaignMessage, until, type CampaignAnswer } from './harness.js';

const RATE = 50;

describe('two bot processes dispatching one campaign', function () {
  this.timeout(120_000);
  let pair: TwoBots;
  let simulator: Simulator;
  let bots: ChildBot[] = [];

  before(async () => {
    pair = await startTwoBots({
      callbackToken: 'two-token',
      reportDelayMs: 5,
      env: { ADMIN_TOKEN: ADMIN, SEND_RATE: '1000', DEMO_DIRECTORY_SIZE: '0' },
      startTimeoutMs: 60_000,
    });
    ({ simulator, bots } = pair);
  });
  after(async () => pair?.close());

  it('messages each recipient once, both processes taking part, at the campaign’s rate for the two together', async () => {
    const [one, two] = bots.map((bot) => bot.url) as [string, string];
    const { rows, csv } = directory(700, 3);
    expect((await call(one, 'POST', '/admin/enterprises', csv, 'text/csv')).body).to.include({ imported: 700 });
    // 创业担保贷款贴息 is for small and micro enterprises.
    const eligible = new Set(rows.filter((row) => ['小型', '微型'].includes(row.scale) && row.phone !== '').map((row) => `tel:+86${row.phone}`));
    const created = await call<{ id: string; audience: number }>(one, 'POST', '/admin/campaigns', { name: '两个进程', policy: 'startup-guarantee-loan', rate: RATE, schedule: { quietHours: null } });
    expect(created.body.audience).to.equal(eligible.size);
    expect((await call(two, 'POST', `/admin/campaigns/${created.body.id}/start`)).status).to.equal(200);
    await until(
      'the campaign to complete',
      async () => {
        const answer = (await call<CampaignAnswer>(two, 'GET', `/admin/campaigns/${created.body.id}`)).body;
        return answer.status === 'completed' && answer.stats.queued === 0 ? answer : undefined;
      },
      60_000,
      200,
    );

    const received = simulator.received().filter(isCampaignMessage);
    const users = received.map((message) => message.user);
    expect(users, 'one message each').to.have.length(new Set(users).size);
    expect(new Set(users)).to.deep.equal(eligible);

    const byProcess = await pair.db
      .collection('campaignRecipients')
      .aggregate<{ _id: string; count: number }>([{ $match: { campaignId: created.body.id } }, { $group: { _id: '$dispatchedBy', count: { $sum: 1 } } }])
      .toArray();
    expect(byProcess, JSON.stringify(byProcess)).to.have.length(2);
    for (const share of byProcess) expect(share.count, 'each process dispatched a part').to.be.greaterThan(eligible.size / 10);

    const times = received.map((message) => message.receivedAt.getTime()).sort((a, b) => a - b);
    const rate = ((times.length - 1) * 1000) / ((times.at(-1) as number) - (times[0] as number));
    // A slot a process misses while its event loop is held up (a loaded machine) is made up within the second.
    expect(rate, 'two processes at the campaign rate each would send twice as fast').to.be.within(RATE * 0.9, RATE * 1.1);
  });
});

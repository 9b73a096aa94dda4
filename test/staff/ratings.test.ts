/**
 * 好差评 over real HTTP: a citizen rates through the simulated platform, a negative rating opens
 * a rectification task that staff verify, answer (the citizen receives the reply) and close
 * through the staff API, a task left too long is overdue; and the statistics over a generated
 * month equal the counts computed here, independently, from the raw ratings.
 */
import { expect } from 'chai';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { openApiCheck } from '../support/openapi.js';
import { Phone } from '../support/phone.js';
import { agentsInClock } from '../support/clock.js';
import { generateMonth, expectedStats, type GeneratedService } from '../ratings/generatedMonth.js';

const ADMIN = 'test-admin-token-0123456789';
const DAY_MS = 24 * 3_600_000;

/** Thursday 10:00 in Shenzhen, running with real time; `advance` moves it on (or back). */
function movableClock(): { clock: () => Date; advance(ms: number): void } {
  const thursday = agentsInClock();
  let extra = 0;
  return { clock: () => new Date(thursday().getTime() + extra), advance: (ms) => (extra += ms) };
}

describe('好差评 over HTTP', function () {
  this.timeout(120_000);
  let bot: RunningBot;
  const time = movableClock();
  const keys: Record<string, string> = {};

  async function call(method: string, path: string, key: string, body?: unknown, accept?: string): Promise<{ status: number; body: unknown; text: string }> {
    const response = await fetch(`${bot.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(accept ? { accept } : {}) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, body: response.headers.get('content-type')?.startsWith('application/json') ? (JSON.parse(text) as unknown) : undefined };
  }

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN }, { handler: undefined, clock: time.clock, ratingSweepMs: 0 });
    for (const [name, role] of [['agent-one', 'agent'], ['content-one', 'content'], ['campaign-one', 'campaign']] as const) {
      keys[name] = ((await call('POST', '/admin/staff', ADMIN, { name, role })).body as { key: string }).key;
    }
  });
  after(async () => bot?.close());

  it('turns a negative rating into a task that staff verify, answer through the bot and close', async () => {
    const citizen = new Phone(bot, 'tel:+8613977770001');
    await citizen.send('我想办居住证');
    const question = await citizen.send('再见');
    expect(question.texts).to.deep.equal(['感谢您的使用，祝您办事顺利！请您为本次咨询服务（居住证申领）做个评价：']);
    expect(question.chips).to.deep.equal(['非常满意', '满意', '基本满意', '不满意', '非常不满意']);
    const sorry = await citizen.tap('非常不满意', question);
    expect(sorry.texts[0]).to.contain('请直接发一条消息简单说说遇到的问题');
    const noted = await citizen.send('窗口说材料不全，可是指南里没写');
    expect(noted.texts[0]).to.contain('已收到您的意见');

    const agent = keys['agent-one'] ?? '';
    const queue = await call('GET', '/admin/rectifications', agent);
    expect(queue.status).to.equal(200);
    const [task] = queue.body as Array<{ id: string; state: string; level: number; comment: string; items: Array<{ name: string }>; overdue: boolean; dueDay: string; dueAt: string; openedAt: string }>;
    expect(task).to.deep.include({ state: 'open', level: 1, comment: '窗口说材料不全，可是指南里没写', overdue: false });
    expect(task?.items.map((item) => item.name)).to.deep.equal(['居住证申领']);
    // Opened on a Thursday: five working days on is the next Thursday, due by its end (district midnight).
    const shenzhenDay = (at: number): string => new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
    const opened = new Date(task?.openedAt ?? '').getTime();
    expect(task?.dueDay).to.equal(shenzhenDay(opened + 7 * DAY_MS));
    expect(shenzhenDay(new Date(task?.dueAt ?? '').getTime() - 1)).to.equal(task?.dueDay);
    expect(shenzhenDay(new Date(task?.dueAt ?? '').getTime())).to.equal(shenzhenDay(opened + 8 * DAY_MS));
    expect((await call('GET', '/admin/rectifications', keys['campaign-one'] ?? '')).status, 'campaign staff do not handle ratings').to.equal(403);

    const path = `/admin/rectifications/${task?.id}`;
    const reply = { action: '已在居住证申领指南中补充“社保缴纳证明”一项。', reply: '您好，指南已更正，带齐材料后可到 B12 窗口办理。' };
    expect((await call('POST', `${path}/reply`, agent, reply)).status, 'verify first').to.equal(409);
    expect((await call('POST', `${path}/verify`, agent, { finding: '指南漏列社保缴纳证明，属实。' })).status).to.equal(200);
    expect((await call('POST', `${path}/verify`, agent, { finding: '再核实' })).status, 'verified once').to.equal(409);
    expect((await call('POST', `${path}/close`, agent, {})).status, 'reply first').to.equal(409);
    const replied = await call('POST', `${path}/reply`, agent, reply);
    expect(replied.status).to.equal(200);
    expect(replied.body).to.deep.include({ state: 'verified', action: reply.action, reply: reply.reply });
    const answer = await citizen.notices();
    expect(answer.texts[0]).to.equal(`关于您对“居住证申领”服务的评价，我们已核实并整改：${reply.action}\n${reply.reply}\n感谢您的监督！`);
    expect((await call('POST', `${path}/reply`, agent, reply)).status, 'the same reply again: nothing sent twice').to.equal(200);
    expect((await call('POST', `${path}/reply`, agent, { ...reply, reply: '另一句' })).status).to.equal(409);
    const closed = await call('POST', `${path}/close`, agent, { note: '已回访' });
    expect(closed.body).to.deep.include({ state: 'done', overdue: false, closingNote: '已回访' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bot.simulator.received(citizen.user), 'one reply only').to.have.length(5);

    const rated = (await call('GET', '/admin/ratings?level=1,2', keys['content-one'] ?? '')).body as Array<{ itemName: string; levelName: string; comment: string }>;
    expect(rated).to.have.length(1);
    expect(rated[0]).to.deep.include({ itemName: '居住证申领', levelName: '非常不满意', comment: '窗口说材料不全，可是指南里没写' });
    const audit = (await call('GET', `/admin/audit?target=${task?.id}`, ADMIN)).body as Array<{ action: string; actor: { name: string } }>;
    expect(audit.map((entry) => `${entry.action} by ${entry.actor.name}`)).to.deep.equal(['rectification.close by agent-one', 'rectification.reply by agent-one', 'rectification.reply by agent-one', 'rectification.verify by agent-one']);
  });

  it('flags a task not closed within its working days as overdue', async () => {
    const citizen = new Phone(bot, 'tel:+8613977770002');
    await citizen.send('护照多久能拿到');
    const question = await citizen.send('谢谢');
    await citizen.tap('不满意', question);
    const open = (await call('GET', '/admin/rectifications?overdue=true', keys['agent-one'] ?? '')).body as unknown[];
    expect(open).to.deep.equal([]);
    time.advance(8 * DAY_MS);
    try {
      const overdue = (await call('GET', '/admin/rectifications?overdue=true', keys['agent-one'] ?? '')).body as Array<{ overdue: boolean; items: Array<{ name: string }> }>;
      expect(overdue).to.have.length(1);
      expect(overdue[0]).to.deep.include({ overdue: true });
      expect(overdue[0]?.items.map((item) => item.name)).to.deep.equal(['普通护照申领']);
    } finally {
      time.advance(-8 * DAY_MS);
    }
  });

  it('asks about a visit half an hour after the call to the window, once, however often the visit is reported', async () => {
    const citizen = new Phone(bot, 'tel:+8613977770003');
    const visit = { appointmentId: 'YY202612030001', userKey: 'ctcu|tel:+8613977770003', userId: 'tel:+8613977770003', platformId: 'ctcu', item: 'passport-apply', hallId: 'ns-main', at: time.clock() };
    await bot.ratings?.visited(visit);
    await bot.ratings?.visited(visit);
    const asker = bot.ratings?.asker;
    expect((await asker?.sweep(new Date(time.clock().getTime() + 20 * 60_000)))?.asked, 'still at the window').to.equal(0);
    expect((await asker?.sweep(new Date(time.clock().getTime() + 31 * 60_000)))?.asked).to.equal(1);
    const question = await citizen.notices();
    expect(question.texts).to.deep.equal(['感谢您前来办理！请您为本次办理服务（普通护照申领）做个评价：']);
    await asker?.sweep(new Date(time.clock().getTime() + 40 * 60_000));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(bot.simulator.received(citizen.user)).to.have.length(1);
    expect((await citizen.tap('非常满意', question)).texts[0]).to.contain('感谢您的评价（非常满意）');
  });

  it('lets agents and content staff (and admins) use the ratings endpoints, and no other role', async () => {
    for (const path of ['/admin/ratings', '/admin/ratings/stats', '/admin/rectifications']) {
      for (const [name, status] of [['agent-one', 200], ['content-one', 200], ['campaign-one', 403]] as const) expect((await call('GET', path, keys[name] ?? '')).status, `${name} ${path}`).to.equal(status);
      expect((await call('GET', path, ADMIN)).status, `admin ${path}`).to.equal(200);
    }
  });

  it('answers as its OpenAPI document says', async () => {
    const check = await openApiCheck((await call('GET', '/admin/openapi.json', ADMIN)).body);
    const [task] = (await call('GET', '/admin/rectifications?state=open,verified,done', ADMIN)).body as Array<{ id: string }>;
    const answers: Array<[string, string]> = [
      ['/admin/ratings?level=1,2,3,4,5', '/admin/ratings'],
      ['/admin/ratings/stats?groupBy=item', '/admin/ratings/stats'],
      ['/admin/rectifications?state=open,verified,done', '/admin/rectifications'],
      [`/admin/rectifications/${task?.id ?? ''}`, '/admin/rectifications/{id}'],
    ];
    for (const [url, path] of answers) {
      const answer = await call('GET', url, ADMIN);
      expect(answer.status, url).to.equal(200);
      if (Array.isArray(answer.body)) expect(answer.body, `${url} holds something to check`).not.to.be.empty;
      check.expectMatches(path, 'get', '200', answer.body);
    }
    expect(check.mediaTypes('/admin/ratings/stats', 'get', '200')).to.deep.equal(['application/json', 'text/csv']);
    const refused = await call('POST', `/admin/rectifications/${task?.id ?? ''}/verify`, ADMIN, { finding: '' });
    expect(refused.status).to.equal(400);
  });

  describe('statistics over a generated month', () => {
    let month: GeneratedService[];
    before(async function () {
      this.timeout(120_000);
      const ratings = bot.ratings;
      if (!ratings) throw new Error('the bot runs without ratings');
      month = generateMonth(20251101, ['ctcu', 'cmcc-xml', 'cmcc-json']);
      const { ledger } = ratings.stores;
      for (const service of month) {
        await ledger.served(service.record);
        if (service.level === undefined) continue;
        const question = await ledger.invite({ userKey: service.record.userKey, reason: 'idle' }, new Date(service.record.servedAt.getTime() + 600_000));
        await ledger.rate(question?._id ?? '', service.level, `rate-${service.record._id}`, new Date(service.record.servedAt.getTime() + 700_000));
      }
    });

    for (const groupBy of [undefined, 'level', 'item', 'hall', 'day', 'channel', 'kind'] as const) {
      it(`equals the counts computed from the raw ratings${groupBy ? ` by ${groupBy}` : ''}`, async () => {
        const query = `from=2025-11-01&to=2025-11-30${groupBy ? `&groupBy=${groupBy}` : ''}`;
        const answer = await call('GET', `/admin/ratings/stats?${query}`, keys['content-one'] ?? '');
        expect(answer.status).to.equal(200);
        const expected = expectedStats(month, '2025-11-01', '2025-11-30', groupBy);
        const stats = answer.body as { totals: unknown; groups: Array<{ key: string | null; services: number }> };
        expect(stats.totals).to.deep.equal(expected.totals);
        const byKey = Object.fromEntries(stats.groups.map(({ key, ...rest }) => [String(key), rest]));
        for (const [key, counts] of Object.entries(expected.groups)) expect(byKey[key], `${groupBy} ${key}`).to.deep.include(counts);
        if (groupBy) expect(stats.groups.filter((group) => group.services > 0).map((group) => String(group.key)).sort()).to.deep.equal(Object.keys(expected.groups).sort());
      });
    }

    it('counts a service on the district day it happened, at the edges of a range', async () => {
      const answer = (await call('GET', '/admin/ratings/stats?from=2025-11-10&to=2025-11-12&groupBy=day', keys['agent-one'] ?? '')).body as { totals: unknown; groups: Array<{ key: string }> };
      expect(answer.totals).to.deep.equal(expectedStats(month, '2025-11-10', '2025-11-12').totals);
      expect(answer.groups.map((group) => group.key)).to.deep.equal(['2025-11-10', '2025-11-11', '2025-11-12']);
    });

    it('shows the district report\'s scale: about a third of services rated, nearly all good', async () => {
      const { totals } = (await call('GET', '/admin/ratings/stats?from=2025-11-01&to=2025-11-30', keys['agent-one'] ?? '')).body as { totals: { ratingRate: number; goodRate: number } };
      expect(totals.ratingRate).to.be.within(0.25, 0.37);
      expect(totals.goodRate).to.be.within(0.985, 1);
    });

    it('answers as CSV for a spreadsheet, and refuses a bad range naming the field', async () => {
      const csv = await call('GET', '/admin/ratings/stats?from=2025-11-01&to=2025-11-30&groupBy=hall', keys['agent-one'] ?? '', undefined, 'text/csv');
      expect(csv.text.split('\r\n')[0]).to.equal('key,label,services,rated,good,ratingRate,goodRate,level5,level4,level3,level2,level1');
      const totals = csv.text.trim().split('\r\n').at(-1)?.split(',');
      const expected = expectedStats(month, '2025-11-01', '2025-11-30').totals;
      expect(totals?.slice(0, 5)).to.deep.equal(['total', '', String(expected.services), String(expected.rated), String(expected.good)]);
      const backwards = await call('GET', '/admin/ratings/stats?from=2025-11-30&to=2025-11-01', keys['agent-one'] ?? '');
      expect(backwards.status).to.equal(400);
      expect((backwards.body as { reason: string }).reason).to.match(/^query\.from/);
    });
  });
});

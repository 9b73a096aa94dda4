/**
 * The directory and campaigns through the staff API: an import keeps its good rows and lists the
 * bad ones by line and reason; a segment is only structured criteria; a preview counts and
 * explains; a large campaign needs a second person's approval; each lifecycle step is allowed
 * only from where it makes sense, and audited.
 */
import { expect } from 'chai';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { ADMIN, call, directory } from './harness.js';

const HEADER = 'creditCode,name,contact,phone,industry,type,scale,tags,street,registeredAt,employees,revenue';

describe('the directory and campaigns over the staff API', function () {
  this.timeout(60_000);
  let bot: RunningBot;
  const keys: Record<string, string> = {};
  const as = (who: string) => (method: string, path: string, body?: unknown, type?: string) => call<Record<string, unknown>>(bot.url, method, path, body, type, keys[who]);

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN, DEMO_DIRECTORY_SIZE: '0', CAMPAIGN_APPROVAL_THRESHOLD: '20' }, { handler: undefined });
    for (const [name, role] of [['陈推送', 'campaign'], ['周复核', 'campaign'], ['王坐席', 'agent']]) {
      const created = await call<{ key: string }>(bot.url, 'POST', '/admin/staff', { name, role });
      keys[name as string] = created.body.key;
    }
  });
  after(async () => bot?.close());

  it('imports the good rows of a CSV and lists each bad one with its line and reason', async () => {
    const { rows } = directory(3);
    const good = rows.map((row) => [row.creditCode, row.name, row.contact, row.phone, row.industry, row.type, row.scale, row.tags.join('|'), row.street, row.registeredAt, row.employees, row.revenue].join(','));
    const csv = [
      HEADER,
      good[0],
      '91440305100000008X,坏代码企业,张三,13800000001,I65,有限责任公司,小型,,粤海街道,2020-01-01,5,100',
      good[1],
      `${good[2]?.split(',').slice(0, 3).join(',')},0755-2666000,I65,有限责任公司,小型,,粤海街道,2020-01-01,5,100`,
      '91350100M000100Y43,标签写错的企业,李四,13800000002,I65,有限责任公司,小型,专精特心,粤海街道,2020-01-01,5,100',
      '91350100M000100Y43,少一列的企业,李四,13800000002,I65',
      '91350100M000100Y43,"引号里的,逗号企业",李四,13800000002,C39,有限责任公司,中型,高新技术企业|规上企业,南山街道,2020/1/5,"1,200",2500.5',
    ].join('\r\n');
    const answer = await as('陈推送')('POST', '/admin/enterprises', csv, 'text/csv');
    expect(answer.status).to.equal(200);
    expect(answer.body).to.deep.include({ imported: 3, updated: 0, rejectedCount: 4 });
    const rejected = answer.body.rejected as Array<{ line: number; reason: string }>;
    expect(rejected.map((entry) => entry.line)).to.deep.equal([3, 5, 6, 7]);
    expect(rejected[0]?.reason).to.match(/^creditCode: .*check character/);
    expect(rejected[1]?.reason).to.match(/^phone: "0755-2666000" is not a mainland mobile number/);
    expect(rejected[2]?.reason).to.match(/^tags: "专精特心" is not one of/);
    expect(rejected[3]?.reason).to.equal('has 5 fields, the header has 12');
    const quoted = await as('陈推送')('GET', '/admin/enterprises/91350100M000100Y43');
    expect(quoted.body).to.include({ name: '引号里的,逗号企业', industry: 'C39', employees: 1200, revenue: 2500.5, phone: 'tel:+8613800000002' });
    expect(quoted.body.tags).to.deep.equal(['高新技术企业', '规上企业']);
  });

  it('updates by credit code, takes NDJSON, and refuses what is not a directory file at all', async () => {
    const ndjson = [JSON.stringify({ creditCode: '91350100m000100y43', name: '改了名的企业', industry: 'C', type: '股份有限公司', scale: '大型', tags: ['上市企业'] }), '{"creditCode": 1', ''].join('\n');
    const answer = await as('陈推送')('POST', '/admin/enterprises', ndjson, 'application/x-ndjson');
    expect(answer.body).to.deep.include({ imported: 0, updated: 1, rejectedCount: 1 });
    const updated = await as('陈推送')('GET', '/admin/enterprises/91350100M000100Y43');
    expect(updated.body).to.include({ name: '改了名的企业', scale: '大型', employees: 1200, phone: 'tel:+8613800000002' });
    const badHeader = await as('陈推送')('POST', '/admin/enterprises', 'creditCode,name,phon\n', 'text/csv');
    expect(badHeader.status).to.equal(400);
    expect(badHeader.body.reason).to.match(/^body: header: unknown column\(s\) "phon"/);
    expect((await as('陈推送')('POST', '/admin/enterprises', 'a,b', 'text/plain')).status).to.equal(415);
    const lookup = await as('陈推送')('GET', '/admin/enterprises?phone=138-0000-0002');
    expect((lookup.body.enterprises as Array<{ name: string }>).map((enterprise) => enterprise.name)).to.deep.equal(['改了名的企业']);
  });

  it('previews an audience with who is left out and why, and takes no raw database operator as a segment', async () => {
    const { csv } = directory(400, 11);
    expect((await as('陈推送')('POST', '/admin/enterprises', csv, 'text/csv')).body).to.include({ rejectedCount: 0 });
    const preview = await as('陈推送')('POST', '/admin/segments/preview', { policy: 'startup-guarantee-loan', segment: { streets: ['粤海街道'] } });
    expect(preview.status).to.equal(200);
    const body = preview.body as { count: number; enterprises: number; excluded: { noNumber: number; duplicate: number; optedOut: number }; sample: Array<{ phone: string }> };
    expect(body.count).to.be.greaterThan(20);
    expect(body.enterprises).to.equal(body.count + body.excluded.noNumber + body.excluded.duplicate);
    expect(body.sample).to.have.length(10);
    expect(body.sample[0]?.phone).to.match(/^1\d{2}\*{4}\d{4}$/);
    const sampled = body.sample[0] as unknown as { creditCode: string };
    const number = (await as('陈推送')('GET', `/admin/enterprises/${sampled.creditCode}`)).body.phone as string;
    await bot.simulator.sendText(number, '退订');
    await bot.simulator.waitForMessages((all) => all.some((message) => message.user === number), 10_000);
    const after = (await as('陈推送')('POST', '/admin/segments/preview', { policy: 'startup-guarantee-loan', segment: { streets: ['粤海街道'] } })).body as typeof body;
    expect(after.count).to.equal(body.count - 1);
    expect(after.excluded.optedOut).to.equal(1);
    for (const segment of [{ scales: { $in: ['小型'] } }, { $where: 'true' }, { streets: [] }, { employees: { min: 10, max: 5 } }]) {
      const refused = await as('陈推送')('POST', '/admin/segments/preview', { policy: 'startup-guarantee-loan', segment });
      expect(refused.status, JSON.stringify(segment)).to.equal(400);
      expect(refused.body.reason, JSON.stringify(segment)).to.match(/^body\.segment/);
    }
  });

  it('lets a large campaign start only after a second person approved it, each step once and audited', async () => {
    const created = await as('陈推送')('POST', '/admin/campaigns', { name: '创业担保贷款贴息', policy: 'startup-guarantee-loan', segment: { streets: ['粤海街道'] }, rate: 1, schedule: { quietHours: null } });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ status: 'draft', needsApproval: true });
    const id = created.body.id as string;
    const step = (who: string, action: string) => as(who)('POST', `/admin/campaigns/${id}/${action}`);
    const refused = await step('陈推送', 'start');
    expect(refused.status).to.equal(409);
    expect(refused.body.reason).to.match(/over 20: another person .* must approve/);
    expect((await step('陈推送', 'approve')).status, 'no approving one’s own campaign').to.equal(409);
    expect((await step('王坐席', 'approve')).status, 'agents do not approve').to.equal(403);
    expect((await step('周复核', 'approve')).body).to.include({ needsApproval: false });
    expect((await step('陈推送', 'start')).body).to.include({ status: 'running' });
    expect((await step('陈推送', 'start')).status, 'started once').to.equal(409);
    expect((await step('周复核', 'pause')).body).to.include({ status: 'paused' });
    expect((await step('周复核', 'pause')).status).to.equal(409);
    expect((await step('陈推送', 'resume')).body).to.include({ status: 'running' });
    expect((await step('陈推送', 'cancel')).body).to.include({ status: 'cancelled' });
    expect((await step('陈推送', 'resume')).status).to.equal(409);
    const read = await as('陈推送')('GET', `/admin/campaigns/${id}`);
    expect(read.body).to.include({ status: 'cancelled' });
    const audit = (await call<Array<{ action: string; actor: { name: string } }>>(bot.url, 'GET', `/admin/audit?target=${id}`)).body;
    expect(audit.map((entry) => `${entry.action} ${entry.actor.name}`).reverse()).to.deep.equal([
      'campaign.create 陈推送',
      'campaign.approve 周复核',
      'campaign.start 陈推送',
      'campaign.pause 周复核',
      'campaign.resume 陈推送',
      'campaign.cancel 陈推送',
    ]);
    expect((await as('陈推送')('GET', '/admin/campaigns/00000000-0000-4000-8000-000000000000')).status).to.equal(404);
  });

  it('names the field of a bad campaign', async () => {
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ name: 'x', policy: 'catering-chain-brand' }, /^body\.policy: its application window closed/],
      [{ name: 'x', policy: 'listing-reward', template: 'guide' }, /^body\.template: must be a campaign card template/],
      [{ name: 'x', policy: 'listing-reward', smsText: '新政策来了' }, /^body\.smsText: must tell how to unsubscribe/],
      [{ name: 'x', policy: 'listing-reward', schedule: { startAt: '2030-01-02T00:00:00+08:00', endAt: '2030-01-01T00:00:00+08:00' } }, /^body\.schedule\.endAt: must be after startAt/],
      [{ name: 'x', policy: 'listing-reward', schedule: { quietHours: { start: '25:00', end: '08:00' } } }, /^body\.schedule\.quietHours/],
      [{ name: 'x', policy: 'listing-reward', rate: 0 }, /^body\.rate/],
      [{ name: 'x', policy: 'listing-reward', platform: 'nowhere' }, /^body\.platform/],
    ];
    for (const [body, reason] of cases) {
      const answer = await as('陈推送')('POST', '/admin/campaigns', body);
      expect(answer.status, JSON.stringify(body)).to.equal(400);
      expect(answer.body.reason, JSON.stringify(body)).to.match(reason);
    }
  });
});

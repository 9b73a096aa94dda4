/**
 * The staff API over real HTTP: keys and roles (401 without or with a wrong key, 403 with the
 * wrong role), accounts created, used and revoked, the audit log, throttled guessing, and the
 * OpenAPI document — valid, and true to what the server answers.
 */
import { expect } from 'chai';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';

const ADMIN = 'test-admin-token-0123456789';

interface Answer {
  status: number;
  body: unknown;
}

describe('the staff API', function () {
  this.timeout(60_000);
  let bot: RunningBot;
  const keys: Record<string, string> = {};

  async function call(method: string, path: string, key?: string, body?: unknown): Promise<Answer> {
    const response = await fetch(`${bot.url}${path}`, {
      method,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async function raw(path: string, key: string | undefined, body: string, type: string): Promise<Answer> {
    const response = await fetch(`${bot.url}${path}`, { method: 'POST', headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), 'content-type': type }, body });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }

  before(async () => {
    // The real conversation: the directory, policy and campaign endpoints come with it.
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN, DEMO_DIRECTORY_SIZE: '5' }, { handler: undefined });
    for (const role of ['agent', 'content', 'campaign', 'clerk', 'admin']) {
      const created = await call('POST', '/admin/staff', ADMIN, { name: `${role}-one`, role, ...(role === 'clerk' ? { hall: 'ns-main' } : {}) });
      expect(created.status).to.equal(201);
      keys[role] = (created.body as { key: string }).key;
    }
  });
  after(async () => bot?.close());

  it('refuses a call without a key, or with a wrong one, with 401 and a reason', async () => {
    expect((await call('GET', '/admin/staff')).status).to.equal(401);
    const wrong = await call('GET', '/admin/staff', 'rcs_0000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    expect(wrong.status).to.equal(401);
    expect((wrong.body as { reason: string }).reason).to.contain('not valid');
  });

  it('lets each role do what it may, and answers 403 otherwise', async () => {
    const campaign = (await call('POST', '/admin/campaigns', ADMIN, { name: 'matrix', policy: 'listing-reward' })).body as { id: string };
    const other = (await call('POST', '/admin/campaigns', keys.campaign, { name: 'matrix 2', policy: 'listing-reward' })).body as { id: string };
    const preview = { policy: 'listing-reward', segment: {} };
    const none = { agent: 403, content: 403, clerk: 403 };
    // [method, path, body, expected status by role] — every staff endpoint.
    const matrix: Array<[string, string, unknown, Record<string, number>]> = [
      ['GET', '/admin/staff', undefined, { ...none, campaign: 403, admin: 200 }],
      ['GET', '/admin/audit', undefined, { ...none, campaign: 403, admin: 200 }],
      ['GET', '/admin/whoami', undefined, { agent: 200, content: 200, campaign: 200, clerk: 200, admin: 200 }],
      ['GET', '/admin/openapi.json', undefined, { agent: 200, content: 200, campaign: 200, clerk: 200, admin: 200 }],
      ['GET', '/admin/handoffs', undefined, { ...none, agent: 200, campaign: 403, admin: 200 }],
      ['GET', '/admin/appointments?hall=ns-main&date=2030-01-07', undefined, { ...none, clerk: 200, campaign: 403, admin: 200 }],
      ['GET', '/admin/policies', undefined, { ...none, content: 200, campaign: 200, admin: 200 }],
      ['GET', '/admin/enterprises', undefined, { ...none, campaign: 200, admin: 200 }],
      ['GET', '/admin/enterprises/91350100M000100Y43', undefined, { ...none, campaign: 404, admin: 404 }],
      ['POST', '/admin/enterprises', 'ndjson', { ...none, campaign: 200, admin: 200 }],
      ['POST', '/admin/segments/preview', preview, { ...none, campaign: 200, admin: 200 }],
      ['POST', '/admin/campaigns', { name: 'm', policy: 'listing-reward' }, { ...none, campaign: 201, admin: 201 }],
      ['GET', '/admin/campaigns', undefined, { ...none, campaign: 200, admin: 200 }],
      ['GET', `/admin/campaigns/${campaign.id}`, undefined, { ...none, campaign: 200, admin: 200 }],
      // The campaign role approves another's campaign (its own: 409); an admin may do everything.
      ['POST', `/admin/campaigns/${campaign.id}/approve`, undefined, { ...none, campaign: 200, admin: 409 }],
      ['POST', `/admin/campaigns/${other.id}/approve`, undefined, { ...none, admin: 200 }],
      ['POST', `/admin/campaigns/${campaign.id}/start`, undefined, { ...none, campaign: 200 }],
      ['POST', `/admin/campaigns/${campaign.id}/pause`, undefined, { ...none, campaign: 200 }],
      ['POST', `/admin/campaigns/${campaign.id}/resume`, undefined, { ...none, admin: 200 }],
      ['POST', `/admin/campaigns/${campaign.id}/cancel`, undefined, { ...none, campaign: 200 }],
    ];
    for (const [method, path, body, expected] of matrix) {
      for (const [role, status] of Object.entries(expected)) {
        const sent = body === 'ndjson' ? await raw(path, keys[role], '{"creditCode":"91350100M000100Y43","name":"矩阵","industry":"I","type":"有限责任公司","scale":"小型"}\n', 'application/x-ndjson') : await call(method, path, keys[role], body);
        expect(sent.status, `${role} ${method} ${path}`).to.equal(status);
      }
    }
    expect((await call('POST', '/admin/staff', keys.content, { name: 'x', role: 'admin' })).status).to.equal(403);
  });

  it('names the field of a bad body, and refuses a second account of one name', async () => {
    const bad = await call('POST', '/admin/staff', ADMIN, { name: 'someone', role: 'boss' });
    expect(bad.status).to.equal(400);
    expect((bad.body as { reason: string }).reason).to.match(/^body\.role/);
    expect((await call('POST', '/admin/staff', ADMIN, { name: 'agent-one', role: 'agent' })).status).to.equal(409);
  });

  it('gives a hall to clerk accounts only, one that takes appointments', async () => {
    const reasonOf = async (body: unknown): Promise<string> => {
      const answer = await call('POST', '/admin/staff', ADMIN, body);
      expect(answer.status, JSON.stringify(body)).to.equal(400);
      return (answer.body as { reason: string }).reason;
    };
    expect(await reasonOf({ name: 'clerk-one', role: 'clerk' })).to.match(/^body\.hall: a clerk account needs a hall/);
    expect(await reasonOf({ name: 'clerk-one', role: 'clerk', hall: 'ns-nowhere' })).to.match(/^body\.hall: no hall "ns-nowhere" takes appointments/);
    expect(await reasonOf({ name: 'agent-two', role: 'agent', hall: 'ns-main' })).to.match(/^body\.hall: the agent role has no hall/);
    expect((await call('POST', '/admin/staff', ADMIN, { name: 'clerk-two', role: 'clerk', hall: 'ns-main' })).status).to.equal(201);
  });

  it('stops accepting a revoked key, and records who created and revoked it', async () => {
    const created = await call('POST', '/admin/staff', keys.admin, { name: 'temporary', role: 'agent' });
    const key = (created.body as { key: string }).key;
    expect((await call('GET', '/admin/whoami', key)).status).to.equal(200);
    expect((await call('POST', '/admin/staff/temporary/revoke', keys.admin)).status).to.equal(200);
    expect((await call('GET', '/admin/whoami', key)).status).to.equal(401);
    const audit = (await call('GET', '/admin/audit?target=temporary', ADMIN)).body as Array<{ action: string; actor: { name: string } }>;
    expect(audit.map((entry) => `${entry.action} by ${entry.actor.name}`)).to.deep.equal(['staff.revoke by admin-one', 'staff.create by admin-one']);
  });

  it('slows down an address that keeps guessing keys', async () => {
    const guess = async (): Promise<number> => {
      const started = Date.now();
      await call('GET', '/admin/whoami', `rcs_1111111111_${'B'.repeat(43)}`);
      return Date.now() - started;
    };
    const times: number[] = [];
    for (let attempt = 0; attempt < 8; attempt++) times.push(await guess());
    expect(Math.max(...times.slice(0, 4)), 'the first failures are answered at once').to.be.below(200);
    expect(times.at(-1), 'later ones wait').to.be.at.least(500);
  });

  it('describes itself in a valid OpenAPI 3.1 document, and answers as it says', async () => {
    const document = (await call('GET', '/admin/openapi.json', keys.agent)).body as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>; components?: { schemas?: Record<string, unknown> } };
    const validation = await new Validator().validate(document as never);
    expect(validation.valid, JSON.stringify(validation.errors)).to.equal(true);
    const ajv = new Ajv2020({ strict: false });
    addFormats.default(ajv);
    ajv.addSchema({ $id: 'doc', components: document.components ?? {} });
    const schemaOf = (path: string, method: string, status: string): unknown => {
      const schema = document.paths[path]?.[method]?.responses[status]?.content?.['application/json']?.schema;
      return JSON.parse(JSON.stringify(schema).replace(/"#\/components/g, '"doc#/components'));
    };
    const created = (await call('POST', '/admin/campaigns', keys.campaign, { name: '文档', policy: 'listing-reward', schedule: { startAt: '2030-01-01T09:00:00+08:00' } })).body as { id: string };
    const enterprises = ((await call('GET', '/admin/enterprises', ADMIN)).body as { count: number }).count;
    expect(enterprises, 'the demo directory seeded at start, and more').to.be.at.least(5);
    const listed = (await raw('/admin/enterprises', ADMIN, 'creditCode,name,industry,type,scale,phone\n91350100M000200Y4T,文档企业,I65,有限责任公司,小型,13800000009\nbad,row,,,,\n', 'text/csv')).body;
    const checks: Array<[string, string, string, string, unknown?]> = [
      ['GET', '/admin/staff', '/admin/staff', '200'],
      ['GET', '/admin/audit', '/admin/audit', '200'],
      ['GET', '/admin/whoami', '/admin/whoami', '200'],
      ['GET', '/admin/staff', '/admin/staff', '401'],
      ['GET', '/admin/policies', '/admin/policies', '200'],
      ['GET', '/admin/enterprises?phone=13800000009', '/admin/enterprises', '200'],
      ['GET', '/admin/enterprises/91350100M000200Y4T', '/admin/enterprises/{creditCode}', '200'],
      ['GET', '/admin/enterprises/91350100M000100Y44', '/admin/enterprises/{creditCode}', '404'],
      ['POST', '/admin/segments/preview', '/admin/segments/preview', '200', { policy: 'listing-reward', segment: { scales: ['大型'] } }],
      ['POST', '/admin/segments/preview', '/admin/segments/preview', '400', { policy: 'listing-reward', segment: { scale: ['大型'] } }],
      ['POST', '/admin/campaigns', '/admin/campaigns', '201', { name: '文档 2', policy: 'listing-reward', smsText: '上市奖励开始申报，回复TD退订', rate: 5 }],
      ['GET', '/admin/campaigns', '/admin/campaigns', '200'],
      ['GET', `/admin/campaigns/${created.id}`, '/admin/campaigns/{id}', '200'],
      ['POST', `/admin/campaigns/${created.id}/start`, '/admin/campaigns/{id}/start', '200'],
      ['POST', `/admin/campaigns/${created.id}/start`, '/admin/campaigns/{id}/start', '409'],
    ];
    expect(listed, 'the import answer').to.deep.include({ imported: 1, rejectedCount: 1 });
    const importSchema = ajv.compile(schemaOf('/admin/enterprises', 'post', '200') as object);
    expect(importSchema(listed), JSON.stringify(importSchema.errors)).to.equal(true);
    for (const [method, url, path, status, body] of checks) {
      const answer = await call(method, url, status === '401' ? undefined : ADMIN, body);
      expect(String(answer.status)).to.equal(status);
      const validate = ajv.compile(schemaOf(path, method.toLowerCase(), status) as object);
      expect(validate(answer.body), `${method} ${url}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
  });
});

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

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN });
    for (const role of ['agent', 'content', 'campaign', 'admin']) {
      const created = await call('POST', '/admin/staff', ADMIN, { name: `${role}-one`, role });
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
    const matrix: Array<[string, string, Record<string, number>]> = [
      ['GET', '/admin/staff', { agent: 403, content: 403, campaign: 403, admin: 200 }],
      ['GET', '/admin/audit', { agent: 403, content: 403, campaign: 403, admin: 200 }],
      ['GET', '/admin/whoami', { agent: 200, content: 200, campaign: 200, admin: 200 }],
      ['GET', '/admin/openapi.json', { agent: 200, content: 200, campaign: 200, admin: 200 }],
    ];
    for (const [method, path, expected] of matrix) {
      for (const [role, status] of Object.entries(expected)) expect((await call(method, path, keys[role])).status, `${role} ${method} ${path}`).to.equal(status);
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
    // This bot runs without the conversation: no hall takes appointments here.
    expect(await reasonOf({ name: 'clerk-one', role: 'clerk' })).to.match(/^body\.hall: a clerk account needs a hall/);
    expect(await reasonOf({ name: 'clerk-one', role: 'clerk', hall: 'ns-main' })).to.match(/^body\.hall: no hall "ns-main" takes appointments/);
    expect(await reasonOf({ name: 'agent-two', role: 'agent', hall: 'ns-main' })).to.match(/^body\.hall: the agent role has no hall/);
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
    const checks: Array<[string, string, string, string]> = [
      ['GET', '/admin/staff', '/admin/staff', '200'],
      ['GET', '/admin/audit', '/admin/audit', '200'],
      ['GET', '/admin/whoami', '/admin/whoami', '200'],
      ['GET', '/admin/staff', '/admin/staff', '401'],
    ];
    for (const [method, url, path, status] of checks) {
      const answer = await call(method, url, status === '401' ? undefined : ADMIN);
      expect(String(answer.status)).to.equal(status);
      const validate = ajv.compile(schemaOf(path, method.toLowerCase(), status) as object);
      expect(validate(answer.body), `${method} ${url}: ${JSON.stringify(validate.errors)}`).to.equal(true);
    }
  });
});

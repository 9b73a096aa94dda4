/**
 * A full handoff over real HTTP: the citizen asks for an agent through the simulated platform,
 * agents see the queue, exactly one of two agents taking it at once gets it, the agent reads the
 * conversation, replies with text and with a guide card, and closes it; the citizen hears each,
 * and is then asked to rate the service.
 */
import { expect } from 'chai';
import type { ReceivedMessage } from '../../src/channels/simulator/index.js';
import { startTestBot, type RunningBot } from '../channels/ctcu/botHarness.js';
import { agentsInClock } from '../support/clock.js';

const ADMIN = 'test-admin-token-0123456789';
const CITIZEN = 'tel:+8613912340000';


describe('handoffs to human agents', function () {
  this.timeout(60_000);
  let bot: RunningBot;
  const keys: Record<string, string> = {};

  async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${bot.url}${path}`, { method, headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async function citizenGets(count: number): Promise<ReceivedMessage[]> {
    await bot.simulator.waitForMessages(() => bot.simulator.received(CITIZEN).length >= count, 15_000);
    return bot.simulator.received(CITIZEN);
  }

  before(async () => {
    bot = await startTestBot({ ADMIN_TOKEN: ADMIN }, { handler: undefined, clock: agentsInClock() });
    for (const name of ['agent-one', 'agent-two', 'content-one']) {
      const created = await call('POST', '/admin/staff', ADMIN, { name, role: name.startsWith('agent') ? 'agent' : 'content' });
      keys[name] = created.body.key as string;
    }
  });
  after(async () => bot?.close());

  it('queues the citizen, shows the queue to agents, and lets exactly one of two agents take it', async () => {
    await bot.simulator.sendText(CITIZEN, '我想办居住证');
    await citizenGets(1);
    await bot.simulator.sendText(CITIZEN, '转人工');
    const [, queued] = await citizenGets(2);
    expect(JSON.stringify(queued?.parts)).to.contain('已为您转接人工客服');
    await bot.simulator.sendText(CITIZEN, '我的租房合同是复印件可以吗');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(bot.simulator.received(CITIZEN), 'the bot stays silent while the handoff is open').to.have.length(2);

    const queue = await call('GET', '/admin/handoffs', keys['agent-one'] ?? '');
    expect(queue.status).to.equal(200);
    const [waiting] = queue.body as unknown as Array<{ id: string; state: string; item: string; messages: Array<{ text: string }> }>;
    expect(waiting).to.deep.include({ state: 'waiting', item: 'residence-permit-apply' });
    expect(waiting?.messages.map((message) => message.text)).to.deep.equal(['我的租房合同是复印件可以吗']);
    expect((await call('GET', '/admin/handoffs', keys['content-one'] ?? '')).status, 'content staff are not agents').to.equal(403);

    const takes = await Promise.all(['agent-one', 'agent-two'].map((name) => call('POST', `/admin/handoffs/${waiting?.id}/take`, keys[name] ?? '')));
    expect(takes.map((take) => take.status).sort()).to.deep.equal([200, 409]);
  });

  it('shows the agent the conversation, sends the citizen the agent\'s text and guide card, and closes', async () => {
    const [record] = (await call('GET', '/admin/handoffs?state=active', ADMIN)).body as unknown as Array<{ id: string; agent: { name: string } }>;
    const agent = record?.agent.name ?? '';
    const other = agent === 'agent-one' ? 'agent-two' : 'agent-one';
    const detail = await call('GET', `/admin/handoffs/${record?.id}`, keys[agent] ?? '');
    const transcript = detail.body.transcript as Array<{ from: string; text?: string; message?: unknown }>;
    expect(transcript.filter((entry) => entry.from === 'citizen').map((entry) => entry.text)).to.deep.equal(['我想办居住证', '转人工', '我的租房合同是复印件可以吗']);
    expect(JSON.stringify(transcript.filter((entry) => entry.from === 'bot'))).to.contain('居住证申领');

    expect((await call('POST', `/admin/handoffs/${record?.id}/reply`, keys[other] ?? '', { text: '我来答' })).status, 'only the agent who took it replies').to.equal(409);
    expect((await call('POST', `/admin/handoffs/${record?.id}/reply`, keys[agent] ?? '', { text: '复印件可以，办理时带上原件核对。' })).status).to.equal(200);
    const [, , text] = await citizenGets(3);
    expect(JSON.stringify(text?.parts)).to.contain(`人工客服${agent}：复印件可以，办理时带上原件核对。`);
    expect((await call('POST', `/admin/handoffs/${record?.id}/reply`, keys[agent] ?? '', { item: 'housing-rental-registration' })).status).to.equal(200);
    const [, , , guide] = await citizenGets(4);
    expect(JSON.stringify(guide?.parts)).to.contain('房屋租赁登记备案');

    expect((await call('POST', `/admin/handoffs/${record?.id}/close`, keys[agent] ?? '', { summary: '已说明复印件要求' })).status).to.equal(200);
    const [, , , , closed, question] = await citizenGets(6);
    expect(JSON.stringify(closed?.parts)).to.contain('本次人工服务已结束');
    expect(JSON.stringify(question?.parts), 'then the rating question').to.contain('请您为本次人工服务（居住证申领）做个评价');
    await bot.simulator.sendText(CITIZEN, '你好');
    const [, , , , , , greeting] = await citizenGets(7);
    expect(JSON.stringify(greeting?.parts), 'the bot answers again').to.contain('您好');

    const audit = (await call('GET', `/admin/audit?target=${record?.id}`, ADMIN)).body as unknown as Array<{ action: string; actor: { name: string } }>;
    expect(audit.map((entry) => entry.action)).to.deep.equal(['handoff.close', 'handoff.reply', 'handoff.reply', 'handoff.take']);
  });
});

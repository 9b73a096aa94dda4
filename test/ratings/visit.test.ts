/**
 * 好差评 after a visit, end to end: a citizen books in the chat and takes a queue number, a clerk
 * calls it to a window over the staff API, and half an hour later — once they have been served —
 * the sweep asks the citizen to rate the visit, once.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { pino } from 'pino';
import { startBot } from '../../src/bot.js';
import { parseConfig } from '../../src/config.js';
import type { RunningBot } from '../channels/ctcu/botHarness.js';
import { APP_ID, CALLBACK_TOKEN, CHATBOT_ID } from '../channels/ctcu/signedRequest.js';
import { at } from '../appointments/support.js';
import { Phone } from '../support/phone.js';

const ADMIN_TOKEN = 'test-admin-token-0123456789';

describe('好差评 after a visit to the hall', function () {
  this.timeout(120_000);
  const clock = { now: at('2026-12-03', '08:30') };
  let dataDir: string;
  let bot: RunningBot;

  async function staffCall(path: string, key: string, body?: unknown): Promise<Response> {
    return fetch(`${bot.url}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ratings-visit-'));
    const config = parseConfig({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CHATBOT_ID, APP_ID, CALLBACK_TOKEN, SEND_RATE: '1000', ADMIN_TOKEN });
    const started = await startBot(config, pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }), { simulator: { reportDelayMs: 1, port: 0 }, clock: () => clock.now, ratingSweepMs: 0 });
    if (!started.simulator) throw new Error('expected the simulator');
    bot = { ...started, simulator: started.simulator };
  });
  after(async () => {
    await bot?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('asks half an hour after the citizen was called to a window', async () => {
    const clerk = ((await (await staffCall('/admin/staff', ADMIN_TOKEN, { name: 'clerk-main', role: 'clerk', hall: 'ns-main' })).json()) as { key: string }).key;
    const citizen = new Phone(bot, 'tel:+8613966660099');
    const offer = await citizen.send('今天上午九点半预约居住证');
    await citizen.tap(offer.chips.find((label) => label.startsWith('12月3日 09:30')) ?? '', offer);
    const ticket = await citizen.tap('远程取号', await citizen.send('我的预约'));
    expect(ticket.titles[0]).to.match(/^您的号码 A\d{3}$/);

    clock.now = at('2026-12-03', '09:31');
    expect((await staffCall('/admin/halls/ns-main/queue/next', clerk, { window: 'A05' })).status).to.equal(200);
    expect((await citizen.notices()).texts[0]).to.contain('号窗口办理“居住证申领”');
    const sweep = async (): Promise<number> => (await bot.ratings?.asker.sweep(clock.now))?.asked ?? -1;
    clock.now = at('2026-12-03', '09:50');
    expect(await sweep(), 'still being served').to.equal(0);
    clock.now = at('2026-12-03', '10:02');
    expect(await sweep()).to.equal(1);
    const question = await citizen.notices();
    expect(question.texts).to.deep.equal(['感谢您前来办理！请您为本次办理服务（居住证申领）做个评价：']);
    clock.now = at('2026-12-03', '10:30');
    expect(await sweep(), 'once').to.equal(0);
    expect((await citizen.tap('满意', question)).texts[0]).to.contain('感谢您的评价（满意）');
    const stats = (await (await staffCall('/admin/ratings/stats?from=2026-12-03&to=2026-12-03&groupBy=kind', ADMIN_TOKEN)).json()) as { groups: Array<{ key: string; services: number; rated: number }> };
    expect(stats.groups.find((group) => group.key === 'visit')).to.include({ services: 1, rated: 1 });
  });
});

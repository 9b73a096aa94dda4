/**
 * Exactly once through crashes: a campaign to a directory of 2,000 enterprises is dispatched by a
 * bot process (the one `npm start` runs, on its own embedded store) that is killed with SIGKILL
 * twice mid-campaign and started again. In the end the platform got exactly one message for each
 * eligible contact number, none for numbers that opted out or are outside the segment, and the
 * campaign's statistics equal what the platform counted.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { spawnBot, stopChild, type ChildBot } from '../support/processes.js';
import { ADMIN, call, directory, isCampaignMessage, until, type CampaignAnswer } from './harness.js';

const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
const STREETS = ['粤海街道', '南山街道', '南头街道', '蛇口街道', '西丽街道'];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('a campaign through two SIGKILLs', function () {
  this.timeout(120_000);
  let simulator: Simulator;
  let bot: ChildBot | undefined;
  let dataDir: string;

  after(async () => {
    await stopChild(bot?.child, true);
    await simulator?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('sends exactly one message to each eligible contact, none to others, and counts what the platform counted', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'campaign-crash-'));
    const { rows, csv } = directory(2000);
    // The test's own reckoning: the policy (企业吸纳就业补贴) asks for employees and no listing; the segment names streets.
    const inSegment = rows.filter((row) => STREETS.includes(row.street) && row.employees >= 1 && !row.tags.includes('上市企业') && row.phone !== '');
    const numbers = [...new Set(inSegment.map((row) => `tel:+86${row.phone}`))];
    const optedOut = numbers.slice(0, 6);
    const smsOnly = numbers.slice(10, 40);
    const unknown = numbers.slice(50, 60);
    const eligible = new Set(numbers.filter((number) => !optedOut.includes(number)));

    simulator = await startSimulator(
      { chatbotId: CHATBOT_ID, appId: 'crash-app', appKey: 'crash-app-key', callbackToken: 'crash-callback-token', apiVersion: 'v1', reportDelayMs: 20, reportAttempts: 200, non5gNumbers: smsOnly, unknownNumbers: unknown },
      pino({ level: 'silent' }),
    );
    const env = {
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PLATFORM_URL: simulator.serverRoot,
      CHATBOT_ID,
      APP_ID: 'crash-app',
      APP_KEY: 'crash-app-key',
      CALLBACK_TOKEN: 'crash-callback-token',
      ADMIN_TOKEN: ADMIN,
      SEND_RATE: '400',
      OUTBOX_LEASE_SECONDS: '2',
      INBOUND_LEASE_SECONDS: '2',
      DEMO_DIRECTORY_SIZE: '0',
      LOG_LEVEL: 'info',
    };
    const start = async (): Promise<string> => {
      bot = await spawnBot(env, 60_000);
      simulator.setNotifyUrl(bot.url);
      return bot.url;
    };
    let url = await start();

    const imported = await call<{ imported: number; rejectedCount: number }>(url, 'POST', '/admin/enterprises', csv, 'text/csv');
    expect(imported.body).to.include({ imported: 2000, rejectedCount: 0 });
    for (const number of optedOut) await simulator.sendText(number, '退订');
    await simulator.waitForMessages((all) => optedOut.every((number) => all.some((message) => message.user === number)), 20_000);

    const created = await call<{ id: string; audience: number }>(url, 'POST', '/admin/campaigns', {
      name: '吸纳就业补贴推送',
      policy: 'job-absorption-subsidy',
      segment: { streets: STREETS },
      rate: 150,
      schedule: { quietHours: null },
    });
    expect(created.status).to.equal(201);
    expect(created.body.audience).to.equal(eligible.size);
    const id = created.body.id;
    expect((await call(url, 'POST', `/admin/campaigns/${id}/start`)).status).to.equal(200);

    const campaignMessages = (): number => simulator.received().filter(isCampaignMessage).length;
    for (const share of [0.25, 0.6]) {
      await until(`${share * 100}% of the campaign`, async () => (campaignMessages() >= eligible.size * share ? true : undefined), 40_000, 20);
      await stopChild(bot?.child, true);
      url = await start();
    }

    const done = await until(
      'the campaign to complete and its reports to settle',
      async () => {
        const answer = await call<CampaignAnswer>(url, 'GET', `/admin/campaigns/${id}`);
        const { stats } = answer.body;
        const settled = answer.body.status === 'completed' && stats.queued === 0 && stats.delivered + stats.deliveredAsSms + stats.failed === stats.sent;
        return settled ? answer.body : undefined;
      },
      60_000,
      250,
    );

    const received = simulator.received().filter(isCampaignMessage);
    const perNumber = new Map<string, number>();
    for (const message of received) perNumber.set(message.user, (perNumber.get(message.user) ?? 0) + 1);
    expect([...perNumber.values()].filter((count) => count > 1), 'no number got two').to.deep.equal([]);
    expect(new Set(perNumber.keys()), 'exactly the eligible numbers').to.deep.equal(eligible);
    for (const number of optedOut) expect(perNumber.has(number), `${number} opted out`).to.equal(false);

    const reported = (statuses: string[]): number => received.filter((message) => statuses.includes(simulator.reportedStatus(message.messageId) ?? '')).length;
    expect(done.stats).to.include({
      targeted: numbers.length,
      sent: received.length,
      delivered: reported(['delivered', 'displayed']),
      displayed: reported(['displayed']),
      deliveredAsSms: received.filter((message) => message.deliveredAs === 'sms').length,
      failed: reported(['failed']),
      pending: 0,
    });
    expect(done.stats.excluded.optedOut).to.equal(optedOut.length);
    expect(done.stats.deliveredAsSms).to.equal(smsOnly.length);
    expect(done.stats.failed).to.equal(unknown.length);
  });
});

/**
 * kill -9 of the bot under load: every message the bot acknowledged is answered after restart,
 * once — sessions, turns and all. The bot runs as a child process with the embedded store in a
 * temp DATA_DIR (the kill takes the store down too; the restart reloads it); the platform
 * simulator runs here, so it outlives the bot and records what was sent.
 */
import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { spawnBot, stopChild, type ChildBot } from '../support/processes.js';

const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
const CALLBACK_TOKEN = 'crash-test-token';

describe('crash recovery', function () {
  this.timeout(90_000);
  let simulator: Simulator;
  let dataDir: string;
  let bot: ChildBot | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'crash-test-'));
    simulator = await startSimulator(
      { chatbotId: CHATBOT_ID, appId: 'crash-app', appKey: 'crash-key', callbackToken: CALLBACK_TOKEN, apiVersion: 'v1', host: '127.0.0.1', reportDelayMs: 1 },
      pino({ level: 'silent' }),
    );
  });
  afterEach(async () => {
    const child = bot?.child;
    bot = undefined;
    await stopChild(child, true);
  });
  after(async () => {
    await simulator.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function botEnv(): Record<string, string> {
    return {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PLATFORM_URL: simulator.serverRoot,
      CHATBOT_ID,
      APP_ID: 'crash-app',
      APP_KEY: 'crash-key',
      CALLBACK_TOKEN,
      SEND_RATE: '2000',
      LOG_LEVEL: 'info',
      // Work the killed process had claimed is taken over after this long.
      INBOUND_LEASE_SECONDS: '1',
      OUTBOX_LEASE_SECONDS: '1',
    };
  }

  /**
   * Users greet the bot until `stop()` (a greeting gets exactly one message back); the
   * contribution ids of the messages the bot acknowledged are collected.
   */
  function startLoad(tag: string): { acknowledged: string[]; stop: () => Promise<void> } {
    const acknowledged: string[] = [];
    let sent = 0;
    let stopped = false;
    const load = async (worker: number): Promise<void> => {
      while (!stopped) {
        const contributionId = `${tag}-${worker}-${sent++}`;
        const answer = await simulator.sendText(`tel:+86139000${String(worker).padStart(5, '0')}`, '你好', { contributionId });
        if (answer.status === 200) acknowledged.push(contributionId);
        else if (answer.status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const workers = Array.from({ length: 12 }, (_, worker) => load(worker));
    return {
      acknowledged,
      stop: async () => {
        stopped = true;
        await Promise.all(workers);
      },
    };
  }

  /** How often each message of this run was answered (replies name the message they answer). */
  function answered(tag: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const message of simulator.received()) {
      const answering = message.inReplyTo;
      if (answering?.startsWith(`${tag}-`)) counts.set(answering, (counts.get(answering) ?? 0) + 1);
    }
    return counts;
  }

  async function restartAndCheck(tag: string, acknowledged: string[]): Promise<void> {
    bot = await spawnBot(botEnv());
    simulator.setNotifyUrl(bot.url);
    await simulator.waitForMessages(() => acknowledged.every((text) => answered(tag).has(text)), 45_000);
    const repeated = [...answered(tag)].filter(([, count]) => count > 1);
    expect(repeated, 'answered more than once').to.deep.equal([]);
  }

  it('answers every acknowledged message exactly once after a kill -9 under load', async () => {
    bot = await spawnBot(botEnv());
    simulator.setNotifyUrl(bot.url);
    const load = startLoad('crash');
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const beforeKill = load.acknowledged.length;
    const exited = new Promise((resolve) => bot?.child.once('exit', resolve));
    bot.child.kill('SIGKILL');
    await exited;
    const answeredAtKill = answered('crash').size;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await load.stop();

    expect(beforeKill, 'load was running when the bot was killed').to.be.greaterThan(20);
    expect(answeredAtKill, 'some acknowledged messages were not yet answered at the kill').to.be.lessThan(load.acknowledged.length);
    await restartAndCheck('crash', load.acknowledged);
    if (process.env.CRASH_TEST_REPORT) {
      console.log({ acknowledged: load.acknowledged.length, beforeKill, answeredAtKill, stats: simulator.stats() });
    }
  });

  it('shuts down gracefully on SIGTERM under load: exits 0, and nothing acknowledged is lost', async () => {
    bot = await spawnBot(botEnv());
    simulator.setNotifyUrl(bot.url);
    const load = startLoad('sigterm');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const exited = new Promise<number | null>((resolve) => bot?.child.once('exit', (code) => resolve(code)));
    const signalled = Date.now();
    bot.child.kill('SIGTERM');
    expect(await exited).to.equal(0);
    const shutdownMs = Date.now() - signalled;
    await load.stop();
    if (process.env.CRASH_TEST_REPORT) console.log({ shutdownMs, acknowledged: load.acknowledged.length });
    expect(load.acknowledged.length).to.be.greaterThan(20);
    await restartAndCheck('sigterm', load.acknowledged);
  });
});

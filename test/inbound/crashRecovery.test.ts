/**
 * kill -9 of the bot under load: every message the bot acknowledged is answered after restart,
 * once. The bot runs as a child process with the embedded store in a temp DATA_DIR (the kill takes
 * the store down too; the restart reloads it); the platform simulator runs here, so it outlives
 * the bot and records what was sent.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';

const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
const CALLBACK_TOKEN = 'crash-test-token';
const REPO = new URL('../../', import.meta.url).pathname;

interface BotProcess {
  child: ChildProcess;
  url: string;
}

function spawnBot(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bot did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`bot exited early with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'bot listening' && entry.url) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve({ child, url: entry.url });
      }
    });
    child.stderr?.resume();
  });
}

describe('crash recovery', function () {
  this.timeout(90_000);
  let simulator: Simulator;
  let dataDir: string;
  let bot: BotProcess | undefined;

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
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
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

  /** Users send messages until `stop()`; the texts the bot acknowledged are collected. */
  function startLoad(tag: string): { acknowledged: string[]; stop: () => Promise<void> } {
    const acknowledged: string[] = [];
    let sent = 0;
    let stopped = false;
    const load = async (worker: number): Promise<void> => {
      while (!stopped) {
        const text = `${tag}-${worker}-${sent++}`;
        const answer = await simulator.sendText(`tel:+86139000${String(worker).padStart(5, '0')}`, text);
        if (answer.status === 200) acknowledged.push(text);
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

  /** How often each text of this run was answered (a reply card repeats the text). */
  function answered(tag: string): Map<string, number> {
    const counts = new Map<string, number>();
    const pattern = new RegExp(`${tag}-\\d+-\\d+`);
    for (const message of simulator.received()) {
      const text = pattern.exec(JSON.stringify(message.parts))?.[0];
      if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
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

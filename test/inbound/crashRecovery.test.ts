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
  after(async () => {
    bot?.child.kill('SIGKILL');
    await simulator.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers every acknowledged message exactly once after a kill -9 under load', async () => {
    const env = {
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
    bot = await spawnBot(env);
    simulator.setNotifyUrl(bot.url);

    const acknowledged: string[] = [];
    let sent = 0;
    let stop = false;
    const load = async (worker: number): Promise<void> => {
      while (!stop) {
        const text = `crash-${worker}-${sent++}`;
        const answer = await simulator.sendText(`tel:+86139000${String(worker).padStart(5, '0')}`, text);
        if (answer.status === 200) acknowledged.push(text);
        else if (answer.status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const workers = Array.from({ length: 12 }, (_, worker) => load(worker));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const beforeKill = acknowledged.length;
    bot.child.kill('SIGKILL');
    await new Promise((resolve) => bot?.child.once('exit', resolve));
    const answeredBeforeRestart = simulator.received().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    stop = true;
    await Promise.all(workers);

    bot = await spawnBot(env);
    simulator.setNotifyUrl(bot.url);
    const acknowledgedTexts = new Set(acknowledged);
    const answered = (): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const message of simulator.received()) {
        const text = JSON.stringify(message.parts).match(/crash-\d+-\d+/)?.[0];
        if (text) counts.set(text, (counts.get(text) ?? 0) + 1);
      }
      return counts;
    };
    await simulator.waitForMessages(() => [...acknowledgedTexts].every((text) => answered().has(text)), 45_000);

    expect(beforeKill, 'load was running when the bot was killed').to.be.greaterThan(50);
    expect(answeredBeforeRestart, 'some acknowledged messages were not yet answered at the kill').to.be.lessThan(acknowledged.length);
    const counts = answered();
    const repeated = [...counts].filter(([, count]) => count > 1);
    expect(repeated, 'answered more than once').to.deep.equal([]);
    if (process.env.CRASH_TEST_REPORT) {
      console.log({ acknowledged: acknowledged.length, beforeKill, answeredBeforeRestart, stats: simulator.stats() });
    }
  });
});

/**
 * kill -9 of the bot under load on both China Mobile dialects: every message the bot acknowledged
 * (204) is answered after restart, once. The bot runs as a child process configured by PLATFORMS
 * with the embedded store in a temp DATA_DIR; the simulator runs here and outlives it.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { startSimulator, type SimulatedMaapPlatform, type Simulator } from '../../../src/channels/simulator/index.js';

const REPO = new URL('../../../', import.meta.url).pathname;
const PLATFORMS: SimulatedMaapPlatform[] = [
  { id: 'cm-xml', family: 'maap', dialect: 'xml', chatbotId: 'sip:125990101@botplatform.rcs.chinamobile.com', appId: 'crash-xml', password: 'crash-xml-secret' },
  { id: 'cm-json', family: 'maap', dialect: 'json', chatbotId: 'sip:125990102@botplatform.rcs.chinamobile.com', appId: 'crash-json', password: 'crash-json-secret' },
];

function spawnBot(env: Record<string, string>): Promise<ChildProcess & { url?: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: REPO, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('bot did not start within 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`bot exited early with ${code}`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      if (!line.startsWith('{')) return;
      const entry = JSON.parse(line) as { msg?: string; url?: string };
      if (entry.msg === 'bot listening' && entry.url) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        resolve(Object.assign(child, { url: entry.url }));
      }
    });
    child.stderr?.resume();
  });
}

describe('crash recovery on China Mobile platforms', function () {
  this.timeout(90_000);
  let simulator: Simulator;
  let dataDir: string;
  let bot: (ChildProcess & { url?: string }) | undefined;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'maap-crash-test-'));
    simulator = await startSimulator({ platforms: PLATFORMS, host: '127.0.0.1', reportDelayMs: 1 }, pino({ level: 'silent' }));
  });
  after(async () => {
    if (bot && bot.exitCode === null && bot.signalCode === null) bot.kill('SIGKILL');
    await simulator.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  function botEnv(): Record<string, string> {
    const platforms = PLATFORMS.map(({ id, family, dialect, chatbotId, appId, password }) => ({ id, family, dialect, chatbotId, appId, password, serverRoot: simulator.serverRoot }));
    return {
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      PLATFORMS: JSON.stringify({ platforms }),
      SEND_RATE: '2000',
      LOG_LEVEL: 'info',
      INBOUND_LEASE_SECONDS: '1',
      OUTBOX_LEASE_SECONDS: '1',
    };
  }

  /** How often each message of this run was answered on each platform (replies name the message they answer). */
  function answered(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const platform of simulator.all()) {
      for (const message of platform.received()) {
        const answering = message.inReplyTo;
        if (answering?.startsWith('crash-')) counts.set(answering, (counts.get(answering) ?? 0) + 1);
      }
    }
    return counts;
  }

  it('answers every acknowledged message exactly once after a kill -9 under load', async () => {
    bot = await spawnBot(botEnv());
    simulator.setNotifyUrl(bot.url);
    const acknowledged: string[] = [];
    let stopped = false;
    let sent = 0;
    const load = async (worker: number): Promise<void> => {
      const platform = simulator.platform(PLATFORMS[worker % 2]?.id);
      while (!stopped) {
        // A greeting gets exactly one message back.
        const contributionId = `crash-${platform.id}-${worker}-${sent++}`;
        const answer = await platform.sendText(`tel:+86139100${String(worker).padStart(5, '0')}`, '你好', { contributionId });
        if (answer.status === 204) acknowledged.push(contributionId);
        else if (answer.status === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const workers = Array.from({ length: 12 }, (_, worker) => load(worker));
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const beforeKill = acknowledged.length;
    const exited = new Promise((resolve) => bot?.once('exit', resolve));
    bot.kill('SIGKILL');
    await exited;
    const answeredAtKill = answered().size;
    await new Promise((resolve) => setTimeout(resolve, 300));
    stopped = true;
    await Promise.all(workers);

    expect(beforeKill, 'load was running when the bot was killed').to.be.greaterThan(20);
    expect(answeredAtKill, 'some acknowledged messages were not yet answered at the kill').to.be.lessThan(acknowledged.length);
    bot = await spawnBot(botEnv());
    simulator.setNotifyUrl(bot.url);
    await simulator.platform('cm-xml').waitForMessages(() => acknowledged.every((text) => answered().has(text)), 45_000);
    expect([...answered()].filter(([, count]) => count > 1), 'answered more than once').to.deep.equal([]);
    expect(acknowledged.some((text) => text.includes('cm-xml')) && acknowledged.some((text) => text.includes('cm-json'))).to.equal(true);
  });
});

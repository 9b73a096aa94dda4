import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { CHATBOT_ID, OutboundHarness, text } from './harness.js';

const SENDER_SCRIPT = fileURLToPath(new URL('./senderProcess.ts', import.meta.url));
const LEASE_MS = 1000;

function spawnSender(harness: OutboundHarness): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SENDER_SCRIPT], {
    env: {
      ...process.env,
      TEST_MONGO_URI: harness.mongo.uri,
      TEST_DB_NAME: harness.mongo.dbName,
      CHATBOT_ID,
      PLATFORM_URL: harness.simulator.serverRoot,
      LEASE_MS: String(LEASE_MS),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sender process exited with ${code}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('started')) {
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
  });
}

describe('a sender process killed mid-send', function () {
  this.timeout(60_000);
  let harness: OutboundHarness;

  afterEach(() => harness.close());

  it('loses nothing: another sender finishes its work, each message shown once and in order', async () => {
    harness = await new OutboundHarness({ simulator: { latencyMs: 200 }, tuning: { leaseMs: LEASE_MS, maintenanceMs: 100 } }).start('sender_crash');
    const users = Array.from({ length: 8 }, (_, index) => `tel:+86139000003${index}`);
    const ids: string[] = [];
    for (let round = 0; round < 6; round++) {
      for (const user of users) ids.push(await harness.outbox.enqueue(text(user, `${user} #${round}`)));
    }
    const child = await spawnSender(harness);
    // Kill it after it has delivered some messages, while it holds others mid-send.
    await harness.simulator.waitForMessages(8, 20_000);
    let inFlight = 0;
    while (inFlight === 0) inFlight = await harness.outbox.model.countDocuments({ status: 'sending' });
    child.kill('SIGKILL');
    await once(child, 'exit');

    harness.startSender();
    await harness.waitForStatus(ids, ['sent', 'delivered', 'displayed'], 20_000);
    for (const user of users) {
      expect(harness.textsFor(user)).to.deep.equal(Array.from({ length: 6 }, (_, round) => `${user} #${round}`));
    }
    expect(harness.simulator.stats().accepted).to.equal(ids.length);
  });
});

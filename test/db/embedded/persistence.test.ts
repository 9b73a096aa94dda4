import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { EmbeddedMongoServer } from '../../../src/db/embedded/server.js';
import { realMongoUri } from '../../support/mongo.js';

const writer = join(import.meta.dirname, 'fixtures', 'writer.ts');

/** Runs the writer until it has acknowledged `atLeast` inserts, SIGKILLs it, returns the acknowledged seqs. */
function writeThenKill(dataDir: string, atLeast: number, workers = 1): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, String(workers)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let errors = '';
    const acked: number[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) acked.push(Number(line));
      if (acked.length >= atLeast && !child.killed) child.kill('SIGKILL');
    });
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.on('exit', (_code, signal) => {
      if (signal === 'SIGKILL') resolve(acked);
      else reject(new Error(`writer exited without being killed: ${errors}`));
    });
  });
}

describe('embedded store: durability across kill -9 (embedded store only)', function () {
  this.timeout(30_000);
  let dataDir: string;

  before(function () {
    if (realMongoUri) this.skip();
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-durable-'));
  });
  after(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  async function expectAllStored(directory: string, acked: number[]): Promise<void> {
    const server = new EmbeddedMongoServer({ dataDir: directory, port: 0, log: pino({ level: 'silent' }) });
    const client = await MongoClient.connect(await server.start());
    try {
      const events = client.db('durable').collection('events');
      const stored = await events.find({ seq: { $in: acked } }, { projection: { seq: 1 } }).toArray();
      expect(stored.map((doc) => doc.seq)).to.have.members(acked);
      const duplicate = await events.insertOne({ seq: acked[0] }).catch((caught: unknown) => caught);
      expect(duplicate).to.have.property('code', 11000);
    } finally {
      await client.close();
      await server.stop();
    }
  }

  it('keeps every acknowledged insert after the process is killed, with its indexes', async () => {
    const acked = await writeThenKill(dataDir, 300);
    expect(acked).to.have.length.of.at.least(300);
    expect(acked.slice(0, 300)).to.deep.equal(Array.from({ length: 300 }, (_, seq) => seq));
    await expectAllStored(dataDir, acked);
  });

  it('keeps every acknowledged insert of concurrent writers sharing commits', async () => {
    const concurrentDir = mkdtempSync(join(tmpdir(), 'rcs-durable-'));
    try {
      const acked = await writeThenKill(concurrentDir, 600, 16);
      expect(new Set(acked).size).to.equal(acked.length);
      await expectAllStored(concurrentDir, acked);
    } finally {
      rmSync(concurrentDir, { recursive: true, force: true });
    }
  });

  it('refuses a second store on a data directory that another one has open', async () => {
    const first = new EmbeddedMongoServer({ dataDir, port: 0, log: pino({ level: 'silent' }) });
    await first.start();
    try {
      const second = new EmbeddedMongoServer({ dataDir, port: 0, log: pino({ level: 'silent' }) });
      const error = await second.start().catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(Error);
      expect((error as Error).message).to.match(/is in use by another embedded store process/);
    } finally {
      await first.stop();
    }
  });
});

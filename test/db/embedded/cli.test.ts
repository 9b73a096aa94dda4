import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { realMongoUri } from '../../support/mongo.js';

const cli = join(import.meta.dirname, '..', '..', '..', 'src', 'db', 'embedded', 'cli.ts');

function waitForUri(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const found = /^mongodb:\/\/127\.0\.0\.1:\d+\/$/m.exec(output);
      if (found) resolve(found[0]);
    });
    child.on('exit', (code) => reject(new Error(`cli exited with ${String(code)} before printing a URI: ${output}`)));
  });
}

describe('embedded store: standalone `npm run mongo` (embedded store only)', function () {
  this.timeout(30_000);
  let dataDir: string;

  before(function () {
    if (realMongoUri) this.skip();
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-cli-'));
  });
  after(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const start = (): ChildProcess =>
    spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', '--dbpath', dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_LEVEL: 'warn' },
    });

  it('prints its connection string, serves a driver, stops on SIGTERM or SIGINT, and keeps the data', async () => {
    const first = start();
    const uri = await waitForUri(first);
    const client = await MongoClient.connect(uri);
    await client.db('cli').collection('notes').insertOne({ text: 'kept' });
    await client.close();
    const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
    first.kill('SIGTERM');
    expect(await exited).to.equal(0);

    const second = start();
    const again = await MongoClient.connect(await waitForUri(second));
    try {
      expect(await again.db('cli').collection('notes').findOne({}, { projection: { _id: 0 } })).to.deep.equal({ text: 'kept' });
    } finally {
      await again.close();
      const stopped = new Promise<number | null>((resolve) => second.on('exit', (code) => resolve(code)));
      second.kill('SIGINT');
      expect(await stopped).to.equal(0);
    }
  });
});

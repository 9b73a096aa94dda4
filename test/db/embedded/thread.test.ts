import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { startEmbeddedStoreThread } from '../../../src/db/embedded/thread.js';
import { capturingLogger } from '../../support/capturingLogger.js';

describe('embedded store on its own thread', function () {
  this.timeout(30_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-thread-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('serves the wire protocol from another thread and writes its logs through the starting logger', async () => {
    const { log, records } = capturingLogger();
    const store = await startEmbeddedStoreThread({ dataDir, log });
    const client = await MongoClient.connect(store.uri);
    try {
      await client.db('rcs').collection('notes').insertOne({ _id: 'n1', text: 'hello' } as never);
      expect(await client.db('rcs').collection('notes').findOne({})).to.deep.equal({ _id: 'n1', text: 'hello' });
    } finally {
      await client.close();
      await store.stop();
    }
    const listening = records().find((record) => record.msg === 'embedded store listening');
    expect(listening, 'the thread logged through the starting logger').to.include({ module: 'embedded-mongo', dataDir, uri: store.uri });
    expect(records().some((record) => record.msg === 'embedded store stopped')).to.equal(true);
  });

  it('refuses a second store on the same data directory with the reason', async () => {
    const log = pino({ level: 'silent' });
    const first = await startEmbeddedStoreThread({ dataDir, log });
    try {
      const second = await startEmbeddedStoreThread({ dataDir, log }).catch((error: unknown) => error);
      expect(second).to.be.instanceOf(Error);
      expect((second as Error).message).to.match(/in use by another embedded store/);
    } finally {
      await first.stop();
    }
  });

  it('keeps what it acknowledged when stopped and started again', async () => {
    const log = pino({ level: 'silent' });
    const first = await startEmbeddedStoreThread({ dataDir, log });
    const writer = await MongoClient.connect(first.uri);
    await writer.db('rcs').collection('notes').insertMany(Array.from({ length: 500 }, (_, index) => ({ index })));
    await writer.close();
    await first.stop();
    await first.stop(); // a second stop is a no-op
    const second = await startEmbeddedStoreThread({ dataDir, log });
    const reader = await MongoClient.connect(second.uri);
    try {
      expect(await reader.db('rcs').collection('notes').countDocuments()).to.equal(500);
    } finally {
      await reader.close();
      await second.stop();
    }
  });
});

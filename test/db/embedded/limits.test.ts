import { expect } from 'chai';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { pino } from 'pino';
import { EmbeddedMongoServer } from '../../../src/db/embedded/server.js';
import { realMongoUri, startTestMongo, type TestMongo } from '../../support/mongo.js';

/** A document whose field `a` nests `levels` objects deep. */
function nested(levels: number): Record<string, unknown> {
  let doc: Record<string, unknown> = { leaf: true };
  for (let i = 1; i < levels; i++) doc = { a: doc };
  return { a: doc };
}

describe('documents nested deeper than MongoDB stores', () => {
  let mongo: TestMongo;
  before(async () => {
    mongo = await startTestMongo({ name: 'nesting' });
  });
  after(async () => mongo?.close());

  it('stores 100 levels, refuses 101 on insert and update with code 15, and keeps the document unchanged', async () => {
    const docs = mongo.db.collection('deep');
    await docs.insertOne({ _id: 'ok' as never, ...nested(100) });
    const insertError = await docs.insertOne({ _id: 'too deep' as never, ...nested(101) }).catch((error: unknown) => error);
    expect(insertError).to.have.property('code', 15);
    expect(await docs.countDocuments({ _id: 'too deep' as never })).to.equal(0);

    const updateError = await docs.replaceOne({ _id: 'ok' as never }, nested(101)).catch((error: unknown) => error);
    expect(updateError).to.have.property('code', 15);
    expect(await docs.findOne({ _id: 'ok' as never })).to.deep.equal({ _id: 'ok', ...nested(100) });
  });

  it('refuses a document nested thousands deep without harming the server', async function () {
    // Deeper than any recursive walk would survive; the driver's own serializer copes with it.
    const docs = mongo.db.collection('deeper');
    const error = await docs.insertOne(nested(5000)).catch((failure: unknown) => failure);
    expect(error).to.have.property('code', 15);
    expect(await mongo.db.command({ ping: 1 })).to.include({ ok: 1 });
  });
});

describe('embedded store: limits on clients (embedded store only)', () => {
  let dataDir: string;
  let server: EmbeddedMongoServer;
  let port: number;

  before(async function () {
    if (realMongoUri) this.skip();
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-mongo-limits-'));
    server = new EmbeddedMongoServer({
      dataDir: join(dataDir, 'store'),
      port: 0,
      maxConnections: 4, // a driver uses up to three: monitor, round-trip timer, one pooled
      maxBufferedBytes: 1024 * 1024,
      idleTimeoutMs: 1500,
      log: pino({ level: 'silent' }),
    });
    await server.start();
    port = server.port;
  });
  after(async () => {
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  function open(): Promise<Socket> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.on('error', reject);
    });
  }

  function closed(socket: Socket, withinMs = 3000): Promise<boolean> {
    if (socket.destroyed) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), withinMs);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  it('keeps its data directory and files readable by the owner only', () => {
    expect(statSync(join(dataDir, 'store')).mode & 0o777).to.equal(0o700);
    expect(statSync(join(dataDir, 'store', 'store.sqlite')).mode & 0o777).to.equal(0o600);
  });

  it('refuses connections beyond its limit and accepts again once they close', async () => {
    const held = await Promise.all([open(), open(), open(), open()]);
    const extra = await open();
    expect(await closed(extra), 'the fifth connection is dropped').to.equal(true);
    expect(held.every((socket) => !socket.destroyed)).to.equal(true);

    for (const socket of held) socket.destroy();
    await Promise.all(held.map((socket) => closed(socket)));
    // The server counts a connection until it has seen the close itself.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { maxPoolSize: 1 });
    try {
      expect(await client.db('limits').command({ ping: 1 })).to.include({ ok: 1 });
    } finally {
      await client.close();
    }
  });

  it('closes a connection idle past its timeout, and a driver carries on over a new one', async () => {
    const idle = await open();
    const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { maxPoolSize: 1, heartbeatFrequencyMS: 500 });
    try {
      await client.db('limits').collection('idle').insertOne({ n: 1 });
      expect(await closed(idle, 3000), 'the silent connection is closed').to.equal(true);
      // The pooled connection sat idle as long; the next command still succeeds.
      await new Promise((resolve) => setTimeout(resolve, 1800));
      expect(await client.db('limits').collection('idle').countDocuments()).to.equal(1);
    } finally {
      await client.close();
    }
  });

  it('closes the connection whose partly sent message takes the buffered total over the limit, and serves others', async () => {
    const slow = await open();
    const header = Buffer.alloc(16);
    header.writeInt32LE(40 * 1024 * 1024, 0); // announces 40 MB, a size the protocol allows
    header.writeInt32LE(2013, 12);
    slow.write(header);
    slow.write(Buffer.alloc(512 * 1024));
    expect(await closed(slow, 300), 'half a megabyte is within the limit').to.equal(false);
    slow.write(Buffer.alloc(700 * 1024));
    expect(await closed(slow), 'past a megabyte in total it is closed').to.equal(true);

    const client = await MongoClient.connect(`mongodb://127.0.0.1:${port}/`, { maxPoolSize: 1 });
    try {
      await client.db('limits').collection('after').insertOne({ ok: true });
      expect(await client.db('limits').collection('after').countDocuments()).to.equal(1);
    } finally {
      await client.close();
    }
  });
});

import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { pino } from 'pino';
import { connectDatabase, redactUri } from '../../src/db/connect.js';
import { capturingLogger } from '../support/capturingLogger.js';
import { realMongoUri } from '../support/mongo.js';

describe('connectDatabase', function () {
  this.timeout(30_000);
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'rcs-connect-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('connects mongoose to MONGODB_URI when set, otherwise to an embedded store, and says which', async () => {
    const { log, lines } = capturingLogger();
    const handle = await connectDatabase({ mongodbUri: realMongoUri, dataDir }, log);
    try {
      expect(handle.embedded).to.equal(realMongoUri === undefined);
      expect(handle.connection.readyState).to.equal(1);
      expect(handle.connection).to.equal(mongoose.connection);
      const Probe = handle.connection.model('ConnectProbe', new mongoose.Schema({ value: String }));
      await Probe.create({ value: 'written' });
      expect((await Probe.findOne({}).lean())?.value).to.equal('written');
      await Probe.deleteMany({});
      const said = lines.join('');
      expect(said).to.match(realMongoUri ? /using MongoDB at MONGODB_URI/ : /using the embedded store/);
      if (!realMongoUri) expect(handle.uri).to.match(/^mongodb:\/\/%2F.+\.sock\/$/);
    } finally {
      handle.connection.deleteModel('ConnectProbe');
      await handle.close();
    }
    expect(mongoose.connection.readyState).to.equal(0);
  });

  it('stops the embedded store on close and finds the data again on the next start', async function () {
    if (realMongoUri) this.skip();
    const log = pino({ level: 'silent' });
    const first = await connectDatabase({ dataDir }, log);
    await first.connection.collection('notes').insertOne({ text: 'still here' });
    await first.close();
    const refused = await MongoClient.connect(first.uri, { serverSelectionTimeoutMS: 300 }).catch((caught: unknown) => caught);
    expect(refused).to.be.instanceOf(Error);
    const second = await connectDatabase({ dataDir }, log);
    try {
      expect(await second.connection.collection('notes').findOne({}, { projection: { _id: 0 } })).to.deep.equal({ text: 'still here' });
    } finally {
      await second.close();
    }
  });

  it('never logs the password of a MONGODB_URI', () => {
    expect(redactUri('mongodb://app:s3cret@db1:27017,db2:27017/rcs?replicaSet=rs0')).to.equal(
      'mongodb://app:***@db1:27017,db2:27017/rcs?replicaSet=rs0',
    );
    expect(redactUri('mongodb+srv://app:p%40ss@cluster0.example.net/')).to.equal('mongodb+srv://app:***@cluster0.example.net/');
    expect(redactUri('mongodb://127.0.0.1:27017/')).to.equal('mongodb://127.0.0.1:27017/');
  });
});

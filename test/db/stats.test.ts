import { expect } from 'chai';
import { calculateObjectSize } from 'bson';
import { ObjectId, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: sizes in stats and database lists', () => {
  let mongo: TestMongo;
  const docs: Document[] = [
    { _id: new ObjectId(), text: 'a'.repeat(100) },
    { _id: new ObjectId(), text: 'b'.repeat(300), n: 1 },
  ];
  const bytes = docs.reduce((sum, doc) => sum + calculateObjectSize(doc), 0);

  before(async () => {
    mongo = await startTestMongo({ name: 'stats' });
    await mongo.db.collection('sized').insertMany(docs.map((doc) => ({ ...doc })));
  });
  after(async () => mongo.close());

  it('reports a collection’s size as the BSON bytes of its documents', async () => {
    const stats = await mongo.db.command({ collStats: 'sized' });
    expect(stats).to.include({ count: 2, size: bytes, storageSize: bytes, avgObjSize: Math.floor(bytes / 2), nindexes: 1 });
  });

  it('answers the $collStats stage that mongosh’s db.collection.stats() runs', async () => {
    const [row] = await mongo.db.collection('sized').aggregate([{ $collStats: { storageStats: {}, count: {} } }]).toArray();
    expect(row?.ns).to.equal(`${mongo.dbName}.sized`);
    expect(row?.count).to.equal(2);
    expect(row?.storageStats).to.include({ size: bytes, count: 2 });
  });

  it('reports database sizes in dbStats and listDatabases', async () => {
    expect(await mongo.db.stats()).to.include({ objects: 2, dataSize: bytes, storageSize: bytes });
    const { databases, totalSize } = await mongo.db.admin().listDatabases();
    expect(databases.find((db) => db.name === mongo.dbName)).to.include({ sizeOnDisk: bytes, empty: false });
    expect(totalSize).to.be.at.least(bytes);
  });
});

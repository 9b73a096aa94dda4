import { expect } from 'chai';
import { duplicateKeyIndex } from '../../src/db/duplicateKey.js';
import { GroupInsert } from '../../src/db/groupInsert.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('GroupInsert: inserts written together, outcomes told apart', () => {
  let mongo: TestMongo;

  before(async () => {
    mongo = await startTestMongo({ name: 'group-insert' });
    await mongo.db.collection('receipts').createIndex({ key: 1 }, { unique: true, name: 'key_1' });
  });
  after(async () => mongo.close());

  it('tells each caller whether its document went in, and which unique index refused it', async () => {
    const receipts = mongo.db.collection('receipts');
    await receipts.insertOne({ _id: 'taken-id', key: 'taken-key' } as never);
    const inserts = new GroupInsert(() => receipts);
    // Issued in one go: the first goes out alone, the rest wait and share one bulk write.
    const results = await Promise.all([
      inserts.insertReporting({ _id: 'a', key: 'k-a' }),
      inserts.insertReporting({ _id: 'taken-id', key: 'k-b' }),
      inserts.insertReporting({ _id: 'c', key: 'taken-key' }),
      inserts.insertReporting({ _id: 'd', key: 'k-d' }),
      inserts.insert({ _id: 'a', key: 'k-e' }),
    ]);
    expect(results).to.deep.equal([
      { outcome: 'inserted' },
      { outcome: 'duplicate', index: '_id_' },
      { outcome: 'duplicate', index: 'key_1' },
      { outcome: 'inserted' },
      'duplicate',
    ]);
    expect((await receipts.find({}, { projection: { _id: 1 } }).sort({ _id: 1 }).toArray()).map((doc) => doc._id)).to.deep.equal(['a', 'd', 'taken-id']);
  });

  it('reads the index name from the one form every server version words a duplicate key in', () => {
    expect(duplicateKeyIndex('E11000 duplicate key error collection: rcs.inboundMessages index: callbackKey_1 dup key: { callbackKey: "n" }')).to.equal('callbackKey_1');
    expect(duplicateKeyIndex('E11000 duplicate key error collection: rcs.x index: _id_ dup key: { _id: "a" }')).to.equal('_id_');
    expect(duplicateKeyIndex(undefined)).to.equal('_id_');
  });
});

import { expect } from 'chai';
import { MongoBulkWriteError, MongoServerError, type Collection, type Document } from 'mongodb';
import mongoose from 'mongoose';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: unique indexes', () => {
  let mongo: TestMongo;
  let people: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'unique' });
    people = mongo.db.collection('people');
    await people.createIndex({ email: 1 }, { unique: true });
  });
  after(async () => mongo.close());

  it('refuses a duplicate with MongoServerError E11000 naming index, key pattern and value', async () => {
    await people.insertOne({ email: 'li@example.cn' });
    const error = await people.insertOne({ email: 'li@example.cn' }).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(MongoServerError);
    const serverError = error as MongoServerError;
    expect(serverError.code).to.equal(11000);
    expect(serverError.message).to.match(/^E11000 duplicate key error collection: \S+\.people index: email_1 dup key: \{ email: "li@example\.cn" \}$/);
    expect(serverError.keyPattern).to.deep.equal({ email: 1 });
    expect(serverError.keyValue).to.deep.equal({ email: 'li@example.cn' });
  });

  it('enforces compound unique keys on the combination only', async () => {
    const bookings = mongo.db.collection('bookings');
    await bookings.createIndex({ hall: 1, slot: 1 }, { unique: true, name: 'hall_slot' });
    await bookings.insertMany([
      { hall: 'h1', slot: 1 },
      { hall: 'h1', slot: 2 },
      { hall: 'h2', slot: 1 },
    ]);
    const error = await bookings.insertOne({ hall: 'h1', slot: 2 }).catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 11000);
    expect((error as MongoServerError).message).to.contain('index: hall_slot');
  });

  it('reports the failing document of an unordered insertMany as a MongoBulkWriteError and keeps the rest', async () => {
    const error = await people
      .insertMany([{ email: 'm1' }, { email: 'm1' }, { email: 'm2' }], { ordered: false })
      .catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(MongoBulkWriteError);
    const bulk = error as MongoBulkWriteError;
    expect(bulk.code).to.equal(11000);
    expect(bulk.writeErrors).to.have.length(1);
    expect(bulk.insertedCount).to.equal(2);
    expect(await people.countDocuments({ email: { $in: ['m1', 'm2'] } })).to.equal(2);
  });

  it('stops an ordered insertMany at the first duplicate', async () => {
    const error = await people
      .insertMany([{ email: 'o1' }, { email: 'o1' }, { email: 'o2' }])
      .catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(MongoBulkWriteError);
    expect(await people.countDocuments({ email: { $in: ['o1', 'o2'] } })).to.equal(1);
  });

  it('refuses an update or upsert that would create a duplicate', async () => {
    await people.insertMany([{ email: 'u1' }, { email: 'u2' }]);
    const update = await people.updateOne({ email: 'u2' }, { $set: { email: 'u1' } }).catch((caught: unknown) => caught);
    expect(update).to.have.property('code', 11000);
    const claim = await people
      .findOneAndUpdate({ email: 'u2' }, { $set: { email: 'u1' } })
      .catch((caught: unknown) => caught);
    expect(claim).to.be.instanceOf(MongoServerError);
    expect(claim).to.have.property('code', 11000);
    expect(await people.countDocuments({ email: 'u2' })).to.equal(1);
  });

  it('refuses to build a unique index over existing duplicates', async () => {
    const loose = mongo.db.collection('loose');
    await loose.insertMany([{ k: 1 }, { k: 1 }]);
    const error = await loose.createIndex({ k: 1 }, { unique: true }).catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 11000);
    expect((await loose.indexes()).map((index) => index.name)).to.deep.equal(['_id_']);
  });

  it('lets sparse and partial unique indexes skip documents without the key', async () => {
    const sparse = mongo.db.collection('sparse');
    await sparse.createIndex({ phone: 1 }, { unique: true, sparse: true });
    await sparse.insertMany([{ a: 1 }, { a: 2 }, { phone: '1' }]);
    expect(await sparse.insertOne({ phone: '1' }).catch((caught: unknown) => caught)).to.have.property('code', 11000);
    const partial = mongo.db.collection('partial');
    await partial.createIndex({ user: 1 }, { unique: true, partialFilterExpression: { active: true } });
    await partial.insertMany([{ user: 'u', active: false }, { user: 'u', active: false }, { user: 'u', active: true }]);
    const error = await partial.insertOne({ user: 'u', active: true }).catch((caught: unknown) => caught);
    expect(error).to.have.property('code', 11000);
  });

  it('surfaces E11000 through mongoose as a MongoServerError', async () => {
    const connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    try {
      const Citizen = connection.model('Citizen', new mongoose.Schema({ idCard: { type: String, unique: true } }));
      await Citizen.init();
      await Citizen.create({ idCard: '110101' });
      const error = await Citizen.create({ idCard: '110101' }).catch((caught: unknown) => caught);
      expect(error).to.be.instanceOf(MongoServerError);
      expect(error).to.have.property('code', 11000);
      expect((error as MongoServerError).keyValue).to.deep.equal({ idCard: '110101' });
    } finally {
      await connection.close();
    }
  });
});

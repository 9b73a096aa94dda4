import { expect } from 'chai';
import { MongoServerError, ObjectId, type Collection, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the command should have failed with a server error').to.be.instanceOf(MongoServerError);
  return error as MongoServerError;
}

describe('database conformance: server answers for limits, stages and admin commands', () => {
  let mongo: TestMongo;
  let items: Collection<Document>;

  before(async () => {
    mongo = await startTestMongo({ name: 'server_answers', ttlIntervalMs: 60_000 });
  });
  after(async () => mongo.close());
  beforeEach(async () => {
    items = mongo.db.collection(`answers_${new ObjectId().toHexString()}`);
  });

  it('refuses a document over 16 MB with a server error and keeps the connection', async () => {
    const error = await failure(items.insertOne({ data: 'x'.repeat(16 * 1024 * 1024) }));
    expect(error.code).to.equal(10334);
    expect(await items.insertOne({ small: true })).to.have.property('acknowledged', true);
  });

  it('answers an unknown pipeline stage with code 40324', async () => {
    const error = await failure(items.aggregate([{ $fakeStage: {} }]).toArray());
    expect(error.code).to.equal(40324);
  });

  it('runs a database-level aggregation over $documents', async () => {
    const rows = await mongo.db.aggregate([{ $documents: [{ x: 10 }, { x: 2 }] }, { $sort: { x: 1 } }]).toArray();
    expect(rows).to.deep.equal([{ x: 2 }, { x: 10 }]);
    expect((await failure(mongo.db.aggregate([{ $match: {} }]).toArray())).code).to.equal(73);
  });

  it('sets and reports ttlMonitorSleepSecs, and refuses unknown parameters', async () => {
    const admin = mongo.client.db('admin');
    expect(await admin.command({ setParameter: 1, ttlMonitorSleepSecs: 1 })).to.include({ ok: 1, was: 60 });
    expect(await admin.command({ getParameter: 1, ttlMonitorSleepSecs: 1 })).to.include({ ttlMonitorSleepSecs: 1 });
    expect((await failure(admin.command({ setParameter: 1, noSuchKnob: 1 }))).code).to.equal(2);
  });

  it('hides an index from queries with collMod and lists it as hidden', async () => {
    await items.insertMany([{ n: 1 }, { n: 2 }]);
    await items.createIndex({ n: 1 }, { name: 'n_1' });
    expect(await mongo.db.command({ collMod: items.collectionName, index: { name: 'n_1', hidden: true } })).to.include({ hidden_old: false, hidden_new: true });
    const plan = (await items.find({ n: 1 }).explain()) as Document;
    expect(plan.queryPlanner.winningPlan.stage).to.equal('COLLSCAN');
    expect((await items.listIndexes().toArray()).find((index) => index.name === 'n_1')).to.include({ hidden: true });
    expect((await failure(mongo.db.command({ collMod: items.collectionName, bogus: 1 }))).code).to.equal(72);
  });

  it('requires a size for a capped collection, and capped to be a boolean', async () => {
    const error = await failure(mongo.db.createCollection(`capped_${new ObjectId().toHexString()}`, { capped: true }));
    expect(error.code).to.equal(72);
    const wrongType = mongo.db.command({ create: `capped_${new ObjectId().toHexString()}`, capped: 1024 });
    expect((await failure(wrongType)).code).to.equal(14);
  });

  it('lists a time-series collection as such and expires its documents by timeField', async () => {
    const name = `series_${new ObjectId().toHexString()}`;
    await mongo.db.createCollection(name, { timeseries: { timeField: 't' }, expireAfterSeconds: 60 });
    const [info] = await mongo.db.listCollections({ name }).toArray();
    expect(info).to.include({ type: 'timeseries' });
    const series = mongo.db.collection(name);
    await series.insertMany([{ t: new Date(Date.now() - 3_600_000) }, { t: new Date() }]);
    await mongo.client.db('admin').command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
    const deadline = Date.now() + 5_000;
    while ((await series.countDocuments()) > 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await series.countDocuments()).to.equal(1);
  });

  it('replaces a collection with an aggregation’s results through $out, keeping its indexes', async () => {
    const target = mongo.db.collection(`out_${new ObjectId().toHexString()}`);
    await target.insertOne({ _id: 'old' as unknown as ObjectId });
    await target.createIndex({ n: 1 }, { unique: true, name: 'n_unique' });
    await items.insertMany([{ n: 1 }, { n: 2 }, { n: 2 }]);
    expect(await items.aggregate([{ $match: { n: 1 } }, { $project: { _id: 0, n: 1 } }, { $out: target.collectionName }]).toArray()).to.deep.equal([]);
    expect(await target.find({}, { projection: { _id: 0 } }).toArray()).to.deep.equal([{ n: 1 }]);
    expect((await target.indexes()).map((index) => index.name)).to.include('n_unique');
    const duplicate = items.aggregate([{ $project: { _id: 0, n: 1 } }, { $out: target.collectionName }]).toArray();
    expect((await failure(duplicate)).code).to.equal(11000);
    expect(await target.countDocuments()).to.equal(1);
  });
});

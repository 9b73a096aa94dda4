import { expect } from 'chai';
import { MongoServerError, ObjectId, type Document } from 'mongodb';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

async function failure(promise: Promise<unknown>): Promise<MongoServerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error, 'the write should have been refused').to.be.instanceOf(MongoServerError);
  return error as MongoServerError;
}

const personSchema = {
  bsonType: 'object',
  required: ['name'],
  properties: {
    name: { bsonType: 'string', minLength: 1 },
    age: { bsonType: ['int', 'long', 'null'], minimum: 0 },
    tags: { bsonType: 'array', items: { enum: ['a', 'b'] } },
  },
};

describe('database conformance: collection validators', () => {
  let mongo: TestMongo;

  before(async () => {
    mongo = await startTestMongo({ name: 'validation' });
  });
  after(async () => mongo.close());

  const collection = async (options: Document) => {
    const name = `validated_${new ObjectId().toHexString()}`;
    await mongo.db.createCollection(name, options);
    return mongo.db.collection(name);
  };

  it('refuses inserts and updates a $jsonSchema validator rejects, with DocumentValidationFailure', async () => {
    const people = await collection({ validator: { $jsonSchema: personSchema } });
    await people.insertOne({ name: 'Li', age: 30, tags: ['a'] });
    expect((await failure(people.insertOne({ age: 3 }))).code).to.equal(121);
    expect((await failure(people.insertOne({ name: 'Wu', tags: ['c'] }))).code).to.equal(121);
    expect((await failure(people.updateOne({ name: 'Li' }, { $set: { age: -1 } }))).code).to.equal(121);
    expect(await people.countDocuments()).to.equal(1);
    await people.insertOne({ age: 3 }, { bypassDocumentValidation: true });
    expect(await people.countDocuments()).to.equal(2);
  });

  it('applies query validators, and lets moderate level and warn action through as MongoDB does', async () => {
    const queued = await collection({ validator: { status: { $in: ['queued', 'sent'] } } });
    expect((await failure(queued.insertOne({ status: 'lost' }))).code).to.equal(121);
    await queued.insertOne({ _id: 'old' as unknown as ObjectId, status: 'lost' }, { bypassDocumentValidation: true });
    await mongo.db.command({ collMod: queued.collectionName, validationLevel: 'moderate' });
    await queued.updateOne({ _id: 'old' as unknown as ObjectId }, { $set: { note: 'still invalid, already was' } });
    await mongo.db.command({ collMod: queued.collectionName, validationLevel: 'strict', validationAction: 'warn' });
    await queued.insertOne({ status: 'lost again' });
    expect(await queued.countDocuments({ status: { $nin: ['queued', 'sent'] } })).to.equal(2);
  });

  it('finds documents with $jsonSchema in a filter', async () => {
    const items = await collection({});
    await items.insertMany([{ name: 'ok' }, { name: 7 }]);
    expect(await items.countDocuments({ $jsonSchema: { required: ['name'], properties: { name: { bsonType: 'string' } } } })).to.equal(1);
  });
});

import { expect } from 'chai';
import mongoose, { Schema, type Connection } from 'mongoose';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: mongoose models', () => {
  let mongo: TestMongo;
  let connection: Connection;

  const hallSchema = new Schema({ name: { type: String, required: true, unique: true }, district: String });
  const bookingSchema = new Schema(
    {
      hall: { type: Schema.Types.ObjectId, ref: 'Hall', required: true },
      citizen: { type: String, required: true },
      day: { type: Date, required: true },
      status: { type: String, enum: ['booked', 'cancelled'], default: 'booked' },
      notes: [{ text: String, at: Date }],
    },
    { timestamps: true },
  );
  bookingSchema.index({ hall: 1, day: 1 });

  before(async () => {
    mongo = await startTestMongo({ name: 'mongoose' });
    connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
  });
  after(async () => {
    await connection.close();
    await mongo.close();
  });

  const defineModels = (on: Connection) => ({
    Hall: on.model('Hall', hallSchema),
    Booking: on.model('Booking', bookingSchema),
  });
  let defined: ReturnType<typeof defineModels> | undefined;
  const models = (): ReturnType<typeof defineModels> => (defined ??= defineModels(connection));

  it('creates the schema indexes on init', async () => {
    const { Hall, Booking } = models();
    await Promise.all([Hall.init(), Booking.init()]);
    const names = (await Booking.collection.indexes()).map((index) => index.name);
    expect(names).to.include('hall_1_day_1');
    const hallIndexes = await Hall.collection.indexes();
    expect(hallIndexes.find((index) => index.name === 'name_1')?.unique).to.equal(true);
  });

  it('saves, changes and re-saves a document with timestamps and versioning', async () => {
    const { Hall, Booking } = models();
    const hall = await Hall.create({ name: 'Central hall', district: 'A' });
    const booking = await Booking.create({ hall: hall._id, citizen: 'c1', day: new Date('2026-03-01') });
    expect(booking.status).to.equal('booked');
    expect(booking.get('createdAt')).to.be.instanceOf(Date);
    booking.notes.push({ text: 'first', at: new Date() });
    booking.set('status', 'cancelled');
    await booking.save();
    const stored = await Booking.findById(booking._id).lean();
    expect(stored?.status).to.equal('cancelled');
    expect(stored?.notes).to.have.length(1);
    expect(stored?.__v).to.equal(1);
  });

  it('populates references and queries by date range', async () => {
    const { Hall, Booking } = models();
    const hall = await Hall.create({ name: 'North hall' });
    await Booking.insertMany([
      { hall: hall._id, citizen: 'c2', day: new Date('2026-04-01') },
      { hall: hall._id, citizen: 'c3', day: new Date('2026-04-15') },
    ]);
    const april = await Booking.find({ hall: hall._id, day: { $gte: new Date('2026-04-10') } })
      .populate<{ hall: { name: string } }>('hall')
      .lean();
    expect(april).to.have.length(1);
    expect(april[0]?.hall.name).to.equal('North hall');
    expect(april[0]?.citizen).to.equal('c3');
  });

  it('updates with findOneAndUpdate, upsert and updateMany', async () => {
    const { Hall } = models();
    const upserted = await Hall.findOneAndUpdate(
      { name: 'East hall' },
      { $set: { district: 'E' } },
      { upsert: true, returnDocument: 'after' },
    ).lean();
    expect(upserted?.district).to.equal('E');
    const result = await Hall.updateMany({ district: { $in: ['A', 'E'] } }, { $set: { district: 'Z' } });
    expect(result.modifiedCount).to.equal(2);
    expect(await Hall.countDocuments({ district: 'Z' })).to.equal(2);
  });

  it('runs validators and refuses invalid documents before they reach the store', async () => {
    const { Booking } = models();
    const invalid = { citizen: 'x', day: new Date(), status: 'lost' } as unknown as { citizen: string; day: Date };
    const error = await Booking.create(invalid).catch((caught: unknown) => caught);
    expect(error).to.be.instanceOf(mongoose.Error.ValidationError);
  });

  it('deletes and counts, and bulk-writes', async () => {
    const { Hall } = models();
    await Hall.bulkWrite([
      { insertOne: { document: { name: 'Temp 1' } } },
      { insertOne: { document: { name: 'Temp 2' } } },
      { updateOne: { filter: { name: 'Temp 1' }, update: { $set: { district: 'T' } } } },
    ]);
    expect(await Hall.countDocuments({ name: /^Temp/ })).to.equal(2);
    const deleted = await Hall.deleteMany({ name: /^Temp/ });
    expect(deleted.deletedCount).to.equal(2);
    expect(await Hall.estimatedDocumentCount()).to.be.greaterThan(0);
  });

  it('syncs indexes, dropping ones no longer in the schema', async () => {
    const { Booking } = models();
    await Booking.collection.createIndex({ citizen: 1 }, { name: 'stale_citizen' });
    const dropped = await Booking.syncIndexes();
    expect(dropped).to.include('stale_citizen');
    const names = (await Booking.collection.indexes()).map((index) => index.name);
    expect(names).to.not.include('stale_citizen');
    expect(names).to.include('hall_1_day_1');
  });
});

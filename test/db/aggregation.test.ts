import { expect } from 'chai';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

describe('database conformance: aggregations used for statistics', () => {
  let mongo: TestMongo;

  before(async () => {
    mongo = await startTestMongo({ name: 'aggregation' });
    const day = (n: number): Date => new Date(Date.UTC(2026, 0, n));
    await mongo.db.collection('deliveries').insertMany([
      { campaign: 'c1', status: 'delivered', at: day(1), tags: ['elderly', 'pension'] },
      { campaign: 'c1', status: 'delivered', at: day(1), tags: ['pension'] },
      { campaign: 'c1', status: 'failed', at: day(2), tags: [] },
      { campaign: 'c2', status: 'delivered', at: day(2), tags: ['youth'] },
      { campaign: 'c2', status: 'read', at: day(3) },
    ]);
    await mongo.db.collection('campaigns').insertMany([
      { _id: 'c1' as never, title: 'Pension reminder' },
      { _id: 'c2' as never, title: 'Youth jobs' },
    ]);
  });
  after(async () => mongo.close());

  it('groups and sorts with $match/$group/$sort', async () => {
    const out = await mongo.db
      .collection('deliveries')
      .aggregate([
        { $match: { status: { $ne: 'failed' } } },
        { $group: { _id: '$campaign', total: { $sum: 1 }, last: { $max: '$at' } } },
        { $sort: { total: -1, _id: 1 } },
      ])
      .toArray();
    expect(out).to.deep.equal([
      { _id: 'c1', total: 2, last: new Date(Date.UTC(2026, 0, 1)) },
      { _id: 'c2', total: 2, last: new Date(Date.UTC(2026, 0, 3)) },
    ]);
  });

  it('counts per tag with $unwind and $count', async () => {
    const perTag = await mongo.db
      .collection('deliveries')
      .aggregate([{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }])
      .toArray();
    expect(perTag).to.deep.equal([
      { _id: 'elderly', n: 1 },
      { _id: 'pension', n: 2 },
      { _id: 'youth', n: 1 },
    ]);
    const counted = await mongo.db.collection('deliveries').aggregate([{ $match: { campaign: 'c2' } }, { $count: 'n' }]).toArray();
    expect(counted).to.deep.equal([{ n: 2 }]);
  });

  it('joins with $lookup and reshapes with $project/$addFields/$set/$unset/$skip/$limit', async () => {
    const out = await mongo.db
      .collection('deliveries')
      .aggregate([
        { $group: { _id: '$campaign', sent: { $sum: 1 } } },
        { $lookup: { from: 'campaigns', localField: '_id', foreignField: '_id', as: 'campaign' } },
        { $addFields: { title: { $arrayElemAt: ['$campaign.title', 0] } } },
        { $set: { doubled: { $multiply: ['$sent', 2] } } },
        { $unset: 'campaign' },
        { $project: { _id: 0, title: 1, sent: 1, doubled: 1 } },
        { $sort: { title: 1 } },
        { $skip: 1 },
        { $limit: 5 },
      ])
      .toArray();
    expect(out).to.deep.equal([{ sent: 2, title: 'Youth jobs', doubled: 4 }]);
  });

  it('computes several breakdowns at once with $facet', async () => {
    const [facets] = await mongo.db
      .collection('deliveries')
      .aggregate([
        {
          $facet: {
            byStatus: [{ $group: { _id: '$status', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            total: [{ $count: 'n' }],
          },
        },
      ])
      .toArray();
    expect(facets).to.deep.equal({
      byStatus: [
        { _id: 'delivered', n: 3 },
        { _id: 'failed', n: 1 },
        { _id: 'read', n: 1 },
      ],
      total: [{ n: 5 }],
    });
  });

  it('groups by day with date operators', async () => {
    const out = await mongo.db
      .collection('deliveries')
      .aggregate([
        { $group: { _id: { $dateToString: { format: '%Y-%m-%d', date: '$at' } }, n: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(out).to.deep.equal([
      { _id: '2026-01-01', n: 2 },
      { _id: '2026-01-02', n: 2 },
      { _id: '2026-01-03', n: 1 },
    ]);
  });

  it('compares values of any type in expressions, as in "count the documents where a field is set"', async () => {
    const [counts] = await mongo.db
      .collection('deliveries')
      .aggregate([
        {
          $group: {
            _id: null,
            tagged: { $sum: { $cond: [{ $gt: ['$tags', null] }, 1, 0] } },
            untagged: { $sum: { $cond: [{ $lte: ['$tags', null] }, 1, 0] } },
            afterDayOne: { $sum: { $cond: [{ $gt: ['$at', new Date(Date.UTC(2026, 0, 1))] }, 1, 0] } },
          },
        },
      ])
      .toArray();
    expect(counts).to.deep.equal({ _id: null, tagged: 4, untagged: 1, afterDayOne: 3 });
    const ordered = await mongo.db
      .collection('deliveries')
      .aggregate([{ $match: { campaign: 'c2' } }, { $project: { _id: 0, status: 1, cmp: { $cmp: ['$status', 'delivered'] } } }, { $sort: { status: 1 } }])
      .toArray();
    expect(ordered).to.deep.equal([
      { status: 'delivered', cmp: 0 },
      { status: 'read', cmp: 1 },
    ]);
  });

  it('does not change stored documents while aggregating', async () => {
    await mongo.db.collection('deliveries').aggregate([{ $addFields: { 'extra.field': 1 } }]).toArray();
    expect(await mongo.db.collection('deliveries').countDocuments({ extra: { $exists: true } })).to.equal(0);
  });
});

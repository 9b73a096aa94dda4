import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import type { DeliveryReport, DeliveryStatus } from '../../src/channels/model.js';
import { createOutbox, type Outbox } from '../../src/outbox/index.js';
import { moveOperation, plannedOperations, REPORTED_FIELDS, stampOperation, type ReportedMessage } from '../../src/outbox/reports.js';
import { seededRandom } from '../../src/util/seededRandom.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const USER = 'tel:+8613900000003';
const STARTS: DeliveryStatus[] = ['queued', 'sending', 'sent', 'delivered', 'displayed', 'failed'];
const REPORTED: DeliveryReport['status'][] = ['sent', 'delivered', 'deliveredToNetwork', 'displayed', 'failed', 'revoked', 'revokeFailed'];

describe('delivery reports planned from one read', () => {
  let mongo: TestMongo;
  let connection: Connection;
  let outbox: Outbox;

  before(async () => {
    mongo = await startTestMongo({ name: 'outbox_report_plan' });
    connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    outbox = createOutbox(connection, { defaultPlatformId: 'ctcu' });
    await outbox.model.init();
  });
  after(async () => {
    await connection.close();
    await mongo.close();
  });

  async function messageIn(status: DeliveryStatus, stamped: boolean): Promise<string> {
    const id = await outbox.enqueue({ userId: USER, body: { type: 'text', text: 'hi' } });
    await outbox.model.updateOne({ _id: id }, { $set: { status, ...(stamped ? { sentAt: new Date(500) } : {}), claimedBy: 'someone' } });
    return id;
  }

  async function stateOf(id: string): Promise<Record<string, unknown>> {
    const stored = await outbox.model.findById(id, { _id: 0, createdAt: 0, updatedAt: 0, seq: 0, nextAttemptAt: 0 }).lean();
    // When it expires depends on the clock; whether it does, on the reports.
    const { expiresAt, ...rest } = stored ?? {};
    return { ...rest, expires: expiresAt !== undefined };
  }

  it('ends in the same state as applying the reports one by one, for any start and any order', async () => {
    const random = seededRandom(42);
    for (let round = 0; round < 60; round++) {
      const start = STARTS[Math.floor(random() * STARTS.length)] as DeliveryStatus;
      const stamped = random() < 0.5;
      const [inOrder, planned] = [await messageIn(start, stamped), await messageIn(start, stamped)];
      const statuses = Array.from({ length: 1 + Math.floor(random() * 4) }, () => REPORTED[Math.floor(random() * REPORTED.length)] as DeliveryReport['status']);
      const reportsFor = (messageId: string): DeliveryReport[] =>
        statuses.map((status, index) => ({ messageId, status, at: new Date(1000 * (index + 1)), ...(status === 'failed' ? { errorCode: 2 } : {}) }));

      const reports = reportsFor(inOrder);
      await outbox.model.bulkWrite(
        reports.map((report) => moveOperation(report, new Date())),
        { ordered: true },
      );
      await outbox.model.bulkWrite(reports.flatMap(stampOperation), { ordered: true });
      await outbox.applyDeliveryReports(reportsFor(planned));

      expect(await stateOf(planned), `${start}${stamped ? ' stamped' : ''} then ${statuses.join(', ')}`).to.deep.equal(await stateOf(inOrder));
    }
  });

  it('writes nothing for news the message already has', async () => {
    const id = await messageIn('sent', true);
    const before = (await outbox.find(id))?.updatedAt;
    await outbox.applyDeliveryReports([{ messageId: id, status: 'sent', at: new Date(9000) }]);
    const after = await outbox.find(id);
    expect(after?.updatedAt?.getTime()).to.equal(before?.getTime());
    expect(after?.sentAt?.getTime()).to.equal(500);
  });

  it('guards each write with the status it read, so a message moved meanwhile is not overwritten', async () => {
    const id = await messageIn('sending', false);
    const read = await outbox.model.find({ _id: id }, REPORTED_FIELDS).lean<ReportedMessage[]>();
    await outbox.applyDeliveryReports([{ messageId: id, status: 'failed', errorCode: 2 }]);
    const stale = await outbox.model.bulkWrite(plannedOperations(read, [{ messageId: id, status: 'delivered' }], new Date()), { ordered: false });
    expect(stale.matchedCount).to.equal(0);
    expect((await outbox.find(id))?.status).to.equal('failed');
  });
});

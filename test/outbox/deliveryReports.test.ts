import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import type { DeliveryReport } from '../../src/channels/model.js';
import { createOutbox, type Outbox } from '../../src/outbox/index.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const USER = 'tel:+8613900000001';

describe('outbox delivery reports', () => {
  let mongo: TestMongo;
  let connection: Connection;
  let outbox: Outbox;

  before(async () => {
    mongo = await startTestMongo({ name: 'outbox_reports' });
    connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    outbox = createOutbox(connection, { defaultPlatformId: 'ctcu' });
    await outbox.model.init();
  });
  after(async () => {
    await connection.close();
    await mongo.close();
  });

  async function sentMessage(): Promise<string> {
    const id = await outbox.enqueue({ userId: USER, body: { type: 'text', text: 'hi' } });
    await outbox.model.updateOne({ _id: id }, { $set: { status: 'sent', sentAt: new Date(1000) } });
    return id;
  }

  const report = (messageId: string, status: DeliveryReport['status'], extra: Partial<DeliveryReport> = {}): DeliveryReport => ({ messageId, status, ...extra });

  it('moves forward through delivered to displayed, stamping each', async () => {
    const id = await sentMessage();
    await outbox.applyDeliveryReports([report(id, 'delivered', { at: new Date(2000) })]);
    await outbox.applyDeliveryReports([report(id, 'displayed', { at: new Date(3000) })]);
    const stored = await outbox.find(id);
    expect(stored?.status).to.equal('displayed');
    expect(stored?.deliveredAt?.getTime()).to.equal(2000);
    expect(stored?.displayedAt?.getTime()).to.equal(3000);
  });

  it('ignores a late delivered after displayed but still records when it was delivered', async () => {
    const id = await sentMessage();
    await outbox.applyDeliveryReports([report(id, 'displayed', { at: new Date(3000) }), report(id, 'delivered', { at: new Date(2000) })]);
    const stored = await outbox.find(id);
    expect(stored?.status).to.equal('displayed');
    expect(stored?.deliveredAt?.getTime()).to.equal(2000);
  });

  it('ignores failed after delivered, and a repeated report changes nothing', async () => {
    const id = await sentMessage();
    await outbox.applyDeliveryReports([report(id, 'delivered', { at: new Date(2000) })]);
    await outbox.applyDeliveryReports([report(id, 'delivered', { at: new Date(9000) }), report(id, 'failed', { errorCode: 4 })]);
    const stored = await outbox.find(id);
    expect(stored?.status).to.equal('delivered');
    expect(stored?.deliveredAt?.getTime()).to.equal(2000);
    expect(stored?.errorCode).to.equal(undefined);
  });

  it('marks a sent message failed with the platform code and reason', async () => {
    const id = await sentMessage();
    await outbox.applyDeliveryReports([report(id, 'failed', { errorCode: 2, errorMessage: 'not a 5G terminal' })]);
    const stored = await outbox.find(id);
    expect(stored).to.include({ status: 'failed', errorCode: 2, lastError: 'not a 5G terminal' });
  });

  it('takes a sent report for a message still waiting for a retry, so it is not sent again', async () => {
    const id = await outbox.enqueue({ userId: USER, body: { type: 'text', text: 'hi' } });
    await outbox.applyDeliveryReports([report(id, 'sent')]);
    expect((await outbox.find(id))?.status).to.equal('sent');
  });

  it('applies several messages in one call and ignores unknown messageIds', async () => {
    const first = await sentMessage();
    const second = await sentMessage();
    await outbox.applyDeliveryReports([report(first, 'deliveredToNetwork'), report('no-such-message', 'delivered'), report(second, 'revoked')]);
    expect((await outbox.find(first))?.status).to.equal('deliveredToNetwork');
    expect((await outbox.find(second))?.status).to.equal('revoked');
    expect(await outbox.find('no-such-message')).to.equal(null);
  });

  it('does not revoke a delivered message', async () => {
    const id = await sentMessage();
    await outbox.applyDeliveryReports([report(id, 'delivered'), report(id, 'revoked'), report(id, 'revokeFailed')]);
    const stored = await outbox.find(id);
    expect(stored?.status).to.equal('delivered');
    expect(stored?.lastError).to.equal('revoke failed');
  });
});

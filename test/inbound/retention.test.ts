import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import { inboundRecordId } from '../../src/channels/identity.js';
import type { InboundEvent } from '../../src/channels/model.js';
import { InboundStore } from '../../src/inbound/inboundMessage.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const RETENTION_MS = 300;

function textEvent(): InboundEvent {
  return {
    messageId: randomUUID(),
    channel: 'ctcu',
    platformId: 'ctcu',
    chatbotId: 'sip:106500@botplatform.rcs.domain.cn',
    userId: 'tel:+8613900000201',
    conversationId: 'c1',
    contributionId: randomUUID(),
    content: { type: 'text', text: 'hi' },
  };
}

describe('inbound retention', function () {
  this.timeout(20_000);
  let mongo: TestMongo;
  let connection: Connection;
  let store: InboundStore;

  before(async () => {
    mongo = await startTestMongo({ name: 'inbound_retention', ttlIntervalMs: 100 });
    connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    store = new InboundStore(connection, { retentionMs: RETENTION_MS });
    await store.init();
  });
  after(async () => {
    await connection.close();
    await mongo.close();
  });

  it('removes a message a retention period after it was done, and keeps failed and waiting ones', async () => {
    const claim = { owner: 'me', leaseMs: 60_000 };
    const [done, failed, waiting] = [textEvent(), textEvent(), textEvent()];
    await store.record(done, { claim });
    await store.record(failed, { claim });
    await store.record(waiting);
    await store.complete(inboundRecordId(done), 'me');
    await store.release(inboundRecordId(failed), 'me', 'the turn kept failing', undefined);

    const finished = await store.get(inboundRecordId(done));
    expect((finished?.expiresAt?.getTime() ?? 0) - (finished?.processedAt?.getTime() ?? 0)).to.equal(RETENTION_MS);
    expect((await store.get(inboundRecordId(failed)))?.expiresAt).to.equal(undefined);

    const deadline = Date.now() + 10_000;
    while (await store.get(inboundRecordId(done))) {
      if (Date.now() > deadline) throw new Error('the message done was not removed after the retention period');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await store.get(inboundRecordId(failed)))?.state).to.equal('failed');
    expect((await store.get(inboundRecordId(waiting)))?.state).to.equal('received');
  });
});

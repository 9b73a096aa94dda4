import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { InboundEvent } from '../../src/channels/model.js';
import { InboundStore } from '../../src/inbound/inboundMessage.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const RETENTION_MS = 300;

function textEvent(): InboundEvent {
  return {
    messageId: randomUUID(),
    channel: 'ctcu',
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
    await store.complete(done.messageId, 'me');
    await store.release(failed.messageId, 'me', 'the turn kept failing', undefined);

    const finished = await store.get(done.messageId);
    expect((finished?.expiresAt?.getTime() ?? 0) - (finished?.processedAt?.getTime() ?? 0)).to.equal(RETENTION_MS);
    expect((await store.get(failed.messageId))?.expiresAt).to.equal(undefined);

    const deadline = Date.now() + 10_000;
    while (await store.get(done.messageId)) {
      if (Date.now() > deadline) throw new Error('the message done was not removed after the retention period');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await store.get(failed.messageId))?.state).to.equal('failed');
    expect((await store.get(waiting.messageId))?.state).to.equal('received');
  });
});

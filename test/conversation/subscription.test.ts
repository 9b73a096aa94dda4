import { expect } from 'chai';
import { MemorySubscriptions } from '../../src/subscriptions/subscriptions.js';
import { sharedContent, startChat } from './transcript.js';

describe('conversation: 退订 and 订阅', function () {
  this.timeout(30_000);
  before(() => sharedContent());

  it('stops broadcasts at 退订 or TD, confirms in one message, and still answers the citizen', async () => {
    for (const text of ['退订', 'TD']) {
      const subscriptions = new MemorySubscriptions();
      const chat = await startChat({ subscriptions });
      const answer = await chat.send(text);
      expect(answer.messages, text).to.have.length(1);
      expect(answer.texts[0], text).to.contain('已为您退订');
      expect(await subscriptions.receivesBroadcasts(`test|${chat.user}`), text).to.equal(false);
      expect((await chat.send('护照多久能拿到')).titles, 'conversational replies go on').to.deep.equal(['普通护照申领 · 办理时限']);
    }
  });

  it('resumes at 订阅, or with the button of the confirmation', async () => {
    const subscriptions = new MemorySubscriptions();
    const chat = await startChat({ subscriptions });
    await chat.send('退订');
    expect((await chat.tap('恢复订阅')).texts[0]).to.contain('已为您恢复订阅');
    expect(await subscriptions.receivesBroadcasts(`test|${chat.user}`)).to.equal(true);
    await chat.send('别再给我推送了');
    expect((await chat.send('订阅')).texts[0]).to.contain('已为您恢复订阅');
    expect(await subscriptions.receivesBroadcasts(`test|${chat.user}`)).to.equal(true);
  });
});

describe('subscriptions in MongoDB', function () {
  this.timeout(20_000);
  it('remembers the choice per user on their platform, and lists the opted-out among given users', async () => {
    const { startTestMongo } = await import('../support/mongo.js');
    const { createConnection } = await import('mongoose');
    const { MongoSubscriptions } = await import('../../src/subscriptions/subscriptions.js');
    const mongo = await startTestMongo({ name: 'subscriptions' });
    const connection = await createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    try {
      const subscriptions = new MongoSubscriptions(connection);
      await subscriptions.init();
      await subscriptions.optOut('ctcu|tel:+8613800000001');
      await subscriptions.optOut('cmcc-xml|tel:+8613800000001');
      await subscriptions.optIn('cmcc-xml|tel:+8613800000001');
      expect(await subscriptions.receivesBroadcasts('ctcu|tel:+8613800000001')).to.equal(false);
      expect(await subscriptions.receivesBroadcasts('cmcc-xml|tel:+8613800000001')).to.equal(true);
      expect(await subscriptions.receivesBroadcasts('ctcu|tel:+8613800000009'), 'never asked: receives').to.equal(true);
      expect([...(await subscriptions.optedOutAmong(['ctcu|tel:+8613800000001', 'cmcc-xml|tel:+8613800000001', 'ctcu|tel:+8613800000009']))]).to.deep.equal(['ctcu|tel:+8613800000001']);
    } finally {
      await connection.close();
      await mongo.close();
    }
  });
});

import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { connectDatabase, type DatabaseHandle } from '../../src/db/connect.js';
import { createOutbox, type Outbox } from '../../src/outbox/outbox.js';
import { outboundOf } from '../../src/outbox/model.js';
import { InboundStore } from '../../src/inbound/inboundMessage.js';
import { InboundProcessor, type InboundProcessorOptions } from '../../src/inbound/processor.js';
import type { TurnHandler } from '../../src/inbound/turnHandler.js';
import { createEchoBot } from '../support/echoHandler.js';
import { inboundRecordId } from '../../src/channels/identity.js';
import type { InboundEvent, OutboundMessage } from '../../src/channels/model.js';

const log = pino({ level: 'silent' });

function textEvent(text: string, userId = 'tel:+8613900000001'): InboundEvent {
  return {
    messageId: randomUUID(),
    channel: 'ctcu',
    platformId: 'ctcu',
    chatbotId: 'sip:106500@botplatform.rcs.domain.cn',
    userId,
    conversationId: 'c1',
    contributionId: randomUUID(),
    content: { type: 'text', text },
  };
}

async function until(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('inbound processing', () => {
  let db: DatabaseHandle;
  let dataDir: string;
  let store: InboundStore;
  let outbox: Outbox;
  const running: InboundProcessor[] = [];

  function processor(handler: TurnHandler, options: Partial<Pick<InboundProcessorOptions, 'leaseMs' | 'retryBaseMs' | 'onGiveUp'>> = {}): InboundProcessor {
    const created = new InboundProcessor({ store, handler, queue: outbox, log, pollIntervalMs: 20, ...options });
    running.push(created);
    created.start();
    return created;
  }

  async function repliesTo(event: InboundEvent): Promise<OutboundMessage[]> {
    const documents = await outbox.model.find({ userId: event.userId }).sort({ seq: 1 }).lean();
    return documents.map(outboundOf).filter((message) => message.inReplyTo === event.contributionId);
  }

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'inbound-test-'));
    db = await connectDatabase({ dataDir }, log);
    store = new InboundStore(db.connection);
    outbox = createOutbox(db.connection, { defaultPlatformId: 'ctcu' });
    await Promise.all([store.init(), outbox.model.init()]);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((each) => each.stop()));
  });
  after(async () => {
    await db.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers a received text with an echo card, once, however often it is received', async () => {
    const inbox = processor(createEchoBot());
    const event = textEvent('我想办居住证');
    expect(await inbox.receive(event)).to.equal('new');
    expect(await inbox.receive(event)).to.equal('duplicate');
    await until(async () => (await store.get(inboundRecordId(event)))?.state === 'done');
    expect(await inbox.receive(event)).to.equal('duplicate');
    const replies = await repliesTo(event);
    expect(replies).to.have.length(1);
    const card = replies[0]?.body;
    expect(card?.type).to.equal('card');
    expect(JSON.stringify(card)).to.include('我想办居住证');
    expect(replies[0]).to.include({ userId: event.userId, conversationId: 'c1', inReplyTo: event.contributionId });
  });

  it('picks up a message stored before a restart (acknowledged, never processed)', async () => {
    const event = textEvent('acknowledged then crashed');
    await store.record(event);
    processor(createEchoBot());
    await until(async () => (await store.get(inboundRecordId(event)))?.state === 'done');
    expect(await repliesTo(event)).to.have.length(1);
  });

  it('takes over a message whose owner died mid-turn once its lease expires, without sending twice', async () => {
    const event = textEvent('owner died after queueing the reply');
    // The dead process had claimed it and queued the reply, but never marked it done.
    await store.record(event, { claim: { owner: 'dead-process', leaseMs: 300 } });
    const [reply] = await createEchoBot()(event);
    await outbox.enqueue(reply as OutboundMessage, { dedupeKey: `${inboundRecordId(event)}:0` });
    processor(createEchoBot(), { leaseMs: 1_000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await store.get(inboundRecordId(event)))?.state, 'not before the lease expires').to.equal('processing');
    await until(async () => (await store.get(inboundRecordId(event)))?.state === 'done');
    const record = await store.get(inboundRecordId(event));
    expect(record?.attempts).to.equal(2);
    expect(await repliesTo(event)).to.have.length(1);
  });

  it('retries a turn that failed, and marks it failed after the last attempt', async () => {
    let calls = 0;
    const flaky: TurnHandler = async (event) => {
      calls += 1;
      if (calls < 3) throw new Error('temporary');
      return createEchoBot()(event);
    };
    const inbox = processor(flaky, { retryBaseMs: 20 });
    const event = textEvent('flaky');
    await inbox.receive(event);
    await until(async () => (await store.get(inboundRecordId(event)))?.state === 'done');
    expect(calls).to.equal(3);
    expect(await repliesTo(event)).to.have.length(1);
    await inbox.stop();

    const broken = processor(async () => Promise.reject(new Error('always')), { retryBaseMs: 5 });
    const doomed = textEvent('doomed', 'tel:+8613900000009');
    await broken.receive(doomed);
    await until(async () => (await store.get(inboundRecordId(doomed)))?.state === 'failed');
    expect((await store.get(inboundRecordId(doomed)))?.lastError).to.match(/always/);
  });

  it("queues one user's replies in the order the messages came, even when turns take uneven time", async () => {
    const slowFirst: TurnHandler = async (event) => {
      const text = event.content.type === 'text' ? event.content.text : '';
      await new Promise((resolve) => setTimeout(resolve, text === '1' ? 80 : 1));
      return [{ userId: event.userId, body: { type: 'text', text }, inReplyTo: 'order-test' }];
    };
    const inbox = processor(slowFirst);
    const user = 'tel:+8613900000123';
    for (const text of ['1', '2', '3', '4']) await inbox.receive(textEvent(text, user));
    await until(async () => (await outbox.model.countDocuments({ userId: user })) === 4);
    const queued = await outbox.model.find({ userId: user }).sort({ seq: 1 }).lean();
    expect(queued.map(outboundOf).map(({ body }) => (body.type === 'text' ? body.text : ''))).to.deep.equal(['1', '2', '3', '4']);
  });

  it('answers a message given up on once, with what onGiveUp says', async () => {
    const apology = (event: InboundEvent): OutboundMessage[] => [{ userId: event.userId, body: { type: 'text', text: 'sorry' }, inReplyTo: event.contributionId }];
    const broken = processor(async () => Promise.reject(new Error('always')), { retryBaseMs: 5, onGiveUp: apology });
    const event = textEvent('never works', 'tel:+8613900000777');
    await broken.receive(event);
    await until(async () => (await store.get(inboundRecordId(event)))?.state === 'failed');
    expect((await repliesTo(event)).map((reply) => (reply.body.type === 'text' ? reply.body.text : ''))).to.deep.equal(['sorry']);
  });

  it("holds a user's message back while an earlier one of that user is unfinished in another process", async () => {
    const user = 'tel:+8613900000555';
    const handled: string[] = [];
    const recorder: TurnHandler = async (event) => {
      handled.push(event.content.type === 'text' ? event.content.text : '');
      return [];
    };
    // Another process received the first message and holds it (its lease runs for a while).
    const first = textEvent('first', user);
    await store.record(first, { claim: { owner: 'another-process', leaseMs: 400 } });
    const inbox = processor(recorder);
    const second = textEvent('second', user);
    await inbox.receive(second);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(handled, 'the second waits while the first is held elsewhere').to.deep.equal([]);
    expect((await store.get(inboundRecordId(second)))?.attempts, 'waiting does not count as an attempt').to.be.at.most(1);
    // The other process died: once its lease ends the first is taken over, then the second runs.
    await until(async () => handled.length === 2);
    expect(handled).to.deep.equal(['first', 'second']);
  });
});

/**
 * Two bot processes on one store (started as `npm run mongo` runs it), both receiving one
 * user's messages: the turns run one at a time and in order across the processes, no session
 * write is lost, and every message is answered once.
 */
import { expect } from 'chai';
import type { ReceivedMessage, Simulator } from '../../src/channels/simulator/index.js';
import { startTwoBots, type TwoBots } from '../support/twoBots.js';

const USER = 'tel:+8613700001234';

function titleOf(message: ReceivedMessage): string {
  const card = message.parts.find((part) => part.kind === 'card');
  if (card?.kind !== 'card') return '';
  const content = card.card.message;
  return 'generalPurposeCard' in content ? (content.generalPurposeCard.content.title ?? '') : '';
}

describe('two bot processes on one store', function () {
  this.timeout(120_000);
  let two: TwoBots;
  let simulator: Simulator;

  before(async () => {
    two = await startTwoBots({ callbackToken: 'two-process-token', env: { SEND_RATE: '500' } });
    simulator = two.simulator;
  });
  after(async () => two?.close());

  /** The user's message, signed like the platform, to one of the two processes. */
  const sendTo = (bot: number, text: string, contributionId: string): Promise<{ status: number }> =>
    two.post(bot, USER, { contentType: 'text/plain', contentText: text }, { conversationId: 'two-process-conversation', contributionId });

  it('answers each message once, in the order received, every turn seeing the one before', async () => {
    const opening = await sendTo(0, '我要办护照', 'turn-0');
    expect(opening.status).to.equal(200);
    await simulator.waitForMessages(() => simulator.received(USER).length >= 1, 20_000);

    const questions = ['要带什么', '多久能办好', '在哪里办', '收费吗', '能网上办吗', '要本人去吗', '电话多少', '要带什么', '多久能办好', '在哪里办', '收费吗', '电话多少'];
    // Both processes at once, alternating, each message a few milliseconds after the one before.
    const sends = questions.map(async (text, index) => {
      await new Promise((resolve) => setTimeout(resolve, index * 5));
      return sendTo(index % 2, text, `turn-${index + 1}`);
    });
    expect((await Promise.all(sends)).map((answer) => answer.status)).to.deep.equal(questions.map(() => 200));
    await simulator.waitForMessages(() => simulator.received(USER).length >= questions.length + 1, 60_000);
    await new Promise((resolve) => setTimeout(resolve, 500));

    const received = simulator.received(USER);
    const answering = received.map((message) => message.inReplyTo);
    const inbound = await two.db.collection('inboundMessages').find({ userId: USER }).sort({ receivedAt: 1, _id: 1 }).toArray();
    const orderReceived = inbound.map((record) => (record.event as { contributionId: string }).contributionId);
    expect(orderReceived).to.have.members(['turn-0', ...questions.map((_, index) => `turn-${index + 1}`)]);
    expect(answering, 'each message answered once, in the order the processes received them').to.deep.equal(orderReceived);
    for (const message of received.slice(1)) expect(titleOf(message), 'every follow-up saw the item the first turn set').to.match(/^普通护照申领 · /);

    const session = await two.db.collection('sessions').findOne({ _id: `ctcu|${USER}` as never });
    expect(session?.version, 'one session write per turn, none lost').to.equal(questions.length + 1);
  });
});

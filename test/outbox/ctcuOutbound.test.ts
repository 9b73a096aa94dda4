import { expect } from 'chai';
import { conversationIdFor, toSendRequest } from '../../src/channels/ctcu/outbound.js';
import { judgeAnswer } from '../../src/channels/ctcu/transport.js';
import type { OutboundMessage } from '../../src/channels/model.js';
import { retryDelayMs } from '../../src/outbox/backoff.js';

const CHATBOT = 'sip:106500@botplatform.rcs.domain.cn';
const USER = 'tel:+8613900000001';

describe('CT/CU send request', () => {
  it('puts a text with its chip list, SMS fallback, traffic type and reply threading', () => {
    const message: OutboundMessage = {
      userId: USER,
      body: { type: 'text', text: '您好' },
      suggestions: [{ reply: { displayText: '是', postback: { data: 'yes' } } }],
      smsFallback: '您好（短信）',
      trafficType: 'subscription',
      inReplyTo: 'contribution-1',
      conversationId: 'conv-1',
    };
    const request = toSendRequest(message, { messageId: 'm-1', chatbotId: CHATBOT });
    expect(request.messageList).to.deep.equal([
      { contentType: 'text/plain', contentText: '您好' },
      { contentType: 'application/vnd.gsma.botsuggestion.v1.0+json', contentText: JSON.stringify({ suggestions: message.suggestions }) },
    ]);
    expect(request).to.include({ messageId: 'm-1', senderAddress: CHATBOT, conversationId: 'conv-1', inReplyTo: 'contribution-1', trafficType: 'subscription', smsSupported: true, smsContent: '您好（短信）', imFormat: 'IM' });
    expect(request.destinationAddress).to.deep.equal([USER]);
    expect(request.serviceCapability).to.deep.equal([{ capabilityId: 'ChatbotSA', version: '+g.gsma.rcs.botversion="#=1"' }]);
    expect(request.reportRequest).to.have.members(['delivered', 'displayed', 'failed', 'deliveredToNetwork']);
  });

  it('sends a card as botmessage JSON and leaves SMS fallback off when there is no SMS text', () => {
    const card = { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' as const }, content: { title: '居住证' } } } };
    const request = toSendRequest({ userId: USER, body: { type: 'card', card } }, { messageId: 'm-2', chatbotId: CHATBOT });
    expect(request.messageList).to.deep.equal([{ contentType: 'application/vnd.gsma.botmessage.v1.0+json', contentText: JSON.stringify(card) }]);
    expect(request.smsSupported).to.equal(false);
    expect(request).not.to.have.property('smsContent');
    expect(request).not.to.have.property('inReplyTo');
    expect(request.conversationId).to.equal(conversationIdFor(CHATBOT, USER));
  });

  it('builds the same request for a retry of the same message', () => {
    const message: OutboundMessage = { userId: USER, body: { type: 'text', text: 'x' } };
    expect(toSendRequest(message, { messageId: 'm-3', chatbotId: CHATBOT })).to.deep.equal(toSendRequest(message, { messageId: 'm-3', chatbotId: CHATBOT }));
    expect(toSendRequest(message, { messageId: 'm-3', chatbotId: CHATBOT }).contributionId).not.to.equal(
      toSendRequest(message, { messageId: 'm-4', chatbotId: CHATBOT }).contributionId,
    );
  });
});

describe('judging the platform answer', () => {
  const judge = (errorCode: number, httpStatus = errorCode === 0 ? 200 : 400) => judgeAnswer({ httpStatus, errorCode, body: {} }).kind;

  it('retries busy, internal errors, rate and quota, and any 5xx', () => {
    for (const code of [-1, -2, 30003, 30001, 45001]) expect(judge(code), String(code)).to.equal('retry');
    expect(judge(-2, 502)).to.equal('retry');
  });

  it('gives up on refusals of the message itself', () => {
    for (const code of [20002, 40008, 40016, 40021, 46001, 47001, 60001, 70001]) expect(judge(code), String(code)).to.equal('rejected');
  });

  it('accepts errorCode 0', () => {
    expect(judge(0)).to.equal('accepted');
  });
});

describe('retry backoff', () => {
  const policy = { baseMs: 100, maxMs: 1000, maxAttempts: 10 };

  it('doubles per attempt within half to full of the ceiling, capped', () => {
    expect(retryDelayMs(policy, 1, () => 0)).to.equal(50);
    expect(retryDelayMs(policy, 1, () => 1)).to.equal(100);
    expect(retryDelayMs(policy, 3, () => 1)).to.equal(400);
    expect(retryDelayMs(policy, 3, () => 0)).to.equal(200);
    expect(retryDelayMs(policy, 9, () => 1)).to.equal(1000);
  });
});

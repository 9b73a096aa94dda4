import { expect } from 'chai';
import type { Simulator } from '../../src/channels/simulator/index.js';
import { BotApi, CHATBOT_ID, simulatorFor, textRequest } from './helpers.js';

const CARD = 'application/vnd.gsma.botmessage.v1.0+json';
const CHIPS = 'application/vnd.gsma.botsuggestion.v1.0+json';

function reply(displayText: string, data = 'd'): Record<string, unknown> {
  return { reply: { displayText, postback: { data } } };
}

function card(content: Record<string, unknown>, layout: Record<string, unknown> = { cardOrientation: 'VERTICAL' }): string {
  return JSON.stringify({ message: { generalPurposeCard: { layout, content } } });
}

function carousel(count: number): string {
  const cards = Array.from({ length: count }, (_, index) => ({ title: `卡片${index}` }));
  return JSON.stringify({ message: { generalPurposeCardCarousel: { layout: { cardWidth: 'MEDIUM_WIDTH' }, content: cards } } });
}

function withParts(...parts: { contentType: string; contentText: unknown }[]): Record<string, unknown> {
  return textRequest('', { messageList: parts });
}

describe('simulator send validation', () => {
  let simulator: Simulator;
  let api: BotApi;

  before(async () => {
    simulator = await simulatorFor(undefined);
    api = new BotApi(simulator.serverRoot);
    await api.fetchToken();
  });
  after(() => simulator.close());

  const cases: [string, () => unknown, number][] = [
    ['text over 2000 characters', () => textRequest('字'.repeat(2001)), 40019],
    ['an empty text', () => textRequest(''), 40019],
    ['an unknown part type', () => withParts({ contentType: 'image/png', contentText: 'x' }), 40008],
    ['a card with five suggestions', () => withParts({ contentType: CARD, contentText: card({ title: 't', suggestions: ['a', 'b', 'c', 'd', 'e'].map((text) => reply(text)) }) }), 40016],
    ['a chip list of twelve', () => withParts({ contentType: 'text/plain', contentText: 'hi' }, { contentType: CHIPS, contentText: JSON.stringify({ suggestions: Array.from({ length: 12 }, (_, index) => reply(`c${index}`)) }) }), 40016],
    ['a suggestion text over 25 characters', () => withParts({ contentType: CARD, contentText: card({ title: 't', suggestions: [reply('长'.repeat(26))] }) }), 40017],
    ['postback data over 2048', () => withParts({ contentType: CARD, contentText: card({ title: 't', suggestions: [reply('ok', 'x'.repeat(2049))] }) }), 40018],
    ['a title over 200 characters', () => withParts({ contentType: CARD, contentText: card({ title: 't'.repeat(201) }) }), 40020],
    ['a description over 2000 characters', () => withParts({ contentType: CARD, contentText: card({ description: 'd'.repeat(2001) }) }), 40020],
    ['a carousel of 13 cards', () => withParts({ contentType: CARD, contentText: carousel(13) }), 40021],
    ['a carousel of one card', () => withParts({ contentType: CARD, contentText: carousel(1) }), 40021],
    ['a card without media, title or description', () => withParts({ contentType: CARD, contentText: card({}) }), 20002],
    ['a HORIZONTAL card without imageAlignment', () => withParts({ contentType: CARD, contentText: card({ title: 't' }, { cardOrientation: 'HORIZONTAL' }) }), 20002],
    ['media without height', () => withParts({ contentType: CARD, contentText: card({ media: { mediaUrl: 'https://a.cn/x.png', mediaContentType: 'image/png', mediaFileSize: 1 } }) }), 20002],
    ['a card that is not JSON', () => withParts({ contentType: CARD, contentText: '{"message":' }), 47001],
    ['an action with two action objects', () => withParts({ contentType: CARD, contentText: card({ title: 't', suggestions: [{ action: { displayText: 'x', dialerAction: { dialPhoneNumber: { phoneNumber: '1' } }, urlAction: { openUrl: { url: 'https://a.cn' } } } }] }) }), 20002],
    ['two recipients', () => textRequest('x', { destinationAddress: ['tel:+8613900000001', 'tel:+8613900000002'] }), 20002],
    ['another sender', () => textRequest('x', { senderAddress: 'sip:999@botplatform.rcs.domain.cn' }), 20002],
    ['SMS fallback without SMS text', () => textRequest('x', { smsSupported: true }), 20002],
    ['a chip list alone', () => withParts({ contentType: CHIPS, contentText: JSON.stringify({ suggestions: [reply('a')] }) }), 20002],
    ['three files', () => withParts({ contentType: 'application/vnd.gsma.rcs-ft-http', contentText: JSON.stringify([{}, {}, {}]) }), 20002],
  ];

  for (const [name, build, errorCode] of cases) {
    it(`refuses ${name} with ${errorCode}`, async () => {
      const answer = await api.send(build());
      expect(answer.errorCode, answer.errorMessage).to.equal(errorCode);
      expect(answer.status).to.be.within(400, 499);
    });
  }

  it('accepts a full card with every action kind, a carousel and a chip list', async () => {
    const actions = [
      { action: { displayText: '打电话', dialerAction: { dialPhoneNumber: { phoneNumber: '0755-12345678' } } } },
      { action: { displayText: '地图', mapAction: { showLocation: { location: { latitude: 22.5, longitude: 114.05, label: '大厅' } } } } },
      { action: { displayText: '日历', calendarAction: { createCalendarEvent: { startTime: '2026-12-01T09:00:00+08:00', endTime: '2026-12-01T09:30:00+08:00', title: '预约' } } } },
      { action: { displayText: '网页', urlAction: { openUrl: { url: 'https://example.cn', application: 'webview' } }, postback: { data: 'u' } } },
    ];
    const media = { mediaUrl: 'https://example.cn/a.png', mediaContentType: 'image/png', mediaFileSize: 1000, height: 'MEDIUM_HEIGHT' };
    const body = withParts(
      { contentType: CARD, contentText: card({ media, title: '居住证', description: '说明', suggestions: actions }) },
      { contentType: CHIPS, contentText: JSON.stringify({ suggestions: [reply('是'), reply('否')] }) },
    );
    expect((await api.send(body)).errorCode).to.equal(0);
    expect((await api.send(withParts({ contentType: CARD, contentText: carousel(12) }))).errorCode).to.equal(0);
    const base64 = textRequest('', { messageList: [{ contentType: 'text/plain', contentEncoding: 'base64', contentText: Buffer.from('你好').toString('base64') }] });
    expect((await api.send(base64)).errorCode).to.equal(0);
    expect(simulator.received().find((message) => message.messageId === base64.messageId)?.parts).to.deep.equal([{ kind: 'text', text: '你好' }]);
  });

  it('refuses a body that is not JSON with 47001', async () => {
    expect((await api.send('{"messageId":')).errorCode).to.equal(47001);
  });

  it('refuses a missing date header and a wrong token', async () => {
    expect((await api.send(textRequest(), { date: '' })).errorCode).to.equal(20002);
    expect((await api.send(textRequest(), { authorization: 'accessToken nope' })).errorCode).to.equal(40001);
  });

  it('supersedes the old token when a new one is fetched', async () => {
    const old = api.token;
    await api.fetchToken();
    expect((await api.send(textRequest(), { authorization: `accessToken ${old}` })).errorCode).to.equal(40014);
    expect((await api.send(textRequest())).errorCode).to.equal(0);
  });

  it('refuses wrong app credentials and an unknown chatbot', async () => {
    expect((await api.fetchToken('wrong')).body.errorCode).to.equal(20002);
    await api.fetchToken();
    const response = await fetch(`${simulator.serverRoot}/bot/v1/${encodeURIComponent('sip:1@x')}/messages`, { method: 'POST', body: '{}' });
    expect(response.status).to.equal(404);
  });

  it('answers 30003 past the rate limit and takes calls again a second later', async () => {
    simulator.setRateLimit(3);
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => api.send(textRequest())));
      expect(answers.filter((answer) => answer.errorCode === 30003)).to.have.length(2);
      await new Promise((resolve) => setTimeout(resolve, 1050));
      expect((await api.send(textRequest())).errorCode).to.equal(0);
    } finally {
      simulator.setRateLimit(undefined);
    }
  });

  it('counts a repeated messageId once', async () => {
    const request = textRequest();
    const before = simulator.stats();
    await api.send(request);
    await api.send(request);
    const after = simulator.stats();
    expect(after.accepted - before.accepted).to.equal(1);
    expect(after.duplicates - before.duplicates).to.equal(1);
    expect(simulator.received().filter((message) => message.messageId === request.messageId)).to.have.length(1);
  });

  it('answers the injected failures in turn, then accepts again', async () => {
    simulator.injectFailures({ serverErrors: 1, rateLimited: 1, tokenExpired: 1, rejections: { errorCode: 60001, count: 1 } });
    const codes = [];
    for (let index = 0; index < 4; index++) codes.push((await api.send(textRequest())).errorCode);
    expect(codes.sort()).to.deep.equal([-2, 30003, 42001, 60001].sort());
    expect((await api.send(textRequest())).errorCode).to.equal(42001);
    await api.fetchToken();
    expect((await api.send(textRequest())).errorCode).to.equal(0);
  });

  it('routes under the chatbotId whether or not it is URL-encoded', async () => {
    const response = await fetch(`${simulator.serverRoot}/bot/v1/${CHATBOT_ID}/accessToken`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ appId: 'test-app', appKey: 'test-key' }),
    });
    expect(((await response.json()) as { errorCode: number }).errorCode).to.equal(0);
  });
});

/** The simulated China Mobile gateway: what it accepts from a chatbot, what it refuses and how, and how it calls back. */
import { expect } from 'chai';
import { authHeaders, credentialsProblem } from '../../src/channels/maap/auth.js';
import { encodeRequest } from '../../src/channels/maap/codec.js';
import { toMaapRequest } from '../../src/channels/maap/outbound.js';
import { startSimulator, type Simulator, type SimulatedMaapPlatform } from '../../src/channels/simulator/index.js';
import { Receiver, silentLog } from './helpers.js';

const XML: SimulatedMaapPlatform = { id: 'cm-xml', family: 'maap', dialect: 'xml', chatbotId: 'sip:12599@botplatform.rcs.chinamobile.com', appId: 'xml-app', password: 'xml-secret' };
const JSON_PLATFORM: SimulatedMaapPlatform = { id: 'cm-json', family: 'maap', dialect: 'json', chatbotId: 'sip:12520@botplatform.rcs.chinamobile.com', appId: 'json-app', password: 'json-secret' };
const USER = 'tel:+8613900000001';
const card = { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' as const }, content: { title: '居住证', description: '办理' } } } };

describe('simulated MaaP gateway', () => {
  let receiver: Receiver;
  let simulator: Simulator;

  before(async () => {
    receiver = await new Receiver().start();
    simulator = await startSimulator({ platforms: [XML, JSON_PLATFORM], notifyUrl: receiver.url, reportDelayMs: 5 }, silentLog);
  });
  after(async () => {
    await simulator.close();
    await receiver.close();
  });

  async function post(platform: SimulatedMaapPlatform, body: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
    const path = platform.dialect === 'xml' ? `/messaging/interaction/v1/outbound/${encodeURIComponent(platform.chatbotId)}/requests` : `/openchatbot/v2/${encodeURIComponent(platform.chatbotId)}/outbound`;
    const response = await fetch(`${simulator.serverRoot}${path}`, {
      method: 'POST',
      headers: { ...authHeaders(platform.dialect, platform), 'content-type': platform.dialect === 'xml' ? 'application/xml' : 'application/json', ...headers },
      body,
    });
    return { status: response.status, text: await response.text() };
  }

  const request = (messageId: string, suggestions = true) =>
    toMaapRequest({ userId: USER, body: { type: 'card', card }, ...(suggestions ? { suggestions: [{ reply: { displayText: '预约', postback: { data: 'b' } } }] } : {}) }, { messageId, chatbotId: XML.chatbotId });

  it('accepts an authenticated XML send with 201 and shows the card and chips', async () => {
    const answer = await post(XML, encodeRequest('xml', request('x-1')).body);
    expect(answer.status).to.equal(201);
    expect(answer.text).to.include('<messageId>x-1</messageId>');
    expect(simulator.platform('cm-xml').received(USER).at(-1)?.parts.map((part) => part.kind)).to.deep.equal(['card', 'chips']);
  });

  it('refuses a Basic digest over another Date, and a JSON password that is wrong, with 401', async () => {
    const stale = authHeaders('xml', XML, new Date(Date.now() - 10 * 60_000));
    expect((await post(XML, encodeRequest('xml', request('x-2')).body, stale)).status).to.equal(401);
    const json = { ...request('j-1'), senderAddress: JSON_PLATFORM.chatbotId };
    expect((await post(JSON_PLATFORM, encodeRequest('json', json).body, { authorization: 'Username="json-app",Password="nope"' })).status).to.equal(401);
    expect((await post(JSON_PLATFORM, encodeRequest('json', json).body)).status).to.equal(201);
  });

  it('refuses a multipart whose Content-Length counts characters, with SVC0002 saying so', async () => {
    const sent = request('x-3');
    const cardJson = JSON.stringify(card);
    const wrong = { ...sent, outboundIMMessage: { ...sent.outboundIMMessage, bodyText: sent.outboundIMMessage.bodyText.replace(`Content-Length: ${Buffer.byteLength(cardJson)}`, `Content-Length: ${cardJson.length}`) } };
    const answer = await post(XML, encodeRequest('xml', wrong).body);
    expect(answer.status).to.equal(400);
    expect(answer.text).to.include('SVC0002').and.include('does not end at the next delimiter');
  });

  it('refuses more than 100 recipients with POL0003, and a card over the limits with SVC0002', async () => {
    const many = { ...request('x-4'), destinationAddress: Array.from({ length: 101 }, (_, index) => `tel:+86139${String(index).padStart(8, '0')}`) };
    const tooMany = await post(XML, encodeRequest('xml', many).body);
    expect(tooMany.status).to.equal(403);
    expect(tooMany.text).to.include('POL0003');
    const long = toMaapRequest({ userId: USER, body: { type: 'card', card: { message: { generalPurposeCard: { layout: { cardOrientation: 'VERTICAL' }, content: { title: '长'.repeat(201) } } } } } }, { messageId: 'x-5', chatbotId: XML.chatbotId });
    const refused = await post(XML, encodeRequest('xml', long).body);
    expect(refused.status).to.equal(400);
    expect(refused.text).to.include('SVC0002').and.include('title');
  });

  it('passes a user’s message on as the dialect’s inbound notification, authenticated so the bot can verify it', async () => {
    await simulator.platform('cm-xml').sendText(USER, '你好');
    await simulator.platform('cm-json').sendText(USER, '你好');
    const [xmlCall, jsonCall] = await receiver.waitFor((calls) => calls.filter((call) => call.path.startsWith('/InboundMessageNotification/')).length >= 2).then((calls) => calls.filter((call) => call.path.startsWith('/InboundMessageNotification/')));
    expect(xmlCall?.path).to.equal(`/InboundMessageNotification/${encodeURIComponent(XML.chatbotId)}`);
    expect(String(xmlCall?.body)).to.match(/<msg:inboundMessageNotification xmlns:msg="urn:oma:xml:rest:netapi:messaging:1"><inboundMessage>.*<senderAddress>sip:\+8613900000001@ims/);
    expect(credentialsProblem(String(xmlCall?.headers.authorization), String(xmlCall?.headers.date), XML)).to.equal(undefined);
    expect(jsonCall?.body).to.deep.include({ senderAddress: USER, bodyText: '你好', contentType: 'text/plain' });
    expect(jsonCall?.headers.authorization).to.equal('Username="json-app",Password="json-secret"');
  });
});

/** What the MaaP webhook accepts, refuses and persists: credentials, addresses, and hostile or broken bodies. */
import { expect } from 'chai';
import { send } from '../ctcu/signedRequest.js';
import { inboundRecordId } from '../../../src/channels/identity.js';
import { deliveryBody } from '../../../src/channels/simulator/maap/callbacks.js';
import { JSON_PLATFORM, XML_PLATFORM, deliveryPath, inboundPath, platformHeaders, startMaapWebhook, textBody, textFields, type MaapWebhookHarness } from './webhookHarness.js';

const reasonOf = (body: string): string => (JSON.parse(body) as { reason: string }).reason;

describe('MaaP webhook: callbacks it accepts', () => {
  let hook: MaapWebhookHarness;
  before(async () => {
    hook = await startMaapWebhook();
  });
  after(async () => hook.close());

  it('persists an XML inbound message, with the sip: sender normalised to tel:, then answers 204', async () => {
    const fields = textFields('我想办居住证');
    const answer = await send(`${hook.url}${inboundPath(XML_PLATFORM)}`, { headers: platformHeaders(XML_PLATFORM), body: textBody(XML_PLATFORM, '我想办居住证', fields) });
    expect(answer.status).to.equal(204);
    const record = await hook.inbound.get(inboundRecordId({ platformId: 'cmcc-xml', messageId: fields.messageId }));
    expect(record?.event).to.deep.include({ platformId: 'cmcc-xml', channel: 'maap', userId: 'tel:+8613912345678', conversationId: 'conversation-1', content: { type: 'text', text: '我想办居住证' } });
  });

  it('persists a JSON inbound message posted as a flat object', async () => {
    const fields = textFields('你好', { senderAddress: 'tel:+8613912340000' }, JSON_PLATFORM);
    const answer = await send(`${hook.url}${inboundPath(JSON_PLATFORM)}`, { headers: platformHeaders(JSON_PLATFORM), body: JSON.stringify(fields) });
    expect(answer.status).to.equal(204);
    expect(hook.persisted.at(-1)).to.deep.include({ platformId: 'cmcc-json', userId: 'tel:+8613912340000', messageId: fields.messageId });
  });

  it('hands delivery reports over, whichever notification path they came to', async () => {
    const body = deliveryBody('xml', { address: 'tel:+8613912345678', messageId: 'out-1', deliveryStatus: 'DeliveredToTerminal' });
    expect((await send(`${hook.url}${deliveryPath(XML_PLATFORM)}`, { headers: platformHeaders(XML_PLATFORM), body })).status).to.equal(204);
    expect(hook.reports.at(-1)).to.deep.include({ messageId: 'out-1', status: 'delivered', userId: 'tel:+8613912345678' });
  });
});

describe('MaaP webhook: callbacks it refuses', () => {
  let hook: MaapWebhookHarness;
  before(async () => {
    hook = await startMaapWebhook();
  });
  after(async () => hook.close());

  async function post(platform: typeof XML_PLATFORM, body: string, headers: Record<string, string> = {}): Promise<{ status: number; reason: string }> {
    const answer = await send(`${hook.url}${inboundPath(platform)}`, { headers: { ...platformHeaders(platform), ...headers }, body });
    return { status: answer.status, reason: answer.body ? reasonOf(answer.body) : '' };
  }

  it('refuses missing credentials with 401 and the reason, and stores nothing', async () => {
    const fields = textFields('x');
    const answer = await send(`${hook.url}${inboundPath(XML_PLATFORM)}`, { headers: { 'content-type': 'application/xml' }, body: textBody(XML_PLATFORM, 'x', fields) });
    expect(answer.status).to.equal(401);
    expect(reasonOf(answer.body)).to.match(/authorization: header missing/);
    expect(await hook.inbound.get(inboundRecordId({ platformId: 'cmcc-xml', messageId: fields.messageId }))).to.equal(null);
  });

  it('refuses wrong credentials in either dialect', async () => {
    expect(await post(XML_PLATFORM, textBody(XML_PLATFORM, 'x'), { authorization: `Basic ${Buffer.from('xml-app:guess').toString('base64')}` })).to.deep.equal({ status: 401, reason: 'authorization: wrong credentials' });
    expect(await post(JSON_PLATFORM, textBody(JSON_PLATFORM, 'x'), { authorization: 'Username="json-app",Password="guess"' })).to.deep.equal({ status: 401, reason: 'authorization: wrong credentials' });
    // The other chatbot's credentials are wrong here too.
    expect((await post(XML_PLATFORM, textBody(XML_PLATFORM, 'x'), { authorization: platformHeaders(JSON_PLATFORM).authorization as string })).status).to.equal(401);
  });

  it('refuses a digest whose Date is stale', async () => {
    const stale = new Date(Date.now() - 10 * 60_000);
    const headers = (await import('../../../src/channels/maap/auth.js')).authHeaders('xml', XML_PLATFORM, stale);
    expect(await post(XML_PLATFORM, textBody(XML_PLATFORM, 'x'), headers)).to.deep.include({ status: 401 });
  });

  it('answers 404 for a chatbot that is not configured', async () => {
    const answer = await send(`${hook.url}/InboundMessageNotification/${encodeURIComponent('sip:999@x')}`, { headers: platformHeaders(XML_PLATFORM), body: textBody(XML_PLATFORM, 'x') });
    expect(answer.status).to.equal(404);
  });

  it('answers 404 for a message whose destinationAddress names another chatbot, and keeps nothing', async () => {
    const fields = textFields('x', { destinationAddress: JSON_PLATFORM.chatbotId });
    const answer = await post(XML_PLATFORM, textBody(XML_PLATFORM, 'x', fields));
    expect(answer).to.deep.include({ status: 404 });
    expect(answer.reason).to.match(/destinationAddress names another chatbot/);
    expect(hook.persisted.some((event) => event.messageId === fields.messageId)).to.equal(false);
  });

  it('refuses malformed XML and malformed JSON with 400 and where it broke', async () => {
    const xml = await post(XML_PLATFORM, '<msg:inboundMessageNotification xmlns:msg="urn:x"><inboundMessage><senderAddress>tel:+86139</inboundMessage>');
    expect(xml.status).to.equal(400);
    expect(xml.reason).to.match(/not well-formed XML.*line 1/);
    const json = await post(JSON_PLATFORM, '{"senderAddress": "tel:+8613900000000", "messageId": ');
    expect(json.status).to.equal(400);
    expect(json.reason).to.match(/not valid JSON/);
    expect((await post(XML_PLATFORM, '<?xml version="1.0"?><somethingElse/>')).reason).to.match(/unexpected root element "somethingElse"/);
    expect((await post(JSON_PLATFORM, JSON.stringify({ ...textFields('x', {}, JSON_PLATFORM), senderAddress: 'mailto:a@b' }))).reason).to.match(/senderAddress/);
    expect((await post(JSON_PLATFORM, JSON.stringify({ ...textFields('x', {}, JSON_PLATFORM), contentType: 'image/gif' }))).reason).to.match(/unsupported content type/);
    expect((await post(JSON_PLATFORM, JSON.stringify({ ...textFields('x', {}, JSON_PLATFORM), contentEncoding: 'base64', bodyText: '@@@' }))).reason).to.match(/not valid base64/);
  });

  it('refuses a billion-laughs body without expanding it', async () => {
    const entities = Array.from({ length: 9 }, (_, index) => `<!ENTITY lol${index + 1} "${`&lol${index};`.repeat(10)}">`).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">${entities}]><msg:inboundMessageNotification xmlns:msg="urn:oma:xml:rest:netapi:messaging:1"><inboundMessage><bodyText>&lol9;</bodyText></inboundMessage></msg:inboundMessageNotification>`;
    const started = Date.now();
    const refused = await post(XML_PLATFORM, bomb);
    expect(refused).to.deep.equal({ status: 400, reason: 'body: XML with a DOCTYPE or entity declaration is refused' });
    expect(Date.now() - started).to.be.lessThan(1000);
  });

  it('refuses an external entity without reading the file it names', async () => {
    const xxe = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY secret SYSTEM "file:///etc/passwd">]><msg:inboundMessageNotification xmlns:msg="urn:oma:xml:rest:netapi:messaging:1"><inboundMessage><senderAddress>tel:+8613900000000</senderAddress><messageId>xxe-1</messageId><contentType>text/plain</contentType><bodyText>&secret;</bodyText></inboundMessage></msg:inboundMessageNotification>`;
    const refused = await post(XML_PLATFORM, xxe);
    expect(refused.status).to.equal(400);
    expect(refused.reason).to.match(/DOCTYPE/);
    expect(hook.persisted.some((event) => JSON.stringify(event).includes('root:'))).to.equal(false);
  });

  it('refuses a file descriptor or spam report that smuggles a DOCTYPE inside the body text', async () => {
    const descriptor = '<?xml version="1.0"?><!DOCTYPE file [<!ENTITY x SYSTEM "file:///etc/hostname">]><file><file-info type="file"><data url="&x;"/></file-info></file>';
    const answer = await post(JSON_PLATFORM, JSON.stringify({ ...textFields('x', {}, JSON_PLATFORM), contentType: 'application/vnd.gsma.rcs-ft-http+xml', bodyText: descriptor }));
    expect(answer.status).to.equal(400);
    expect(answer.reason).to.match(/bodyText: XML with a DOCTYPE/);
  });
});

describe('MaaP webhook: IP allow-list', () => {
  let allowed: MaapWebhookHarness;
  before(async () => {
    allowed = await startMaapWebhook([{ ...XML_PLATFORM, callbackAllowedIps: ['127.0.0.0/8'] }, { ...JSON_PLATFORM, callbackAllowedIps: ['10.1.2.3', '2001:db8::/32'] }]);
  });
  after(async () => allowed.close());

  it('accepts a callback from an allowed address', async () => {
    expect((await send(`${allowed.url}${inboundPath(XML_PLATFORM)}`, { headers: platformHeaders(XML_PLATFORM), body: textBody(XML_PLATFORM, 'ok') })).status).to.equal(204);
  });

  it('refuses one from elsewhere with 401 and the reason, even with the right credentials', async () => {
    const refused = await send(`${allowed.url}${inboundPath(JSON_PLATFORM)}`, { headers: platformHeaders(JSON_PLATFORM), body: textBody(JSON_PLATFORM, 'no') });
    expect(refused.status).to.equal(401);
    expect(reasonOf(refused.body)).to.match(/127\.0\.0\.1 is not in the allow-list/);
  });
});

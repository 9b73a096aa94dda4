import { expect } from 'chai';
import { startWebhook, type WebhookHarness } from './webhookHarness.js';
import { CHATBOT_ID, messagesPath, postSigned, send, sign, signatureHeaders, textMessage, recordId } from './signedRequest.js';

describe('CT/CU webhook: callback verification and signatures', () => {
  let hook: WebhookHarness;
  before(async () => {
    hook = await startWebhook();
  });
  after(async () => hook.close());

  it('answers the callback URL check with echoStr and appId headers, on the base path and each route', async () => {
    for (const path of ['/', messagesPath(), `/deliveryNotification/${encodeURIComponent(CHATBOT_ID)}/status`, `/notifyInfoNotification/${encodeURIComponent(CHATBOT_ID)}/check`]) {
      const answer = await send(`${hook.url}${path}`, { headers: { ...signatureHeaders(sign()), echoStr: `echo-${path.length}`, chatbotId: CHATBOT_ID } });
      expect(answer.status, path).to.equal(200);
      expect(answer.headers.echostr).to.equal(`echo-${path.length}`);
      expect(answer.headers.appid).to.equal('test-app-id');
    }
  });

  it('refuses a correctly signed message for another chatbot, by its destinationAddress or chatbotId header, like a wrong path', async () => {
    const elsewhere = textMessage('给别的号', { destinationAddress: 'sip:999999@botplatform.rcs.domain.cn' });
    const byBody = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign()), body: JSON.stringify(elsewhere) });
    expect(byBody.status).to.equal(404);
    expect(JSON.parse(byBody.body).reason).to.match(/destinationAddress names another chatbot/);
    expect(await hook.inbound.get(recordId(elsewhere.messageId as string))).to.equal(null);
    const message = textMessage('头部不对');
    const byHeader = await send(`${hook.url}${messagesPath()}`, { headers: { ...signatureHeaders(sign()), chatbotId: 'sip:999999@botplatform.rcs.domain.cn' }, body: JSON.stringify(message) });
    expect(byHeader.status).to.equal(404);
    expect(await hook.inbound.get(recordId(message.messageId as string))).to.equal(null);
  });

  it('refuses a verification signed with another token', async () => {
    const answer = await send(`${hook.url}/`, { headers: { ...signatureHeaders(sign({ token: 'not-the-token' })), echoStr: 'x' } });
    expect(answer.status).to.equal(401);
    expect(answer.headers.echostr).to.equal(undefined);
    expect(JSON.parse(answer.body).reason).to.match(/signature/);
  });

  it('refuses a forged signature, and persists nothing', async () => {
    const message = textMessage('forged');
    const forged = { ...signatureHeaders(sign()), signature: 'a'.repeat(64) };
    const answer = await send(`${hook.url}${messagesPath()}`, { headers: forged, body: JSON.stringify(message) });
    expect(answer.status).to.equal(401);
    expect(await hook.inbound.get(recordId(message.messageId as string))).to.equal(null);
  });

  it('refuses missing signature headers', async () => {
    const answer = await send(`${hook.url}${messagesPath()}`, { body: JSON.stringify(textMessage('unsigned')) });
    expect(answer.status).to.equal(401);
    expect(JSON.parse(answer.body).reason).to.match(/header missing/);
  });

  it('refuses a timestamp more than 5 minutes off, even when correctly signed', async () => {
    for (const at of [Date.now() - 6 * 60_000, Date.now() + 6 * 60_000]) {
      const answer = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign({ at })), body: JSON.stringify(textMessage('stale')) });
      expect(answer.status).to.equal(401);
      expect(JSON.parse(answer.body).reason).to.match(/timestamp/);
    }
    const withinWindow = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign({ at: Date.now() - 4 * 60_000 })), body: JSON.stringify(textMessage('late but fine')) });
    expect(withinWindow.status).to.equal(200);
  });

  it('refuses a replayed nonce', async () => {
    const signature = sign();
    const first = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(signature), body: JSON.stringify(textMessage('once')) });
    const replayed = textMessage('twice');
    const replay = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(signature), body: JSON.stringify(replayed) });
    expect(first.status).to.equal(200);
    expect(replay.status).to.equal(401);
    expect(JSON.parse(replay.body).reason).to.match(/nonce/);
    // The message of a replayed callback is not kept: it and its nonce are one write.
    expect(await hook.inbound.get(recordId(replayed.messageId as string))).to.equal(null);
  });

  it('refuses a nonce already used by another kind of callback, whichever came first', async () => {
    const statusPath = `/deliveryNotification/${encodeURIComponent(CHATBOT_ID)}/status`;
    const report = JSON.stringify({ deliveryInfoList: [{ messageId: 'out-1', status: 'delivered', dateTime: new Date().toISOString(), destinationAddress: CHATBOT_ID, senderAddress: 'tel:+8613800000001' }] });

    const reportFirst = sign();
    expect((await send(`${hook.url}${statusPath}`, { headers: signatureHeaders(reportFirst), body: report })).status).to.equal(200);
    const forgedMessage = textMessage('riding on a report nonce');
    const onMessages = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(reportFirst), body: JSON.stringify(forgedMessage) });
    expect(onMessages.status).to.equal(401);
    expect(await hook.inbound.get(recordId(forgedMessage.messageId as string))).to.equal(null);

    const messageFirst = sign();
    expect((await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(messageFirst), body: JSON.stringify(textMessage('first')) })).status).to.equal(200);
    const reportsBefore = hook.reports.length;
    const onStatus = await send(`${hook.url}${statusPath}`, { headers: signatureHeaders(messageFirst), body: report });
    expect(onStatus.status).to.equal(401);
    expect(hook.reports.length).to.equal(reportsBefore);
    const onVerification = await send(hook.url, { headers: { ...signatureHeaders(messageFirst), echoStr: 'x' } });
    expect(onVerification.status).to.equal(401);
  });

  it("uses up the nonce of a platform retry too, so its headers cannot carry another message", async () => {
    const original = textMessage('sent twice by the platform');
    expect((await postSigned(hook.url, messagesPath(), original)).status).to.equal(200);
    const retry = sign();
    const retried = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(retry), body: JSON.stringify(original) });
    expect(retried.status).to.equal(200);
    const forged = textMessage('made up, with the retry headers');
    const reused = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(retry), body: JSON.stringify(forged) });
    expect(reused.status).to.equal(401);
    expect(await hook.inbound.get(recordId(forged.messageId as string))).to.equal(null);
    expect(hook.persisted.filter((event) => event.messageId === original.messageId)).to.have.length(1);
  });

  it('forgets used nonces only once their timestamp is outside the window', async () => {
    const at = Date.now() - 60_000;
    const signature = sign({ at });
    expect((await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(signature), body: JSON.stringify(textMessage('keyed')) })).status).to.equal(200);
    expect((await send(hook.url, { headers: { ...signatureHeaders(sign({ at })), echoStr: 'y' } })).status).to.equal(200);
    const keys = await hook.inbound.model.collection.find({ expiresAt: { $exists: true } }).toArray();
    const latest = keys.at(-1);
    expect(latest?.expiresAt).to.be.instanceOf(Date);
    // The timestamp's second plus the 5-minute window, and another window's slack for clocks.
    expect((latest?.expiresAt as Date).getTime()).to.equal((Math.floor(at / 1000) + 600) * 1000);
    const ttl = (await hook.inbound.model.collection.indexes()).find((index) => index.key.expiresAt === 1);
    expect(ttl?.expireAfterSeconds).to.equal(0);
  });

  it('uses up the nonce of a message callback whose body it refuses', async () => {
    const signature = sign();
    const refused = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(signature), body: '{"messageId": ' });
    expect(refused.status).to.equal(400);
    const reused = textMessage('a body for the refused headers');
    const again = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(signature), body: JSON.stringify(reused) });
    expect(again.status).to.equal(401);
    expect(await hook.inbound.get(recordId(reused.messageId as string))).to.equal(null);
  });

  it('accepts the chatbotId URL-encoded or not, and answers 404 for another chatbot', async () => {
    expect((await postSigned(hook.url, messagesPath(CHATBOT_ID, true), textMessage('encoded'))).status).to.equal(200);
    expect((await postSigned(hook.url, messagesPath(CHATBOT_ID, false), textMessage('plain'))).status).to.equal(200);
    const other = await postSigned(hook.url, messagesPath('sip:999999@botplatform.rcs.domain.cn'), textMessage('other'));
    expect(other.status).to.equal(404);
    expect(JSON.parse(other.body).reason).to.match(/unknown chatbot/);
  });
});

describe('CT/CU webhook under a notify base path', () => {
  let hook: WebhookHarness;
  before(async () => {
    hook = await startWebhook({ notifyPath: '/rcs/notify' });
  });
  after(async () => hook.close());

  it('serves the routes under NOTIFY_PATH when one is configured', async () => {
    expect((await postSigned(hook.url, messagesPath(), textMessage('prefixed'))).status).to.equal(200);
    const check = await send(hook.url, { headers: { ...signatureHeaders(sign()), echoStr: 'e' } });
    expect(check.status).to.equal(200);
    expect(check.headers.echostr).to.equal('e');
    const outside = await postSigned(hook.url.replace('/rcs/notify', ''), messagesPath(), textMessage('outside'));
    expect(outside.status).to.equal(404);
  });
});

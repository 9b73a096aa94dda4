import { expect } from 'chai';
import { signatureMatches } from '../../src/channels/ctcu/signature.js';
import type { Simulator } from '../../src/channels/simulator/index.js';
import { BotApi, CALLBACK_TOKEN, CHATBOT_ID, Receiver, simulatorFor, textRequest } from './helpers.js';

function header(value: string | string[] | undefined): string {
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}

describe('simulator callbacks', () => {
  let receiver: Receiver;
  let simulator: Simulator;
  let api: BotApi;

  beforeEach(async () => {
    receiver = await new Receiver().start();
    simulator = await simulatorFor(receiver.url, { reportDelayMs: 5 });
    api = new BotApi(simulator.serverRoot);
    await api.fetchToken();
  });
  afterEach(async () => {
    await simulator.close();
    await receiver.close();
  });

  it('posts a user text to the encoded message route with a signature the bot can verify', async () => {
    const result = await simulator.sendText('tel:+8613900000001', '我想办居住证');
    expect(result.status).to.equal(200);
    const call = receiver.calls[0];
    expect(call?.path).to.equal(`/messageNotification/${encodeURIComponent(CHATBOT_ID)}/messages`);
    const { signature, timestamp, nonce } = call?.headers ?? {};
    expect(signatureMatches(CALLBACK_TOKEN, header(timestamp), header(nonce), header(signature))).to.equal(true);
    expect(signatureMatches('another-token', header(timestamp), header(nonce), header(signature))).to.equal(false);
    expect(call?.body).to.deep.include({ messageId: result.messageId, senderAddress: 'tel:+8613900000001', destinationAddress: CHATBOT_ID });
    expect((call?.body as { messageList: unknown[] }).messageList).to.deep.equal([{ contentType: 'text/plain', contentText: '我想办居住证' }]);
  });

  it('can repeat a messageId, as the platform does when it retries', async () => {
    const first = await simulator.sendText('tel:+8613900000001', 'a');
    await simulator.sendText('tel:+8613900000001', 'a', { messageId: first.messageId });
    const ids = receiver.calls.map((call) => (call.body as { messageId: string }).messageId);
    expect(ids).to.deep.equal([first.messageId, first.messageId]);
  });

  it('reports sent, delivered, displayed in that order, after answering the send', async () => {
    const request = textRequest();
    const answer = await api.send(request);
    expect(answer.errorCode).to.equal(0);
    expect(receiver.calls.filter((call) => call.path.startsWith('/deliveryNotification'))).to.have.length(0);
    const calls = await receiver.waitFor((all) => all.flatMap(reportsOf).length >= 3);
    const reports = calls.flatMap(reportsOf);
    expect(reports.map((report) => report.status)).to.deep.equal(['sent', 'delivered', 'displayed']);
    expect(reports.every((report) => report.messageId === request.messageId)).to.equal(true);
    const first = calls.find((call) => call.path.startsWith('/deliveryNotification'));
    expect(first?.path).to.equal(`/deliveryNotification/${encodeURIComponent(CHATBOT_ID)}/status`);
    expect(signatureMatches(CALLBACK_TOKEN, header(first?.headers.timestamp), header(first?.headers.nonce), header(first?.headers.signature))).to.equal(true);
  });

  it('reports only the statuses the bot asked for in reportRequest', async () => {
    const request = textRequest('x', { reportRequest: ['displayed', 'failed'] });
    await api.send(request);
    const calls = await receiver.waitFor((all) => all.flatMap(reportsOf).length >= 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls.flatMap(reportsOf).map((report) => report.status)).to.deep.equal(['displayed']);
  });

  it('delivers to a non-5G terminal as SMS (deliveredToNetwork) and fails an unknown number with errorCode 1', async () => {
    simulator.setTerminal('tel:+8613900000002', 'non5g');
    simulator.setTerminal('tel:+8613900000003', 'unknown');
    const sms = textRequest('x', { destinationAddress: ['tel:+8613900000002'], smsSupported: true, smsContent: '短信文本' });
    const lost = textRequest('y', { destinationAddress: ['tel:+8613900000003'] });
    await api.send(sms);
    await api.send(lost);
    const calls = await receiver.waitFor((all) => all.flatMap(reportsOf).length >= 3);
    const reports = calls.flatMap(reportsOf);
    expect(reports.filter((report) => report.messageId === sms.messageId).map((report) => report.status)).to.deep.equal(['sent', 'deliveredToNetwork']);
    expect(reports.find((report) => report.messageId === lost.messageId)).to.include({ status: 'failed', errorCode: 1 });
    expect(simulator.received('tel:+8613900000002')[0]?.deliveredAs).to.equal('sms');
  });

  it('fails a non-5G terminal with errorCode 2 when no SMS fallback was offered', async () => {
    simulator.setTerminal('tel:+8613900000002', 'non5g');
    const request = textRequest('x', { destinationAddress: ['tel:+8613900000002'] });
    await api.send(request);
    const calls = await receiver.waitFor((all) => all.flatMap(reportsOf).length >= 1);
    expect(calls.flatMap(reportsOf)[0]).to.include({ messageId: request.messageId, status: 'failed', errorCode: 2 });
  });

  it('revokes a message that is not yet delivered', async () => {
    await simulator.close();
    simulator = await simulatorFor(receiver.url, { reportDelayMs: 400 });
    api = new BotApi(simulator.serverRoot);
    await api.fetchToken();
    const request = textRequest();
    await api.send(request);
    const response = await fetch(api.url('revoke'), {
      method: 'POST',
      headers: { authorization: `accessToken ${api.token}`, 'content-type': 'application/json', date: new Date().toUTCString() },
      body: JSON.stringify({ messageId: request.messageId, destinationAddress: request.destinationAddress, status: 'RevokeRequested' }),
    });
    expect(response.status).to.equal(200);
    const calls = await receiver.waitFor((all) => all.flatMap(reportsOf).length >= 1);
    expect(calls.flatMap(reportsOf).map((report) => report.status)).to.deep.equal(['revokeOk']);
  });
});

function reportsOf(call: { path: string; body: unknown }): { messageId: string; status: string; errorCode?: number }[] {
  if (!call.path.startsWith('/deliveryNotification')) return [];
  return (call.body as { deliveryInfoList: { messageId: string; status: string; errorCode?: number }[] }).deliveryInfoList;
}

import { expect } from 'chai';
import { startWebhook, type WebhookHarness } from './webhookHarness.js';
import { CHATBOT_ID, messagesPath, postSigned, send, sign, signatureHeaders, textMessage, recordId } from './signedRequest.js';

const LIMIT = 64 * 1024;

describe('CT/CU webhook: bodies', () => {
  let hook: WebhookHarness;
  before(async () => {
    hook = await startWebhook({ bodyLimitBytes: LIMIT });
  });
  after(async () => hook.close());

  async function expectHealthy(): Promise<void> {
    const health = await send(`${hook.url}/healthz`);
    expect(health.status).to.equal(200);
    expect((await send(`${hook.url}/readyz`)).status).to.equal(200);
  }

  function reason(body: string): string {
    return (JSON.parse(body) as { reason: string }).reason;
  }

  it('persists a message once and tells the processor once, however often the platform repeats it', async () => {
    const message = textMessage('我想办居住证');
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const answer = await postSigned(hook.url, messagesPath(), message);
      expect(answer.status).to.equal(200);
    }
    expect(hook.persisted.filter((event) => event.messageId === message.messageId)).to.have.length(1);
    const record = await hook.inbound.get(recordId(message.messageId as string));
    expect(record?.state).to.equal('received');
    expect(record?.event.content).to.deep.equal({ type: 'text', text: '我想办居住证' });
  });

  const malformed: Array<[string, string | Buffer, RegExp]> = [
    ['not JSON', '{"messageId": ', /not valid JSON/],
    ['empty', '', /empty/],
    ['a JSON array', '[1,2,3]', /\(body\)/],
    ['a JSON string', '"hello"', /\(body\)/],
    ['messageList wrong-typed', JSON.stringify(textMessage('x', { messageList: 'text' })), /messageList/],
    ['messageId wrong-typed', JSON.stringify(textMessage('x', { messageId: 42 })), /messageId/],
    ['messageList empty', JSON.stringify(textMessage('x', { messageList: [] })), /messageList/],
    ['senderAddress missing', JSON.stringify(textMessage('x', { senderAddress: undefined })), /senderAddress/],
    ['an unknown contentType', JSON.stringify(textMessage('x', { messageList: [{ contentType: 'image/gif', contentText: 'x' }] })), /unsupported content type/],
    ['invalid UTF-8 in JSON', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), /body|JSON|\(body\)/],
  ];
  for (const [name, body, expected] of malformed) {
    it(`answers 400 with a reason for a body that is ${name}`, async () => {
      const answer = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign()), body });
      expect(answer.status).to.equal(400);
      expect(reason(answer.body)).to.match(expected);
      await expectHealthy();
    });
  }

  it('answers 413 for a body over the limit and stays healthy', async () => {
    const big = JSON.stringify(textMessage('x'.repeat(LIMIT)));
    const answer = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign()), body: big });
    expect(answer.status).to.equal(413);
    expect(reason(answer.body)).to.match(/larger than/);
    await expectHealthy();
  });

  it('survives a body cut off before its announced length', async () => {
    const body = JSON.stringify(textMessage('truncated'));
    const answer = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign()), body, truncateTo: 20 });
    // The client hung up, so it may never see the 400; the server must simply carry on.
    expect([0, 400]).to.include(answer.status);
    await expectHealthy();
  });

  it('answers 400 for a JSON body cut in half', async () => {
    const body = JSON.stringify(textMessage('truncated'));
    const answer = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign()), body: body.slice(0, body.length / 2) });
    expect(answer.status).to.equal(400);
    expect(reason(answer.body)).to.match(/not valid JSON/);
  });

  it('answers 415 for a compressed body', async () => {
    const answer = await send(`${hook.url}${messagesPath()}`, { headers: { ...signatureHeaders(sign()), 'content-encoding': 'gzip' }, body: '{}' });
    expect(answer.status).to.equal(415);
  });

  it('hands a batch of delivery reports to the sink, and refuses a malformed one', async () => {
    const path = `/deliveryNotification/${encodeURIComponent(CHATBOT_ID)}/status`;
    const ok = await postSigned(hook.url, path, {
      deliveryInfoList: [
        { messageId: 'out-1', status: 'delivered', senderAddress: 'tel:+8613912345678' },
        { messageId: 'out-2', status: 'failed', errorCode: 4, errorMessage: 'offline' },
      ],
    });
    expect(ok.status).to.equal(200);
    expect(hook.reports.map((report) => [report.messageId, report.status])).to.deep.equal([
      ['out-1', 'delivered'],
      ['out-2', 'failed'],
    ]);
    const bad = await postSigned(hook.url, path, { deliveryInfoList: [{ messageId: 'out-3', status: 7 }] });
    expect(bad.status).to.equal(400);
  });

  it('accepts platform notices and refuses malformed ones', async () => {
    const base = `/notifyInfoNotification/${encodeURIComponent(CHATBOT_ID)}`;
    expect((await postSigned(hook.url, `${base}/notice/rcsspam`, { messageId: ['m1'], spamType: 'ad' })).status).to.equal(200);
    expect((await postSigned(hook.url, `${base}/check`, { type: 'message', result: 'pass' })).status).to.equal(200);
    expect((await postSigned(hook.url, `${base}/notice/informationChange`, { serviceName: 'x' })).status).to.equal(200);
    expect((await postSigned(hook.url, `${base}/check`, { type: 'message', result: 'unknown' })).status).to.equal(400);
  });

  it('answers an unknown path with 404 and a reason', async () => {
    const answer = await postSigned(hook.url, '/somewhere/else', {});
    expect(answer.status).to.equal(404);
    expect(reason(answer.body)).to.match(/no route/);
  });

  it('counts accepted messages by type in /metrics', async () => {
    const metrics = await send(`${hook.url}/metrics`);
    expect(metrics.status).to.equal(200);
    expect(metrics.body).to.match(/rcs_inbound_messages_total\{channel="ctcu",platform="ctcu",type="text"\} \d+/);
    expect(metrics.body).to.match(/rcs_webhook_ack_seconds_bucket/);
  });
});

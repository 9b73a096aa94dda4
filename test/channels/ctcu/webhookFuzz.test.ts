import { expect } from 'chai';
import { startWebhook, type WebhookHarness } from './webhookHarness.js';
import { seededRandom } from '../../../src/util/seededRandom.js';
import { fuzzBody } from './bodyFuzzer.js';
import { messagesPath, send, sign, signatureHeaders } from './signedRequest.js';

const BODIES = 2_000;
const CONCURRENCY = 16;

describe('CT/CU webhook: fuzzed bodies', function () {
  this.timeout(60_000);
  let hook: WebhookHarness;
  before(async () => {
    hook = await startWebhook();
  });
  after(async () => hook.close());

  it(`answers ${BODIES} generated malformed bodies without a single 5xx, and stays healthy`, async () => {
    const random = seededRandom(20_240_501);
    const bodies = Array.from({ length: BODIES }, () => fuzzBody(random));
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < bodies.length) {
        const body = bodies[next++] as string | Buffer;
        const answer = await send(`${hook.url}${messagesPath()}`, { headers: signatureHeaders(sign()), body });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status >= 400) expect(JSON.parse(answer.body)).to.have.property('reason').that.is.a('string');
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const serverErrors = [...statuses].filter(([status]) => status >= 500 || status === 0);
    expect(serverErrors, JSON.stringify([...statuses])).to.deep.equal([]);
    expect(statuses.get(400) ?? 0).to.be.greaterThan(BODIES / 2);
    expect((await send(`${hook.url}/healthz`)).status).to.equal(200);
    expect((await send(`${hook.url}/readyz`)).status).to.equal(200);
  });
});

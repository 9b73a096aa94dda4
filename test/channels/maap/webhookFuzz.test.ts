import { expect } from 'chai';
import { seededRandom } from '../../../src/util/seededRandom.js';
import { send } from '../ctcu/signedRequest.js';
import { fuzzMaapBody } from './bodyFuzzer.js';
import { JSON_PLATFORM, XML_PLATFORM, inboundPath, platformHeaders, startMaapWebhook, type MaapWebhookHarness } from './webhookHarness.js';

const BODIES = 2_000;
const CONCURRENCY = 16;

describe('MaaP webhook: fuzzed bodies', function () {
  this.timeout(120_000);
  let hook: MaapWebhookHarness;
  before(async () => {
    hook = await startMaapWebhook();
  });
  after(async () => hook.close());

  for (const platform of [XML_PLATFORM, JSON_PLATFORM]) {
    it(`answers ${BODIES} generated ${platform.dialect.toUpperCase()} bodies without a single 5xx, and stays healthy`, async () => {
      const random = seededRandom(platform.dialect === 'xml' ? 20_240_913 : 20_240_914);
      const bodies = Array.from({ length: BODIES }, () => fuzzMaapBody(random, platform.dialect));
      const statuses = new Map<number, number>();
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < bodies.length) {
          const body = bodies[next++] as string | Buffer;
          const answer = await send(`${hook.url}${inboundPath(platform)}`, { headers: platformHeaders(platform), body });
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status >= 400) expect(JSON.parse(answer.body)).to.have.property('reason').that.is.a('string');
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      const serverErrors = [...statuses].filter(([status]) => status >= 500 || status === 0);
      expect(serverErrors, JSON.stringify([...statuses])).to.deep.equal([]);
      expect(statuses.get(400) ?? 0).to.be.greaterThan(BODIES / 2);
      expect(statuses.get(204) ?? 0, 'some valid bodies were accepted').to.be.greaterThan(0);
      expect((await send(`${hook.url}/healthz`)).status).to.equal(200);
    });
  }
});

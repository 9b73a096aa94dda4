import { expect } from 'chai';
import mongoose, { type Connection } from 'mongoose';
import { PlatformClient } from '../../src/channels/ctcu/platformClient.js';
import { TokenManager } from '../../src/channels/ctcu/tokenManager.js';
import { startSimulator, type Simulator } from '../../src/channels/simulator/index.js';
import { createLogger } from '../../src/log.js';
import { startTestMongo, type TestMongo } from '../support/mongo.js';

const CHATBOT_ID = 'sip:106500@botplatform.rcs.domain.cn';
const log = createLogger('silent');

describe('platform access token shared through the database', () => {
  let mongo: TestMongo;
  let simulator: Simulator;
  const connections: Connection[] = [];
  let key = 0;

  before(async () => {
    mongo = await startTestMongo({ name: 'tokens' });
  });
  after(async () => {
    await Promise.all(connections.map((connection) => connection.close()));
    await mongo.close();
  });
  afterEach(() => simulator.close());

  async function platform(tokenTtlSeconds = 7200): Promise<void> {
    simulator = await startSimulator({ chatbotId: CHATBOT_ID, appId: 'app', appKey: 'key', callbackToken: 'cb', apiVersion: 'v1', tokenTtlSeconds }, log);
  }

  /** A token manager as one bot process has it: its own connection, the shared document. */
  async function processManager(documentKey: string): Promise<TokenManager> {
    const connection = await mongoose.createConnection(mongo.uri, { dbName: mongo.dbName }).asPromise();
    connections.push(connection);
    const client = new PlatformClient({ serverRoot: simulator.serverRoot, apiVersion: 'v1', chatbotId: CHATBOT_ID, timeoutMs: 2000 });
    return new TokenManager(connection, documentKey, () => client.requestToken('app', 'key'), log);
  }

  it('is fetched once for several processes starting together', async () => {
    await platform();
    const documentKey = `k${++key}`;
    const managers = await Promise.all([processManager(documentKey), processManager(documentKey), processManager(documentKey)]);
    const tokens = await Promise.all(managers.flatMap((manager) => [manager.current(), manager.current()]));
    expect(new Set(tokens).size).to.equal(1);
    expect(simulator.stats().tokenRequests).to.equal(1);
  });

  it('is renewed before it expires', async () => {
    await platform(2);
    const manager = await processManager(`k${++key}`);
    const first = await manager.current();
    expect(await manager.current()).to.equal(first);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const second = await manager.current();
    expect(second).not.to.equal(first);
    expect(simulator.stats().tokenRequests).to.equal(2);
  });

  it('after a refusal takes the token another process already renewed, without fetching', async () => {
    await platform();
    const documentKey = `k${++key}`;
    const [one, two] = await Promise.all([processManager(documentKey), processManager(documentKey)]);
    const old = await one.current();
    const renewed = await one.renewAfterRejection(old);
    expect(renewed).not.to.equal(old);
    expect(await two.renewAfterRejection(old)).to.equal(renewed);
    expect(simulator.stats().tokenRequests).to.equal(2);
  });

  it('fetches once for many sends refused at the same time', async () => {
    await platform();
    const manager = await processManager(`k${++key}`);
    const old = await manager.current();
    const renewed = await Promise.all(Array.from({ length: 10 }, () => manager.renewAfterRejection(old)));
    expect(new Set(renewed).size).to.equal(1);
    expect(simulator.stats().tokenRequests).to.equal(2);
  });
});

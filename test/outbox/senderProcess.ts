/**
 * A bot process that only sends: started as a child by the crash test, which kills it with
 * SIGKILL mid-send. Configured through the environment; prints `started` when running.
 */
import mongoose from 'mongoose';
import { createLogger } from '../../src/log.js';
import { startSender } from '../../src/outbox/index.js';
import { createCtcuTransport } from '../../src/channels/ctcu/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const connection = await mongoose.createConnection(env('TEST_MONGO_URI'), { dbName: env('TEST_DB_NAME') }).asPromise();
const log = createLogger('silent');
const platform = { chatbotId: env('CHATBOT_ID'), serverRoot: env('PLATFORM_URL'), apiVersion: 'v1', appId: 'app', appKey: 'key' };
startSender({
  connection,
  log,
  transport: createCtcuTransport(connection, platform, log, { requestTimeoutMs: 5000 }),
  sendRate: 1000,
  tuning: { pollMs: 20, leaseMs: Number(env('LEASE_MS')) },
});
console.log('started');
